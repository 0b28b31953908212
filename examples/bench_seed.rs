//! Seeds a database for `bench/feed-load.sh` and `bench/page-load.sh` without the network:
//! a meeting with 3 rooms and 300 sessions over 3 days (mixed TLP labels, no overlap within
//! a room) published as a release, 1,000 members with approved registrations, and a private
//! feed token for ONE of them, whose raw value is written to OUT-FILE (mode 0600).
//!
//!     cargo run --release --example bench_seed -- DATABASE-URL OUT-FILE [OUT-DIR]
//!
//! With OUT-DIR (an existing folder), it also signs in two people for the page benchmark
//! and writes what that needs, one value per file: `attendee.cookie` and
//! `organizer.cookie` (session cookie values, mode 0600: a second approved attendee, who
//! picked 12 sessions, and the organizer), `slug`, `day` (the first day, YYYY-MM-DD),
//! `session` (the id of a picked TLP:AMBER session) and `attendee.name`. Without it the
//! database is exactly what the feed benchmark always had.
//!
//! Works on either backend (sqlite://PATH or postgres://…); the database should be empty.

use std::{io::Write as _, os::unix::fs::OpenOptionsExt as _, time::Duration as StdDuration};

use anyhow::{Context as _, bail};
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use csirt_meet::{
    clock::Clock,
    db::{self, DatabaseUrl, Db, DbConnection, run_migrations},
    domain::{agenda::Kind, local_time, registration::Status, states::Role, tlp::Tlp, token::Token},
    models::{
        agenda::{
            pick, release,
            room::{self, RoomFields},
            session::{self, SessionFields},
            track,
        },
        feed_token,
        meeting::{self, MeetingFields},
        registration::{self, NewRegistration},
        session as web_session,
        team::{self, TeamFields},
        user::{self, NewUser},
    },
};

const SESSIONS: usize = 300;
const DAYS: usize = 3;
const ROOMS: [(&str, i32); 3] = [("Main Hall", 400), ("Room Boulder", 120), ("Room Aspen", 80)];
const ATTENDEES: usize = 1_000;
const TEAMS: usize = 100;
const ZONE: &str = "America/Denver";
/// Not a password hash: nobody signs in to the bench database.
const NO_PASSWORD: &str = "!bench-no-password";

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (url, out, pages) = match args.as_slice() {
        [url, out] => (url, out, None),
        [url, out, dir] => (url, out, Some(std::path::Path::new(dir))),
        _ => bail!("usage: bench_seed DATABASE-URL OUT-FILE [OUT-DIR]"),
    };
    let url = DatabaseUrl::parse(url).context("database url")?;
    let db = Db::connect(&url, 1, StdDuration::from_secs(10)).context("connecting")?;
    let mut conn = db.get()?;
    run_migrations(&mut conn)?;
    let now = Clock::system().now_naive();
    let seeded = db::transaction(&mut conn, |c| seed(c, now))?;
    write_secret(std::path::Path::new(out), seeded.token.as_str())?;
    println!(
        "seeded: 1 meeting, {SESSIONS} sessions over {DAYS} days, {ATTENDEES} approved attendees, 1 feed token"
    );
    if let Some(dir) = pages {
        let signed_in = db::transaction(&mut conn, |c| sign_in(c, &seeded, now))?;
        write_secret(&dir.join("attendee.cookie"), signed_in.attendee.as_str())?;
        write_secret(&dir.join("organizer.cookie"), signed_in.organizer.as_str())?;
        for (name, value) in [
            ("slug", seeded.slug.clone()),
            ("day", seeded.first_day.to_string()),
            ("session", signed_in.session_id.to_string()),
            ("attendee.name", signed_in.attendee_name.clone()),
        ] {
            std::fs::write(dir.join(name), format!("{value}\n"))?;
        }
        println!("signed in: 1 approved attendee with {PICKS} picks, 1 organizer");
    }
    Ok(())
}

/// Sessions the signed-in attendee of the page benchmark picked, from the first day.
const PICKS: usize = 12;

