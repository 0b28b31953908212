//! The demo meeting's agenda: two days over the four tracks and three rooms, with
//! TLP:RED and TLP:AMBER+STRICT sessions among the others, published as a release, and a
//! few picks for the demo attendee. Loaded once: a meeting with sessions is left alone.

use anyhow::Context as _;
use chrono::{Duration, NaiveDateTime, NaiveTime};

use crate::{
    attendance,
    db::DbConnection,
    domain::{
        agenda::{Kind, parse_speakers},
        local_time,
        tlp::Tlp,
    },
    email::Composer,
    models::{
        agenda::{
            release,
            room::{self, RoomFields},
            session::{self, SessionFields},
            track,
        },
        meeting::Meeting,
        registration, user,
    },
};

const ROOMS: [(&str, i32); 3] = [("Main Hall", 180), ("Room Boulder", 60), ("Room Aspen", 40)];

/// (day, start, end, title, kind, track, room, label, speakers, abstract)
type DemoSession = (
    i64,
    &'static str,
    &'static str,
    &'static str,
    Kind,
    Option<&'static str>,
    Option<usize>,
    Tlp,
    &'static str,
    &'static str,
);

const SESSIONS: &[DemoSession] = &[
    (
        0,
        "08:30",
        "09:00",
        "Registration and coffee",
        Kind::Meal,
        None,
        None,
        Tlp::Clear,
        "",
        "Badges at the entrance of the Main Hall.",
    ),
    (
        0,
        "09:00",
        "09:30",
        "Welcome from the hosts",
        Kind::Talk,
        Some("The Future of National CSIRTs"),
        Some(0),
        Tlp::Clear,
        "Demo Host (CERT/CC)",
        "Why we meet, and what this year holds.",
    ),
    (
        0,
        "09:30",
        "10:30",
        "Sharing indicators across borders at national scale",
        Kind::Talk,
        Some("Information Sharing"),
        Some(0),
        Tlp::Green,
        "Demo Speaker (CERT.at)\nDemo Analyst (CERT.be)",
        "What worked and what did not when two national teams automated their exchange.",
    ),
    (0, "10:30", "11:00", "Coffee break", Kind::Break, None, None, Tlp::Clear, "", ""),
    (
        0,
        "11:00",
        "12:00",
        "Incident review: the ministry intrusion",
        Kind::Talk,
        Some("Technical Exchange"),
        Some(0),
        Tlp::Red,
        "Demo Responder (CFCS)",
        "Names, timelines and indicators of a live case. For those present only.",
    ),
    (
        0,
        "11:00",
        "12:00",
        "Building a national CSIRT from zero",
        Kind::Panel,
        Some("Capability Development"),
        Some(1),
        Tlp::Green,
        "Demo Lead (CERT-EE)\nDemo Mentor (CERT.bg)",
        "Three young teams tell what they would do again, and what not.",
    ),
    (0, "12:00", "13:15", "Lunch", Kind::Meal, None, None, Tlp::Clear, "", ""),
    (
        0,
        "13:15",
        "14:15",
        "Vulnerability coordination with vendors that do not answer",
        Kind::Breakout,
        Some("Information Sharing"),
        Some(1),
        Tlp::AmberStrict,
        "Demo Coordinator (CERT.at)",
        "Cases where the vendor stayed silent, and how teams decided to publish.",
    ),
    (
        0,
        "13:15",
        "14:15",
        "Team updates, part one",
        Kind::TeamUpdate,
        Some("Capability Development"),
        Some(0),
        Tlp::Amber,
        "",
        "Five-minute updates from national teams.",
    ),
    (
        0,
        "14:30",
        "16:00",
        "Malware triage at national scale",
        Kind::Talk,
        Some("Technical Exchange"),
        Some(2),
        Tlp::Amber,
        "Demo Engineer (CERT.be)",
        "A pipeline that sorts a million samples a day.",
    ),
    (
        0,
        "18:30",
        "21:00",
        "Reception",
        Kind::Social,
        None,
        None,
        Tlp::Clear,
        "",
        "Drinks and dinner near the venue.",
    ),
    (
        1,
        "09:00",
        "10:00",
        "State actors and national teams: a closed discussion",
        Kind::Panel,
        Some("The Future of National CSIRTs"),
        Some(0),
        Tlp::Red,
        "Demo Moderator (CERT/CC)",
        "Chatham House applies. Nothing leaves the room.",
    ),
    (1, "10:00", "10:30", "Coffee break", Kind::Break, None, None, Tlp::Clear, "", ""),
    (
        1,
        "10:30",
        "11:30",
        "Sector CERTs and the national team: who does what",
        Kind::Breakout,
        Some("Information Sharing"),
        Some(1),
        Tlp::AmberStrict,
        "Demo Analyst (CERT.be)",
        "Mandates that overlap, and how teams settled them.",
    ),
    (
        1,
        "10:30",
        "11:30",
        "Team updates, part two",
        Kind::TeamUpdate,
        Some("Capability Development"),
        Some(0),
        Tlp::Amber,
        "",
        "Five-minute updates from national teams.",
    ),
    (
        1,
        "11:30",
        "12:30",
        "Where national CSIRTs go next",
        Kind::Panel,
        Some("The Future of National CSIRTs"),
        Some(0),
        Tlp::Green,
        "Demo Host (CERT/CC)\nDemo Lead (CERT-EE)",
        "Closing discussion and next year's meeting.",
    ),
];

