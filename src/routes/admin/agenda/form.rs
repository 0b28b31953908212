//! The session form: what the organizer typed (times on the meeting's wall clocks), parsed
//! into `SessionFields` in UTC or into messages next to the fields they concern. Speakers
//! are the meeting's registered people the organizer ticked (`speaker`, repeated) and
//! outside guests typed one per line (`speakers`: "Name (Team) <address>").

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;
use serde::Serialize;

use crate::{
    domain::{
        agenda::Kind,
        local_time::{to_local, to_utc},
        speaker::parse_guests,
        text,
        tlp::Tlp,
    },
    models::agenda::{
        room::Room,
        session::{NewSpeaker, Session, SessionFields, Speaker},
        speaker::Candidate,
        track::Track,
    },
    routes::form_errors::FormErrors,
};

#[derive(Serialize, Debug, Clone, Default)]
pub struct SessionForm {
    pub title: String,
    pub abstract_text: String,
    pub kind: String,
    pub track: String,
    pub room: String,
    pub day: String,
    pub starts: String,
    pub ends: String,
    /// The outside guests, one per line.
    pub speakers: String,
    /// The registrations ticked as speakers (their ids as sent).
    pub registered: Vec<String>,
    pub tlp: String,
}

/// A parsed form: the columns and the speakers, registrations first, then guests.
pub type Parsed = (SessionFields, Vec<NewSpeaker>);

fn id_in<T>(raw: &str, list: &[T], id: impl Fn(&T) -> i64) -> Result<Option<i64>, ()> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    let wanted: i64 = raw.trim().parse().map_err(|_| ())?;
    list.iter().map(id).find(|&i| i == wanted).map(Some).ok_or(())
}

fn time(raw: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(raw.trim(), "%H:%M").ok()
}

impl SessionForm {
    pub fn blank(first_day: NaiveDate) -> Self {
        SessionForm {
            kind: Kind::Talk.as_str().into(),
            day: first_day.to_string(),
            tlp: Tlp::DEFAULT.as_str().into(),
            ..Default::default()
        }
    }