/// A raw secret in a new file only its owner reads.
fn write_secret(path: &std::path::Path, value: &str) -> anyhow::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    writeln!(file, "{value}")?;
    Ok(())
}

/// What [`seed`] made that the page benchmark needs.
struct Seeded {
    token: Token,
    slug: String,
    first_day: NaiveDate,
    meeting_id: i64,
    organizer_id: i64,
}

struct SignedIn {
    attendee: Token,
    organizer: Token,
    attendee_name: String,
    session_id: i64,
}

/// Signs in the organizer and the SECOND approved attendee (the first one's feed stays as
/// the feed benchmark knows it), who picks [`PICKS`] sessions of the first day.
fn sign_in(c: &mut DbConnection, seeded: &Seeded, now: NaiveDateTime) -> anyhow::Result<SignedIn> {
    let (_, sessions) = release::latest_sessions(c, seeded.meeting_id)?;
    let approved = registration::approved_ids(c, seeded.meeting_id)?;
    let reg = *approved.get(1).context("fewer than 2 approved attendees")?;
    let (_, attendee_name) = registration::address_and_name(c, reg)?;
    let attendee_id = registration::find(c, reg)?.user_id;
    let zone = local_time::parse_zone(ZONE)?;
    let first_day: Vec<_> = sessions
        .iter()
        .filter(|s| s.starts_at.and_utc().with_timezone(&zone).date_naive() == seeded.first_day)
        .collect();
    for s in first_day.iter().step_by(first_day.len() / PICKS).take(PICKS) {
        pick::add(c, reg, s.session_id, now)?;
    }
    let picked = pick::for_registration(c, reg)?;
    let session_id = sessions
        .iter()
        .find(|s| s.tlp == Tlp::Amber && picked.contains(&s.session_id))
        .or_else(|| sessions.iter().find(|s| picked.contains(&s.session_id)))
        .context("no picked session")?
        .session_id;
    let mut session_for = |user_id: i64| -> anyhow::Result<Token> {
        let token = Token::generate();
        let csrf = Token::generate();
        web_session::create(c, &token.hash(), user_id, csrf.as_str(), true, now)?;
        Ok(token)
    };
    Ok(SignedIn {
        attendee: session_for(attendee_id)?,
        organizer: session_for(seeded.organizer_id)?,
        attendee_name,
        session_id,
    })
}