fn at(m: &Meeting, day: i64, hm: &str) -> anyhow::Result<NaiveDateTime> {
    let zone = local_time::parse_zone(&m.time_zone)?;
    let time = NaiveTime::parse_from_str(hm, "%H:%M")?;
    Ok(local_time::to_utc(m.first_day + Duration::days(day), time, zone)?)
}

pub fn load(
    conn: &mut DbConnection,
    mail: &Composer,
    demo: &Meeting,
    attendee: &str,
    organizer: i64,
) -> anyhow::Result<()> {
    let now = mail.now().naive_utc();
    if !session::for_meeting(conn, demo.id)?.is_empty() {
        return Ok(());
    }
    for (position, (name, capacity)) in (1..).zip(ROOMS) {
        room::insert(conn, demo.id, &RoomFields { name: name.into(), capacity, position })?;
    }
    let (tracks, rooms) = (track::for_meeting(conn, demo.id)?, room::for_meeting(conn, demo.id)?);
    let mut ids = Vec::new();
    for &(day, start, end, title, kind, track_name, room_index, tlp, speakers, abstract_text) in SESSIONS {
        let fields = SessionFields {
            title: title.into(),
            abstract_text: abstract_text.into(),
            kind,
            track_id: track_name.and_then(|n| tracks.iter().find(|t| t.name == n)).map(|t| t.id),
            room_id: room_index.and_then(|i| rooms.get(i)).map(|r| r.id),
            starts_at: at(demo, day, start)?,
            ends_at: at(demo, day, end)?,
            tlp,
        };
        let speakers: Vec<session::NewSpeaker> = parse_speakers(speakers)
            .map_err(anyhow::Error::msg)?
            .iter()
            .map(|(name, team)| session::NewSpeaker::text(name, team))
            .collect();
        ids.push(session::insert(conn, demo.id, &fields, &speakers, &uuid::Uuid::new_v4().to_string(), now)?);
    }
    release::publish(conn, demo.id, "Demo agenda", organizer, now)?;
    let person = user::by_email(conn, attendee)?.context("demo attendee")?;
    let reg = registration::for_user(conn, person.id)?
        .into_iter()
        .find(|(r, ..)| r.meeting_id == demo.id)
        .context("demo attendee's registration")?;
    // As the attendee's "Add to my agenda" button: each pick queues its invite.
    for index in [2, 8] {
        attendance::pick(conn, mail, (demo.id, reg.0.id), ids[index], true)??;
    }
    Ok(())
}
