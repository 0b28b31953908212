//! Schedule conflicts in the draft: a room holding two sessions at once and a session
//! outside the meeting's days (or ending before it starts) are refused; a speaker in two
//! sessions at once is a warning, because a panel may list someone who only drops in.

use chrono::NaiveDateTime;

/// What the rules need to know of a session. Times are UTC.
#[derive(Debug, Clone)]
pub struct Slot<'a> {
    pub id: i64,
    pub title: &'a str,
    pub room: Option<i64>,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub speakers: Vec<&'a str>,
    pub cancelled: bool,
}

/// The meeting's days as UTC instants: from the first day's local midnight to the local
/// midnight after the last day.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    EndsBeforeStart,
    OutsideDays,
    RoomTaken { other: String },
    SpeakerBusy { speaker: String, other: String },
}

impl Problem {
    /// Refusals stop a save; the others are shown as warnings.
    pub fn is_refusal(&self) -> bool {
        !matches!(self, Problem::SpeakerBusy { .. })
    }

    pub fn message(&self) -> String {
        match self {
            Problem::EndsBeforeStart => "The session must end after it starts.".to_owned(),
            Problem::OutsideDays => "The session must take place within the meeting's days.".to_owned(),
            Problem::RoomTaken { other } => format!("The room is taken at that time by “{other}”."),
            Problem::SpeakerBusy { speaker, other } => {
                format!("{speaker} also speaks at “{other}” at that time.")
            }
        }
    }
}

fn overlap(a: &Slot<'_>, b: &Slot<'_>) -> bool {
    a.starts_at < b.ends_at && b.starts_at < a.ends_at
}

fn same_person(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// The problems of `slot` among the `others` of the same meeting (itself may be among them).
pub fn check(slot: &Slot<'_>, others: &[Slot<'_>], window: Window) -> Vec<Problem> {
    let mut problems = Vec::new();
    if slot.ends_at <= slot.starts_at {
        problems.push(Problem::EndsBeforeStart);
    }
    if slot.starts_at < window.starts_at || slot.ends_at > window.ends_at {
        problems.push(Problem::OutsideDays);
    }
    if slot.cancelled {
        return problems;
    }
    for other in others.iter().filter(|o| o.id != slot.id && !o.cancelled && overlap(slot, o)) {
        if slot.room.is_some() && slot.room == other.room {
            problems.push(Problem::RoomTaken { other: other.title.to_owned() });
        }
        for speaker in &slot.speakers {
            if other.speakers.iter().any(|s| same_person(s, speaker)) {
                problems.push(Problem::SpeakerBusy {
                    speaker: speaker.trim().to_owned(),
                    other: other.title.to_owned(),
                });
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn at(day: u32, hour: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 6, day).and_then(|d| d.and_hms_opt(hour, min, 0)).expect("valid")
    }

    fn slot(
        id: i64,
        room: Option<i64>,
        from: (u32, u32),
        to: (u32, u32),
        speakers: Vec<&'static str>,
    ) -> Slot<'static> {
        Slot {
            id,
            title: if id == 1 { "Sharing at scale" } else { "Other" },
            room,
            starts_at: at(20, from.0, from.1),
            ends_at: at(20, to.0, to.1),
            speakers,
            cancelled: false,
        }
    }

    const DAYS: Window = Window {
        starts_at: NaiveDateTime::new(
            NaiveDate::from_ymd_opt(2026, 6, 20).expect("valid"),
            chrono::NaiveTime::MIN,
        ),
        ends_at: NaiveDateTime::new(
            NaiveDate::from_ymd_opt(2026, 6, 22).expect("valid"),
            chrono::NaiveTime::MIN,
        ),
    };

    #[test]
    fn a_session_alone_in_its_room_has_no_problem() {
        let s = slot(1, Some(1), (9, 0), (10, 0), vec!["Ana"]);
        assert_eq!(check(&s, std::slice::from_ref(&s), DAYS), []);
    }

    #[test]
    fn two_sessions_in_one_room_at_once_are_refused() {
        let a = slot(1, Some(1), (9, 0), (10, 0), vec![]);
        let b = slot(2, Some(1), (9, 30), (10, 30), vec![]);
        let problems = check(&b, &[a], DAYS);
        assert_eq!(problems, [Problem::RoomTaken { other: "Sharing at scale".into() }]);
        assert!(problems[0].is_refusal());
        assert_eq!(problems[0].message(), "The room is taken at that time by “Sharing at scale”.");
    }

    #[test]
    fn back_to_back_sessions_in_one_room_are_fine() {
        let a = slot(1, Some(1), (9, 0), (10, 0), vec!["Ana"]);
        let b = slot(2, Some(1), (10, 0), (11, 0), vec!["Ana"]);
        assert_eq!(check(&b, &[a], DAYS), []);
    }

    #[test]
    fn sessions_without_a_room_never_take_one() {
        let a = slot(1, None, (9, 0), (10, 0), vec![]);
        let b = slot(2, None, (9, 0), (10, 0), vec![]);
        assert_eq!(check(&b, &[a], DAYS), []);
    }

    #[test]
    fn one_speaker_in_two_sessions_at_once_is_a_warning() {
        let a = slot(1, Some(1), (9, 0), (10, 0), vec!["Ana Silva"]);
        let b = slot(2, Some(2), (9, 45), (10, 30), vec![" ana silva", "Bo"]);
        let problems = check(&b, &[a], DAYS);
        assert_eq!(
            problems,
            [Problem::SpeakerBusy { speaker: "ana silva".into(), other: "Sharing at scale".into() }]
        );
        assert!(!problems[0].is_refusal());
    }

    #[test]
    fn a_session_ending_before_it_starts_is_refused() {
        let s = slot(1, None, (10, 0), (9, 0), vec![]);
        assert_eq!(check(&s, &[], DAYS), [Problem::EndsBeforeStart]);
        let zero = slot(1, None, (10, 0), (10, 0), vec![]);
        assert_eq!(check(&zero, &[], DAYS), [Problem::EndsBeforeStart]);
    }

    #[test]
    fn a_session_outside_the_meeting_days_is_refused() {
        let mut s = slot(1, None, (9, 0), (10, 0), vec![]);
        s.starts_at = at(19, 23, 0);
        assert_eq!(check(&s, &[], DAYS), [Problem::OutsideDays]);
        s.starts_at = at(21, 23, 0);
        s.ends_at = at(22, 0, 30);
        assert_eq!(check(&s, &[], DAYS), [Problem::OutsideDays]);
        s.ends_at = at(22, 0, 0);
        assert_eq!(check(&s, &[], DAYS), [], "ending at the last midnight is inside");
    }

    #[test]
    fn cancelled_sessions_conflict_with_nothing() {
        let mut a = slot(1, Some(1), (9, 0), (10, 0), vec!["Ana"]);
        let b = slot(2, Some(1), (9, 0), (10, 0), vec!["Ana"]);
        a.cancelled = true;
        assert_eq!(check(&b, &[a.clone()], DAYS), []);
        assert_eq!(check(&a, &[b], DAYS), []);
    }
}