fn seed(c: &mut DbConnection, now: NaiveDateTime) -> anyhow::Result<Seeded> {
    let organizer =
        user::insert(c, &person("bench-organizer@example.org", "Bench Organizer", Role::Organizer, now))?;
    let first_day = now.date() + Duration::days(60);
    let uids = (uuid::Uuid::new_v4().to_string(), uuid::Uuid::new_v4().to_string());
    let m = meeting::insert(c, &meeting_fields(first_day, now)?, (&uids.0, &uids.1), false, now)?;
    for (position, (name, capacity)) in (1..).zip(ROOMS) {
        room::insert(c, m.id, &RoomFields { name: name.into(), capacity, position })?;
    }
    let (tracks, rooms) = (track::for_meeting(c, m.id)?, room::for_meeting(c, m.id)?);
    let zone = local_time::parse_zone(ZONE)?;
    // Session i goes to room i % 3; each room holds back-to-back 20-minute slots from
    // 08:00, about 34 a day, so sessions never overlap within a room.
    let per_day = SESSIONS.div_ceil(rooms.len() * DAYS);
    for i in 0..SESSIONS {
        let (room, k) = (&rooms[i % rooms.len()], i / rooms.len());
        let (day, slot) = (k / per_day, k % per_day);
        let start = NaiveTime::from_hms_opt(8, 0, 0).context("time")? + Duration::minutes(20 * slot as i64);
        let starts_at = local_time::to_utc(first_day + Duration::days(day as i64), start, zone)?;
        let fields = SessionFields {
            title: format!(
                "Session {:03}: coordinated response across national teams, part {}",
                i + 1,
                i % 7 + 1
            ),
            abstract_text: format!(
                "What national CSIRTs learned from case {} this year: the timeline, the indicators \
                 that were shared and with whom, what the constituency was told, and what the teams \
                 would do differently next time. Questions from the floor are welcome.",
                i + 1
            ),
            kind: Kind::ALL[i % Kind::ALL.len()],
            track_id: (i % 5 != 4).then(|| tracks[i % tracks.len()].id),
            room_id: Some(room.id),
            starts_at,
            ends_at: starts_at + Duration::minutes(20),
            tlp: Tlp::ALL[i % Tlp::ALL.len()],
        };
        let speakers: Vec<session::NewSpeaker> = (0..i % 3)
            .map(|n| {
                let (name, team) =
                    (format!("Speaker {}-{}", i + 1, n + 1), format!("CSIRT {:03}", (i + n) % TEAMS));
                session::NewSpeaker::text(&name, &team)
            })
            .collect();
        session::insert(c, m.id, &fields, &speakers, &uuid::Uuid::new_v4().to_string(), now)?;
    }
    release::publish(c, m.id, "Bench agenda", organizer.id, now)?;

    let mut teams = Vec::with_capacity(TEAMS);
    for t in 0..TEAMS {
        let fields = TeamFields {
            name: format!("National CSIRT {t:03}"),
            short_name: format!("CSIRT {t:03}"),
            country_code: format!(
                "{}{}",
                char::from(b'A' + (t / 26) as u8),
                char::from(b'A' + (t % 26) as u8)
            ),
            website: format!("https://csirt{t:03}.example.org/"),
            cap_override: Some(20),
            domains: vec![format!("csirt{t:03}.example.org")],
            derived_domains: false,
            unconfirmed_domains: None,
            contacts: None,
        };
        teams.push(team::upsert(c, &fields, now)?.0);
    }
    let mut first = None;
    for i in 0..ATTENDEES {
        let t = i % TEAMS;
        let email = format!("attendee{i:04}@csirt{t:03}.example.org");
        let member = user::insert(c, &person(&email, &format!("Attendee {i:04}"), Role::Member, now))?;
        let new = NewRegistration {
            meeting_id: m.id,
            user_id: member.id,
            team_id: teams[t],
            status: Status::Pending,
            role_title: "Incident handler",
            dietary: "",
            accessibility: "",
            consent_listed: true,
            created_at: now,
            updated_at: now,
            invitation_id: None,
        };
        let r = registration::insert(c, &new)?;
        registration::set_decision(c, r.id, Status::Approved, organizer.id, None, now)?;
        first.get_or_insert(r.id);
    }
    let token = Token::generate();
    feed_token::replace(c, first.context("no attendee")?, &token.hash(), now)?;
    Ok(Seeded { token, slug: m.slug, first_day, meeting_id: m.id, organizer_id: organizer.id })
}

fn person<'a>(email: &'a str, name: &'a str, role: Role, now: NaiveDateTime) -> NewUser<'a> {
    NewUser { email, name, role, password_hash: NO_PASSWORD, email_verified_at: Some(now), created_at: now }
}

fn meeting_fields(first_day: NaiveDate, now: NaiveDateTime) -> anyhow::Result<MeetingFields> {
    let zone = local_time::parse_zone(ZONE)?;
    let conference_first_day = first_day - Duration::days(6);
    Ok(MeetingFields {
        slug: "bench".into(),
        title: "NatCSIRT benchmark meeting".into(),
        city: "Denver".into(),
        venue: "Bench Convention Center".into(),
        time_zone: ZONE.into(),
        first_day,
        last_day: first_day + Duration::days(DAYS as i64 - 1),
        conference_name: "FIRST Conference (bench)".into(),
        conference_city: "Denver".into(),
        conference_first_day,
        conference_last_day: first_day - Duration::days(1),
        registration_opens: now,
        registration_closes: local_time::to_utc(conference_first_day, NaiveTime::MIN, zone)?,
        default_cap: 20,
        conference_time_zone: ZONE.into(),
        description: String::new(),
        contact_email: String::new(),
        edition_id: None,
        offer_hours: 72,
        endorsement: csirt_meet::domain::endorsement::Mode::Off,
    })
}
