//! Feedback on the program: when a session may be rated (after its released end, not
//! cancelled) and when the meeting's survey opens (once its last day has ended on its own
//! wall clocks), what a rating and a comment may be, and the summary speakers and
//! organizers read (count, mean, how many gave each score).
//!
//! A comment is TLP content under its session's label (docs/CALENDAR.md T1): it is shown
//! only where the session's title may be, never in mail, audit rows or logs.

use chrono::{Days, NaiveDate, NaiveDateTime};
use chrono_tz::Tz;
use serde::Serialize;

use super::{
    local_time,
    text::{self, TextError},
    words::word_enum,
};

word_enum!(
    /// What a meeting's question is for: the registration form, or the survey after the
    /// meeting. Both use the same editor, kinds and answer rules (`domain::questions`).
    QuestionPurpose, "a purpose of a question" {
        Registration => "registration", "Registration form";
        Survey => "survey", "Survey after the meeting";
    }
);

pub const MAX_COMMENT: usize = 2000;

/// An answered question keeps its purpose: a registration answer read as a survey answer
/// (or the other way) would say something the person never said there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "People have answered this question, so it stays where it is asked. Retire it and add a new \
     question instead."
)]
pub struct PurposeFixed;

/// Whether a question asked for `from` may move to `to`, `answered` or not.
pub fn check_purpose_change(
    answered: bool,
    from: QuestionPurpose,
    to: QuestionPurpose,
) -> Result<(), PurposeFixed> {
    if answered && from != to { Err(PurposeFixed) } else { Ok(()) }
}

/// Why a rating or a survey is refused, worded for the person giving it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeedbackError {
    #[error("Choose a rating from 1 (poor) to 5 (excellent).")]
    Rating,
    #[error("{0}")]
    Text(#[from] TextError),
    #[error("Keep the comment to at most {MAX_COMMENT} characters.")]
    LongComment,
    #[error("You can rate this session once it has ended, at {ends}. Nothing was saved.")]
    NotEnded { ends: String },
    #[error("This session was cancelled: there is nothing to rate. Nothing was saved.")]
    Cancelled,
    #[error(
        "Only approved attendees of this meeting can give feedback. Your registration: {status}. \
         Nothing was saved."
    )]
    NotApproved { status: &'static str },
    #[error(
        "Organizers and reviewers read the feedback on the meeting's feedback page; only approved \
         attendees give it. Nothing was saved."
    )]
    Organizer,
    #[error("The survey opens when the meeting has ended, after {last}. Nothing was saved.")]
    SurveyNotOpen { last: String },
    #[error(
        "You speak at this session: its ratings are the attendees' to give. You read them above. \
         Nothing was saved."
    )]
    OwnSession,
}

/// A score from 1 to 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Rating(i32);

impl Rating {
    pub fn parse(raw: &str) -> Result<Rating, FeedbackError> {
        match raw.trim().parse::<i32>() {
            Ok(n) if (1..=5).contains(&n) => Ok(Rating(n)),
            _ => Err(FeedbackError::Rating),
        }
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

/// The comment as typed: several lines allowed, at most [`MAX_COMMENT`] characters; empty
/// means no comment.
pub fn parse_comment(raw: &str) -> Result<String, FeedbackError> {
    let comment = text::multi_line(raw)?.trim().to_owned();
    if comment.chars().count() > MAX_COMMENT {
        return Err(FeedbackError::LongComment);
    }
    Ok(comment)
}

/// Whether a released session may be rated at `now` (UTC): it ended and was not cancelled.
/// `ends` is how the refusal names its end (the meeting's wall clock).
pub fn may_rate(
    ends_at: NaiveDateTime,
    cancelled: bool,
    now: NaiveDateTime,
    ends: &str,
) -> Result<(), FeedbackError> {
    if cancelled {
        Err(FeedbackError::Cancelled)
    } else if now < ends_at {
        Err(FeedbackError::NotEnded { ends: ends.to_owned() })
    } else {
        Ok(())
    }
}

/// A session's speakers read its ratings; they do not give any.
pub fn not_a_speaker(speaks: bool) -> Result<(), FeedbackError> {
    if speaks { Err(FeedbackError::OwnSession) } else { Ok(()) }
}

/// The UTC instant the meeting is over: the start of the day after its last day in `zone`.
pub fn meeting_over_at(last_day: NaiveDate, zone: Tz) -> NaiveDateTime {
    let next = last_day.checked_add_days(Days::new(1)).unwrap_or(last_day);
    local_time::day_start(next, zone)
}

/// Whether the survey of a meeting whose last day is `last_day` is open at `now` (UTC).
pub fn survey_open(last_day: NaiveDate, zone: Tz, now: NaiveDateTime) -> bool {
    now >= meeting_over_at(last_day, zone)
}

/// How a session was rated: how many, the mean to one decimal, and how many gave each
/// score (index 0 is a 1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub count: usize,
    pub mean: Option<String>,
    pub distribution: [usize; 5],
}

impl Summary {
    pub fn of(ratings: &[i32]) -> Summary {
        let mut distribution = [0; 5];
        for r in ratings.iter().filter(|r| (1..=5).contains(*r)) {
            distribution[(*r - 1) as usize] += 1;
        }
        let count: usize = distribution.iter().sum();
        let total: usize = distribution.iter().enumerate().map(|(i, n)| (i + 1) * n).sum();
        // Tenths, rounded half up, in integers: no float formatting differs by platform.
        let mean = (count > 0).then(|| {
            let tenths = (total * 10 * 2 + count) / (count * 2);
            format!("{}.{}", tenths / 10, tenths % 10)
        });
        Summary { count, mean, distribution }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).and_then(|d| d.and_hms_opt(h, min, 0)).expect("valid")
    }

