//! The released agenda in the "frab" schedule formats that conference apps read (Giggity,
//! ConfClerk, EventFahrplan) and pretalx publishes: `schedule.xml` and `schedule.json`
//! (the c3voc schedule schema), as pure functions of plain structs. Issue 18, point 2.
//!
//! Both are built from one [`Prepared`] schedule, so they always hold the same events:
//! days (the meeting's days and any day a session starts on, in the meeting's zone) hold
//! rooms, rooms hold events ordered by start. Every session passes through the TLP rule
//! first (docs/CALENDAR.md T1, `domain::tlp::outside`): a TLP:RED session is its
//! placeholder with time, room and track, no type, abstract or speakers; TLP:AMBER and
//! TLP:AMBER+STRICT keep their title and type only; speakers travel only with an abstract
//! (TLP:CLEAR, TLP:GREEN). The label is each event's `subtitle`, which apps show under
//! the title, and the first line of an abstract. Cancelled sessions are left out (a
//! snapshot, like the feed: F5).
//!
//! Identifiers: an event's `guid` is the session's stored calendar UID (a random UUID made
//! once: S6), so it is the same in every release and in the feed; its `id` is the
//! session's number. A room's `guid` is a name-based UUID made from the meeting's UID and
//! the room's name, the same in every release. Unchanged input gives byte-identical output.

use std::collections::BTreeMap;

use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeZone as _, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use sha2::{Digest as _, Sha256};

use crate::domain::tlp::{self, Tlp};

/// The schedule's own facts.
#[derive(Debug, Clone)]
pub struct Conference {
    /// Short name, the meeting's slug.
    pub acronym: String,
    pub title: String,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub zone: Tz,
    /// The meeting's calendar UID: the namespace of the rooms' GUIDs.
    pub uid: String,
    /// What apps show as the schedule's version: the release's name.
    pub version: String,
    /// The agenda's page (signed in), the schedule's `base_url` and `url`.
    pub url: String,
}

/// A released session, confidential parts included: T1 is applied here.
#[derive(Debug, Clone)]
pub struct FrabSession {
    pub id: i64,
    pub uid: String,
    pub title: String,
    pub abstract_text: String,
    pub tlp: Tlp,
    /// Talk, workshop…: the event's `type`.
    pub kind: String,
    pub track: Option<String>,
    pub room: Option<String>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub speakers: Vec<String>,
    pub cancelled: bool,
    /// The session's page (signed in).
    pub url: String,
}

/// What stands for a session without a room.
const NO_ROOM: &str = "Room to be announced";
/// What stands for the type of a session whose kind may not leave (TLP:RED).
const NO_TYPE: &str = "Session";
const TIMESLOT: &str = "00:05";
const LANGUAGE: &str = "en";

#[derive(Serialize)]
struct Person {
    guid: String,
    name: String,
    public_name: String,
}

#[derive(Serialize)]
struct Event {
    guid: String,
    id: i64,
    date: String,
    start: String,
    duration: String,
    room: String,
    slug: String,
    url: String,
    title: String,
    subtitle: String,
    track: String,
    #[serde(rename = "type")]
    kind: String,
    language: &'static str,
    #[serde(rename = "abstract")]
    abstract_text: String,
    description: String,
    recording_license: &'static str,
    do_not_record: bool,
    persons: Vec<Person>,
    links: Vec<()>,
    attachments: Vec<()>,
}

#[derive(Serialize)]
struct Room {
    name: String,
    guid: String,
}

struct Day {
    index: usize,
    date: NaiveDate,
    start: String,
    end: String,
    /// Rooms by name, each with its events by start.
    rooms: BTreeMap<String, Vec<Event>>,
}

/// The schedule after T1, in the shape both formats write.
struct Prepared {
    rooms: Vec<Room>,
    days: Vec<Day>,
}

fn iso(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone).format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// Midnight of `date` in `zone`: the first instant of the local day (a DST change at
/// midnight makes it later; never missing).
fn midnight(date: NaiveDate, zone: Tz) -> DateTime<Utc> {
    let local = date.and_time(NaiveTime::MIN);
    match zone.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
        chrono::LocalResult::None => {
            // Skipped: the first existing minute after it.
            (1..=180)
                .find_map(|m| {
                    zone.from_local_datetime(&(local + chrono::Duration::minutes(m)))
                        .earliest()
                        .map(|t| t.with_timezone(&Utc))
                })
                .unwrap_or_else(|| local.and_utc())
        }
    }
}