    /// The form from its body's pairs (a ticked speaker repeats `speaker`); other keys (the
    /// CSRF token) are skipped.
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut form = SessionForm::default();
        for (key, value) in pairs {
            let slot = match key.as_str() {
                "title" => &mut form.title,
                "abstract_text" => &mut form.abstract_text,
                "kind" => &mut form.kind,
                "track" => &mut form.track,
                "room" => &mut form.room,
                "day" => &mut form.day,
                "starts" => &mut form.starts,
                "ends" => &mut form.ends,
                "speakers" => &mut form.speakers,
                "tlp" => &mut form.tlp,
                "speaker" => {
                    form.registered.push(value);
                    continue;
                }
                _ => continue,
            };
            *slot = value;
        }
        form
    }

    pub fn from_session(s: &Session, speakers: &[Speaker], zone: Tz) -> Self {
        let (start, end) = (to_local(s.starts_at, zone), to_local(s.ends_at, zone));
        SessionForm {
            title: s.title.clone(),
            abstract_text: s.abstract_text.clone(),
            kind: s.kind.as_str().to_owned(),
            track: s.track_id.map(|i| i.to_string()).unwrap_or_default(),
            room: s.room_id.map(|i| i.to_string()).unwrap_or_default(),
            day: start.date().to_string(),
            starts: start.format("%H:%M").to_string(),
            ends: end.format("%H:%M").to_string(),
            speakers: speakers
                .iter()
                .filter(|sp| sp.registration_id.is_none())
                .map(|sp| {
                    let address =
                        if sp.email.is_empty() { String::new() } else { format!(" <{}>", sp.email) };
                    sp.display() + &address + "\n"
                })
                .collect(),
            registered: speakers
                .iter()
                .filter_map(|sp| sp.registration_id)
                .map(|id| id.to_string())
                .collect(),
            tlp: s.tlp.as_str().to_owned(),
        }
    }

    /// The fields, or every problem found, noted in the order of the form.
    pub fn parse(
        &self,
        zone: Tz,
        (tracks, rooms): (&[Track], &[Room]),
        people: &[Candidate],
    ) -> Result<Parsed, FormErrors> {
        let mut errors = FormErrors::default();
        let rule = |errors: &mut FormErrors, key, checked: Result<String, text::TextError>| {
            checked.map_err(|e| errors.field(key, e.to_string())).unwrap_or_default()
        };
        let title = rule(&mut errors, "title", text::single_line(&self.title));
        if errors.has("title") {
        } else if title.is_empty() {
            errors.field("title", "Enter a title.");
        } else if title.chars().count() > 200 {
            errors.field("title", "Keep the title under 200 characters.");
        }
        let abstract_text = rule(&mut errors, "abstract_text", text::multi_line(&self.abstract_text));
        if abstract_text.chars().count() > 10_000 {
            errors.field("abstract_text", "Keep the abstract under 10,000 characters.");
        }
        let tlp = self.tlp.parse::<Tlp>().map_err(|e| errors.field("tlp", e.to_string())).ok();
        let kind = self.kind.parse::<Kind>().map_err(|e| errors.field("kind", e.to_string())).ok();
        let track = id_in(&self.track, tracks, |t| t.id)
            .map_err(|()| errors.field("track", "Choose one of the tracks."))
            .ok();
        let room = id_in(&self.room, rooms, |r| r.id)
            .map_err(|()| errors.field("room", "Choose one of the rooms."))
            .ok();
        let day = NaiveDate::parse_from_str(self.day.trim(), "%Y-%m-%d").ok();
        if day.is_none() {
            errors.field("day", "Choose a day of the meeting.");
        }
        let mut instant = |field: &'static str, raw: &str| {
            let Some(t) = time(raw) else {
                errors.field(field, "Enter a time like 09:30 (24-hour clock).");
                return None;
            };
            to_utc(day?, t, zone).map_err(|e| errors.field(field, e.to_string())).ok()
        };
        let starts_at = instant("starts", &self.starts);
        let ends_at = instant("ends", &self.ends);
        let mut chosen: Vec<NewSpeaker> = Vec::new();
        for raw in &self.registered {
            match raw
                .trim()
                .parse::<i64>()
                .ok()
                .and_then(|id| people.iter().find(|p| p.registration_id == id))
            {
                Some(p) if !chosen.iter().any(|c| c.registration_id == Some(p.registration_id)) => {
                    chosen.push(p.speaker());
                }
                Some(_) => {}
                None => {
                    errors.field("speaker", "Choose speakers among the people registered for the meeting.")
                }
            }
        }
        let speakers = text::multi_line(&self.speakers)
            .map_err(|e| e.to_string())
            .and_then(|text| parse_guests(&text))
            .map_err(|e| errors.field("speakers", e))
            .ok()
            .map(|guests| {
                chosen.extend(guests.into_iter().map(|g| NewSpeaker {
                    email: g.email.map(|e| e.to_string()).unwrap_or_default(),
                    ..NewSpeaker::text(&g.name, &g.team)
                }));
                chosen
            });
        match (kind, tlp, track, room, speakers, starts_at, ends_at) {
            (
                Some(kind),
                Some(tlp),
                Some(track_id),
                Some(room_id),
                Some(speakers),
                Some(starts_at),
                Some(ends_at),
            ) if errors.is_empty() => {
                let fields =
                    SessionFields { title, abstract_text, kind, track_id, room_id, starts_at, ends_at, tlp };
                Ok((fields, speakers))
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(day: &str, starts: &str, ends: &str) -> SessionForm {
        SessionForm {
            title: "Sharing at scale".into(),
            day: day.into(),
            starts: starts.into(),
            ends: ends.into(),
            ..SessionForm::blank(NaiveDate::MIN)
        }
    }

    #[test]
    fn times_are_read_on_the_meetings_wall_clock() {
        let (fields, _) = form("2026-06-20", "09:00", "10:30")
            .parse(chrono_tz::America::Denver, (&[], &[]), &[])
            .expect("valid");
        assert_eq!(fields.starts_at.to_string(), "2026-06-20 15:00:00");
        assert_eq!(fields.ends_at.to_string(), "2026-06-20 16:30:00");
        assert_eq!(fields.tlp, Tlp::Amber);
    }

    #[test]
    fn a_time_skipped_by_dst_is_refused_on_its_field() {
        let errors = form("2026-03-29", "02:30", "03:30")
            .parse(chrono_tz::Europe::Copenhagen, (&[], &[]), &[])
            .expect_err("skipped");
        assert!(errors.message("starts").is_some_and(|m| m.contains("does not exist")), "{errors:?}");
        assert!(!errors.has("ends"));
    }

    #[test]
    fn a_title_with_a_line_break_and_an_abstract_with_a_bidi_override_are_refused() {
        let mut f = form("2026-06-20", "09:00", "10:00");
        f.title = "Sharing\r\nX-Injected: yes".into();
        f.abstract_text = "Safe\u{2066}text".into();
        let errors = f.parse(chrono_tz::UTC, (&[], &[]), &[]).expect_err("invalid");
        assert_eq!(errors.fields().collect::<Vec<_>>(), ["title", "abstract_text"]);
    }

    #[test]
    fn an_abstract_keeps_its_lines_with_plain_newlines() {
        let mut f = form("2026-06-20", "09:00", "10:00");
        f.abstract_text = "One\r\nTwo\rThree  \r\n".into();
        let (fields, _) = f.parse(chrono_tz::UTC, (&[], &[]), &[]).expect("valid");
        assert_eq!(fields.abstract_text, "One\nTwo\nThree");
    }

    #[test]
    fn ticked_people_come_first_as_accounts_then_guests_with_their_addresses() {
        use crate::domain::registration::Status;
        let people = [Candidate {
            registration_id: 7,
            name: "Ana Silva".into(),
            team: "CERT.br".into(),
            status: Status::Approved,
        }];
        let mut f = form("2026-06-20", "09:00", "10:00");
        f.registered = vec!["7".into(), "7".into()];
        f.speakers = "Gil Guest (Partner CERT) <gil@partner.example>".into();
        let (_, speakers) = f.parse(chrono_tz::UTC, (&[], &[]), &people).expect("valid");
        assert_eq!(speakers.len(), 2, "a person ticked twice speaks once");
        assert_eq!((speakers[0].registration_id, speakers[0].name.as_str()), (Some(7), "Ana Silva"));
        assert_eq!((speakers[1].registration_id, speakers[1].email.as_str()), (None, "gil@partner.example"));
        f.registered = vec!["8".into()];
        let errors = f.parse(chrono_tz::UTC, (&[], &[]), &people).expect_err("not registered");
        assert_eq!(errors.fields().collect::<Vec<_>>(), ["speaker"]);
    }

    #[test]
    fn unknown_choices_and_bad_times_are_refused() {
        let mut f = form("2026-06-20", "9h", "10:00");
        f.room = "99".into();
        f.tlp = "TLP:WHITE".into();
        let errors = f.parse(chrono_tz::UTC, (&[], &[]), &[]).expect_err("invalid");
        assert_eq!(errors.fields().collect::<Vec<_>>(), ["tlp", "room", "starts"]);
    }
}