    #[test]
    fn a_rating_is_a_whole_number_from_one_to_five() {
        for ok in ["1", " 3 ", "5"] {
            assert!(Rating::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(Rating::parse("4").map(Rating::get), Ok(4));
        for bad in ["0", "6", "-1", "", "3.5", "five", "99999999999"] {
            assert_eq!(Rating::parse(bad), Err(FeedbackError::Rating), "{bad}");
        }
    }

    #[test]
    fn a_comment_may_span_lines_but_not_exceed_its_length() {
        assert_eq!(parse_comment("  Great\r\ndemo.  "), Ok("Great\ndemo.".into()));
        assert_eq!(parse_comment(""), Ok(String::new()));
        assert!(parse_comment(&"x".repeat(MAX_COMMENT)).is_ok());
        assert_eq!(parse_comment(&"x".repeat(MAX_COMMENT + 1)), Err(FeedbackError::LongComment));
        assert!(matches!(parse_comment("a\u{202e}b"), Err(FeedbackError::Text(_))));
    }

    #[test]
    fn a_session_is_rated_from_its_end_unless_cancelled() {
        let ends = at(2026, 6, 20, 16, 0);
        let refused = may_rate(ends, false, at(2026, 6, 20, 15, 59), "10:00 MDT");
        assert_eq!(refused, Err(FeedbackError::NotEnded { ends: "10:00 MDT".into() }));
        assert_eq!(may_rate(ends, false, ends, ""), Ok(()));
        assert_eq!(may_rate(ends, true, at(2026, 7, 1, 0, 0), ""), Err(FeedbackError::Cancelled));
        assert_eq!(not_a_speaker(true), Err(FeedbackError::OwnSession));
        assert_eq!(not_a_speaker(false), Ok(()));
    }

    #[test]
    fn the_survey_opens_at_midnight_after_the_last_day_on_the_meetings_clocks() {
        let denver: Tz = "America/Denver".parse().expect("zone");
        let last = NaiveDate::from_ymd_opt(2026, 6, 21).expect("date");
        // Midnight of 22 June in Denver (MDT, UTC-6) is 06:00 UTC.
        assert_eq!(meeting_over_at(last, denver), at(2026, 6, 22, 6, 0));
        assert!(!survey_open(last, denver, at(2026, 6, 22, 5, 59)));
        assert!(survey_open(last, denver, at(2026, 6, 22, 6, 0)));
        let tokyo: Tz = "Asia/Tokyo".parse().expect("zone");
        assert_eq!(meeting_over_at(last, tokyo), at(2026, 6, 21, 15, 0));
    }

    #[test]
    fn the_summary_counts_each_score_and_rounds_the_mean_to_tenths() {
        let s = Summary::of(&[5, 4, 4, 2]);
        assert_eq!((s.count, s.mean.as_deref(), s.distribution), (4, Some("3.8"), [0, 1, 0, 2, 1]));
        assert_eq!(Summary::of(&[1, 2]).mean.as_deref(), Some("1.5"));
        assert_eq!(Summary::of(&[1, 1, 2]).mean.as_deref(), Some("1.3"));
        assert_eq!(Summary::of(&[2, 2, 1]).mean.as_deref(), Some("1.7"));
        let none = Summary::of(&[]);
        assert_eq!((none.count, none.mean), (0, None));
    }

    #[test]
    fn an_answered_question_keeps_its_purpose() {
        use QuestionPurpose::*;
        assert_eq!(check_purpose_change(false, Registration, Survey), Ok(()));
        assert_eq!(check_purpose_change(true, Survey, Survey), Ok(()));
        assert_eq!(check_purpose_change(true, Registration, Survey), Err(PurposeFixed));
    }

    #[test]
    fn the_stored_purposes_are_those_the_database_check_lists() {
        let words: Vec<_> = QuestionPurpose::ALL.iter().map(|p| p.as_str()).collect();
        assert_eq!(words, ["registration", "survey"]);
    }
}