/// `HH:MM`, hours not wrapping at a day.
pub fn duration(start: DateTime<Utc>, end: DateTime<Utc>) -> String {
    let minutes = (end - start).num_minutes().max(0);
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// A name-based UUID (RFC 9562 version 8 layout over SHA-256): stable for the same
/// namespace and name, no data readable from it.
pub fn name_uuid(namespace: &str, name: &str) -> String {
    let digest = Sha256::digest(format!("{namespace}\u{1f}{name}").as_bytes());
    let mut b: [u8; 16] = digest[..16].try_into().expect("16 bytes of 32");
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

fn event(c: &Conference, s: &FrabSession) -> Event {
    let out = tlp::outside(s.tlp, &s.title, &s.abstract_text);
    let room = s.room.clone().filter(|r| !r.trim().is_empty()).unwrap_or_else(|| NO_ROOM.to_owned());
    let abstract_text = out
        .abstract_text
        .filter(|a| !a.trim().is_empty())
        .map(|a| format!("{}\n\n{a}", s.tlp))
        .unwrap_or_default();
    // Speakers travel only with the abstract (T1: none for TLP:AMBER, AMBER+STRICT, RED).
    let persons = if out.abstract_text.is_some() {
        s.speakers
            .iter()
            .map(|name| Person {
                guid: name_uuid(&c.uid, &format!("person {name}")),
                name: name.clone(),
                public_name: name.clone(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let kind = if out.kind && !s.kind.trim().is_empty() { s.kind.clone() } else { NO_TYPE.to_owned() };
    Event {
        guid: s.uid.clone(),
        id: s.id,
        date: iso(s.start, c.zone),
        start: s.start.with_timezone(&c.zone).format("%H:%M").to_string(),
        duration: duration(s.start, s.end),
        room,
        slug: format!("{}-{}", c.acronym, s.id),
        url: s.url.clone(),
        title: out.title.to_owned(),
        subtitle: s.tlp.as_str().to_owned(),
        track: s.track.clone().unwrap_or_default(),
        kind,
        language: LANGUAGE,
        abstract_text,
        description: String::new(),
        recording_license: "",
        do_not_record: true,
        persons,
        links: Vec::new(),
        attachments: Vec::new(),
    }
}

fn prepare(c: &Conference, sessions: &[FrabSession]) -> Prepared {
    let mut shown: Vec<&FrabSession> = sessions.iter().filter(|s| !s.cancelled).collect();
    shown.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.uid.cmp(&b.uid)));
    let mut dates: Vec<NaiveDate> = c.first_day.iter_days().take_while(|d| *d <= c.last_day).collect();
    dates.extend(shown.iter().map(|s| s.start.with_timezone(&c.zone).date_naive()));
    dates.sort_unstable();
    dates.dedup();
    let mut days: Vec<Day> = dates
        .iter()
        .enumerate()
        .map(|(i, &date)| {
            let next = date.checked_add_days(Days::new(1)).unwrap_or(date);
            Day {
                index: i + 1,
                date,
                start: iso(midnight(date, c.zone), c.zone),
                end: iso(midnight(next, c.zone), c.zone),
                rooms: BTreeMap::new(),
            }
        })
        .collect();
    let mut rooms: BTreeMap<String, String> = BTreeMap::new();
    for s in shown {
        let e = event(c, s);
        rooms.entry(e.room.clone()).or_insert_with(|| name_uuid(&c.uid, &format!("room {}", e.room)));
        let date = s.start.with_timezone(&c.zone).date_naive();
        if let Some(day) = days.iter_mut().find(|d| d.date == date) {
            day.rooms.entry(e.room.clone()).or_default().push(e);
        }
    }
    let rooms = rooms.into_iter().map(|(name, guid)| Room { name, guid }).collect();
    Prepared { rooms, days }
}

/// The generator's name and version, as pretalx and frab name themselves.
const GENERATOR: &str = "csirt-meet";

/// `schedule.json` (c3voc schedule schema).
pub fn json(c: &Conference, sessions: &[FrabSession]) -> String {
    #[derive(Serialize)]
    struct JsonDay<'a> {
        index: usize,
        date: String,
        day_start: &'a str,
        day_end: &'a str,
        rooms: &'a BTreeMap<String, Vec<Event>>,
    }
    let p = prepare(c, sessions);
    let days: Vec<JsonDay<'_>> = p
        .days
        .iter()
        .map(|d| JsonDay {
            index: d.index,
            date: d.date.to_string(),
            day_start: &d.start,
            day_end: &d.end,
            rooms: &d.rooms,
        })
        .collect();
    let value = serde_json::json!({
        "$schema": "https://c3voc.de/schedule/schema.json",
        "generator": { "name": GENERATOR, "version": env!("CARGO_PKG_VERSION") },
        "schedule": {
            "url": c.url,
            "version": c.version,
            "base_url": c.url,
            "conference": {
                "acronym": c.acronym,
                "title": c.title,
                "start": c.first_day.to_string(),
                "end": c.last_day.to_string(),
                "daysCount": p.days.len(),
                "timeslot_duration": TIMESLOT,
                "time_zone_name": c.zone.name(),
                "url": c.url,
                "rooms": p.rooms,
                "days": days,
            }
        }
    });
    let mut text = serde_json::to_string_pretty(&value).expect("a schedule serializes");
    text.push('\n');
    text
}

/// XML text and attribute escaping; characters XML 1.0 cannot carry are dropped.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if c < ' ' || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

fn element(out: &mut String, indent: usize, name: &str, value: &str) {
    let pad = "  ".repeat(indent);
    if value.is_empty() {
        out.push_str(&format!("{pad}<{name}/>\n"));
    } else {
        out.push_str(&format!("{pad}<{name}>{}</{name}>\n", esc(value)));
    }
}

/// `schedule.xml` (the frab/pentabarf layout pretalx writes).
pub fn xml(c: &Conference, sessions: &[FrabSession]) -> String {
    let p = prepare(c, sessions);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<schedule>\n");
    out.push_str(&format!(
        "  <generator name=\"{GENERATOR}\" version=\"{}\"/>\n",
        esc(env!("CARGO_PKG_VERSION"))
    ));
    element(&mut out, 1, "version", &c.version);
    out.push_str("  <conference>\n");
    element(&mut out, 2, "acronym", &c.acronym);
    element(&mut out, 2, "title", &c.title);
    element(&mut out, 2, "start", &c.first_day.to_string());
    element(&mut out, 2, "end", &c.last_day.to_string());
    element(&mut out, 2, "days", &p.days.len().to_string());
    element(&mut out, 2, "timeslot_duration", TIMESLOT);
    element(&mut out, 2, "base_url", &c.url);
    element(&mut out, 2, "time_zone_name", c.zone.name());
    out.push_str("  </conference>\n");
    let guids: BTreeMap<&str, &str> = p.rooms.iter().map(|r| (r.name.as_str(), r.guid.as_str())).collect();
    for day in &p.days {
        out.push_str(&format!(
            "  <day index=\"{}\" date=\"{}\" start=\"{}\" end=\"{}\">\n",
            day.index, day.date, day.start, day.end
        ));
        for (room, events) in &day.rooms {
            let guid = guids.get(room.as_str()).copied().unwrap_or_default();
            out.push_str(&format!("    <room name=\"{}\" guid=\"{guid}\">\n", esc(room)));
            for e in events {
                out.push_str(&format!("      <event guid=\"{}\" id=\"{}\">\n", esc(&e.guid), e.id));
                for (name, value) in [
                    ("date", &e.date),
                    ("start", &e.start),
                    ("duration", &e.duration),
                    ("room", &e.room),
                    ("slug", &e.slug),
                    ("url", &e.url),
                ] {
                    element(&mut out, 4, name, value);
                }
                out.push_str("        <recording>\n          <license/>\n          <optout>true</optout>\n        </recording>\n");
                for (name, value) in
                    [("title", &e.title), ("subtitle", &e.subtitle), ("track", &e.track), ("type", &e.kind)]
                {
                    element(&mut out, 4, name, value);
                }
                element(&mut out, 4, "language", e.language);
                element(&mut out, 4, "abstract", &e.abstract_text);
                element(&mut out, 4, "description", &e.description);
                if e.persons.is_empty() {
                    out.push_str("        <persons/>\n");
                } else {
                    out.push_str("        <persons>\n");
                    for person in &e.persons {
                        out.push_str(&format!(
                            "          <person guid=\"{}\">{}</person>\n",
                            person.guid,
                            esc(&person.public_name)
                        ));
                    }
                    out.push_str("        </persons>\n");
                }
                out.push_str("        <links/>\n        <attachments/>\n      </event>\n");
            }
            out.push_str("    </room>\n");
        }
        out.push_str("  </day>\n");
    }
    out.push_str("</schedule>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::session::tests::{CANARY_ABSTRACT, CANARY_TITLE};

    const SPEAKER: &str = "CANARY-SPEAKER-44d1 (CERT-X)";

    fn conference() -> Conference {
        Conference {
            acronym: "atm-2026".into(),
            title: "ATM 2026 & friends".into(),
            first_day: NaiveDate::from_ymd_opt(2026, 10, 25).expect("date"),
            last_day: NaiveDate::from_ymd_opt(2026, 10, 26).expect("date"),
            zone: "Europe/Copenhagen".parse().expect("zone"),
            uid: "7b0c4a8e-3f8a-4d57-9a3c-1f2e3d4c5b6a".into(),
            version: "Release 2".into(),
            url: "https://meet.example/meetings/atm-2026/agenda".into(),
        }
    }

    fn session(id: i64, label: Tlp) -> FrabSession {
        FrabSession {
            id,
            uid: format!("2f1c8a53-8d0e-4c1b-9a57-3e0c1d4b6f{id:02}"),
            title: format!("Ransomware <in> hospitals {CANARY_TITLE}"),
            abstract_text: format!("Lessons & numbers {CANARY_ABSTRACT}"),
            tlp: label,
            kind: "Talk".into(),
            track: Some("Incident response".into()),
            room: Some("Hall B".into()),
            // 25 October 2026 is the day Copenhagen leaves summer time (03:00 → 02:00).
            start: Utc.with_ymd_and_hms(2026, 10, 25, 8, 0, 0).single().expect("valid"),
            end: Utc.with_ymd_and_hms(2026, 10, 25, 9, 30, 0).single().expect("valid"),
            speakers: vec![SPEAKER.into()],
            cancelled: false,
            url: format!("https://meet.example/meetings/atm-2026/sessions/{id}"),
        }
    }

    #[test]
    fn times_are_local_with_their_offset_and_durations_are_hours_and_minutes() {
        let body = json(&conference(), &[session(1, Tlp::Clear)]);
        assert!(body.contains("\"date\": \"2026-10-25T09:00:00+01:00\""), "{body}");
        assert!(body.contains("\"start\": \"09:00\""));
        assert!(body.contains("\"duration\": \"01:30\""));
        // The day of the DST change: 25 hours from midnight to midnight.
        assert!(body.contains("\"day_start\": \"2026-10-25T00:00:00+02:00\""), "{body}");
        assert!(body.contains("\"day_end\": \"2026-10-26T00:00:00+01:00\""));
        assert_eq!(duration(session(1, Tlp::Red).start, session(1, Tlp::Red).start), "00:00");
    }

    #[test]
    fn the_tlp_rule_holds_in_both_formats() {
        for label in Tlp::ALL {
            let sessions = [session(1, label)];
            for body in [json(&conference(), &sessions), xml(&conference(), &sessions)] {
                let title = body.contains(CANARY_TITLE);
                let abstract_text = body.contains(CANARY_ABSTRACT);
                let speaker = body.contains("CANARY-SPEAKER");
                let open = matches!(label, Tlp::Clear | Tlp::Green);
                assert_eq!(title, label != Tlp::Red, "{label}: {body}");
                assert_eq!(abstract_text, open, "{label}: {body}");
                assert_eq!(speaker, open, "{label}: speakers travel only with the abstract");
                assert!(body.contains(label.as_str()), "the label is the subtitle");
                assert_eq!(body.contains(tlp::RED_PLACEHOLDER), label == Tlp::Red);
                assert_eq!(body.contains("Talk"), label != Tlp::Red, "no kind for TLP:RED");
            }
        }
    }

    #[test]
    fn xml_escapes_text_and_attributes() {
        let mut s = session(1, Tlp::Green);
        s.room = Some("Hall \"B\" & <C>".into());
        let body = xml(&conference(), &[s]);
        assert!(body.contains("<title>Ransomware &lt;in&gt; hospitals"));
        assert!(body.contains("room name=\"Hall &quot;B&quot; &amp; &lt;C&gt;\""));
        assert!(body.contains("<title>ATM 2026 &amp; friends</title>"));
        assert!(!body.contains("<in>"));
    }

    #[test]
    fn cancelled_sessions_leave_and_the_output_is_stable() {
        let mut gone = session(2, Tlp::Clear);
        gone.cancelled = true;
        let a = [session(1, Tlp::Clear), gone.clone(), session(3, Tlp::Amber)];
        let b = [session(3, Tlp::Amber), session(1, Tlp::Clear), gone];
        assert_eq!(json(&conference(), &a), json(&conference(), &b));
        assert_eq!(xml(&conference(), &a), xml(&conference(), &b));
        assert!(!json(&conference(), &a).contains("sessions/2\""));
        assert_eq!(xml(&conference(), &a).matches("<event ").count(), 2);
    }

    #[test]
    fn room_guids_are_uuids_stable_for_the_same_name() {
        let g = name_uuid("ns", "room Hall B");
        assert_eq!(g, name_uuid("ns", "room Hall B"));
        assert_ne!(g, name_uuid("ns", "room Hall C"));
        assert!(uuid::Uuid::parse_str(&g).is_ok(), "{g}");
        assert_eq!(g.len(), 36);
    }
}
