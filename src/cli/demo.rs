//! `csirt-meet demo`: a clearly marked demo meeting in Denver placed relative to today (a
//! FIRST conference starting on the Sunday eight weeks ahead, the meeting on the weekend
//! right after it, registration open), the national CSIRT registry, and demo accounts whose
//! passwords are printed, and a published two-day agenda (`demo_agenda`). Running it again
//! gives the accounts new passwords. Decisions and picks go through the code a person's
//! actions do (`attendance`), so their emails and calendar invites wait in the outbox for
//! `serve` to deliver.

use anyhow::Context as _;
use chrono::{DateTime, Datelike as _, Duration, NaiveDate, NaiveTime, Utc, Weekday};

use std::sync::Arc;

use crate::{
    attendance::{self, Target},
    clock::Clock,
    config::{Settings, TransportKind},
    credentials::password,
    db::{self, DbConnection},
    domain::states::Role,
    domain::{
        local_time,
        registration::{self as rules, Decision, Status},
        team_import,
        token::Token,
    },
    email::Composer,
    models::{
        audit,
        meeting::{self, MeetingFields},
        registration,
        team::{self, TeamFields},
        user,
    },
    render,
};

const TEAMS: &[u8] = include_bytes!("../../assets/demo/national_csirts.csv");
const SLUG: &str = "natcsirt-demo";

/// The Sunday on or after `day`.
fn sunday_on_or_after(day: NaiveDate) -> NaiveDate {
    let ahead = (7 - day.weekday().num_days_from_sunday()) % 7;
    day + Duration::days(i64::from(ahead))
}

/// The demo meeting as of `now`. Its days follow Denver's date, not UTC's: between
/// midnight UTC and midnight in Denver, registration opening at the start of UTC's date
/// would have been hours ahead, and every invitation refused as "not open yet".
fn demo_meeting(now: DateTime<Utc>) -> anyhow::Result<MeetingFields> {
    let zone = local_time::parse_zone("America/Denver")?;
    let today = now.with_timezone(&zone).date_naive();
    let conference_first = sunday_on_or_after(today + Duration::weeks(8));
    debug_assert_eq!(conference_first.weekday(), Weekday::Sun);
    let conference_last = conference_first + Duration::days(5);
    let first_day = conference_last + Duration::days(1);
    let end_of_day = NaiveTime::from_hms_opt(23, 59, 0).unwrap_or(NaiveTime::MIN);
    Ok(MeetingFields {
        slug: SLUG.into(),
        title: format!("DEMO — NatCSIRT {} (demo data, not a real meeting)", first_day.year()),
        city: "Denver".into(),
        venue: "Demo Convention Center".into(),
        time_zone: "America/Denver".into(),
        first_day,
        last_day: first_day + Duration::days(1),
        conference_name: "FIRST Conference (demo)".into(),
        conference_city: "Denver".into(),
        conference_first_day: conference_first,
        conference_last_day: conference_last,
        registration_opens: local_time::to_utc(today, NaiveTime::MIN, zone)?,
        registration_closes: local_time::to_utc(conference_first - Duration::days(1), end_of_day, zone)?,
        default_cap: 3,
        conference_time_zone: "America/Denver".into(),
        description: "Demo data: a meeting to try csirt-meet with. Nobody meets here.".into(),
        contact_email: "organizers@demo.example".into(),
        // The demo's conference moves with today, so it is no edition organizers keep.
        edition_id: None,
        offer_hours: 72,
        endorsement: crate::domain::endorsement::Mode::Off,
    })
}

/// Demo people, their team (by short name) and their registration's state.
const REGISTRATIONS: &[(&str, &str, Status, Option<&str>)] = &[
    ("demo-attendee@cert.at", "CERT.at", Status::Approved, None),
    ("demo-pending@cert.be", "CERT.be", Status::Pending, None),
    ("demo-waitlisted@cert.at", "CERT.at", Status::Waitlisted, None),
    (
        "demo-rejected@govcert.bg",
        "CERT.bg",
        Status::Rejected,
        Some("The team sends its three approved people."),
    ),
    ("demo-withdrawn@ria.ee", "CERT-EE", Status::Withdrawn, None),
    ("demo-unconfirmed@cert.be", "CERT.be", Status::PendingVerification, None),
    ("demo-revoked@cfcs.dk", "CFCS", Status::Revoked, Some("The person left the team.")),
];

/// The organizer's decisions that bring a pending registration to `status`, as a person
/// would take them; `None` for a status that is no organizer's decision.
fn decisions(status: Status) -> Option<&'static [Decision]> {
    match status {
        Status::Approved => Some(&[Decision::Approve]),
        Status::Waitlisted => Some(&[Decision::Waitlist]),
        Status::Rejected => Some(&[Decision::Reject]),
        Status::Revoked => Some(&[Decision::Approve, Decision::Revoke]),
        Status::Pending | Status::PendingVerification | Status::Withdrawn | Status::Offered => None,
    }
}

/// A registration for `person` in `status`, unless the person has one already. The
/// organizer's decisions go through `attendance::decide`, as on the registrations page, so
/// the decision emails and the meeting's invite (a REQUEST with SEQUENCE 0) are queued.
fn register(
    conn: &mut DbConnection,
    mail: &Composer,
    demo: &meeting::Meeting,
    (email, short_name): (&str, &str),
    (status, reason): (Status, Option<&str>),
    organizer: i64,
) -> anyhow::Result<()> {
    let now = mail.now().naive_utc();
    let Some(team) = team::by_short_name(conn, short_name)? else {
        return Ok(());
    };
    if user::by_email(conn, email)?.is_none() {
        let name = format!("Demo {}", status.label());
        if status == Status::PendingVerification {
            // As a self-registration waiting for its confirmation: no password yet.
            let new = user::NewUser {
                email,
                name: &name,
                role: Role::Member,
                password_hash: user::NO_PASSWORD,
                email_verified_at: None,
                created_at: now,
            };
            user::insert(conn, &new)?;
        } else {
            account(conn, email, &name, Role::Member, now)?;
        }
    }
    let person = user::by_email(conn, email)?.context("demo account")?;
    if registration::exists(conn, demo.id, person.id)? {
        return Ok(());
    }
    let decided = !matches!(status, Status::Pending | Status::PendingVerification);
    let new = registration::NewRegistration {
        meeting_id: demo.id,
        user_id: person.id,
        team_id: team.id,
        status: if decided { Status::Pending } else { status },
        role_title: "Incident handler",
        dietary: "",
        accessibility: "",
        consent_listed: true,
        created_at: now,
        updated_at: now,
        invitation_id: None,
    };
    let created = registration::insert(conn, &new)?;
    match decisions(status) {
        Some(steps) => {
            let target = Target { id: created.id, name: person.name.clone(), email: person.email.clone() };
            for &decision in steps {
                let reason = reason.filter(|_| rules::reason_required(decision));
                attendance::decide(conn, mail, organizer, demo, &target, decision, reason)?
                    .map_err(|refused| anyhow::anyhow!("demo decision for {email}: {refused}"))?;
            }
        }
        // The person's own step (withdrawn): before any decision, nothing was sent.
        None if decided => {
            registration::set_decision(conn, created.id, status, person.id, reason, now)?;
        }
        None => {}
    }
    Ok(())
}

/// Creates the account or gives it a new password; returns the password.
fn account(
    conn: &mut DbConnection,
    email: &str,
    name: &str,
    role: Role,
    now: chrono::NaiveDateTime,
) -> anyhow::Result<String> {
    let secret = format!("demo-{}", &Token::generate().as_str()[..16]);
    let hash = password::hash(&secret)?;
    match user::by_email(conn, email)? {
        Some(u) => {
            user::set_password(conn, u.id, &hash)?;
        }
        None => {
            let new = user::NewUser {
                email,
                name,
                role,
                password_hash: &hash,
                email_verified_at: Some(now),
                created_at: now,
            };
            user::insert(conn, &new)?;
        }
    }
    Ok(secret)
}

/// The mail composer the demo's decisions and picks queue their mail with, as `serve`
/// builds it (no server, no worker: `serve` delivers what is queued).
fn composer(settings: &Settings, clock: Clock) -> anyhow::Result<Composer> {
    let tera = render::load_templates(&settings.server.templates_dir)?;
    Ok(Composer::new(Arc::new(tera), settings, clock))
}

pub fn run(settings: Settings) -> anyhow::Result<()> {
    // The demo's decisions and picks queue emails to its people, whose addresses are at
    // real national teams' domains: they may only ever reach the development file transport.
    if settings.mail.transport == TransportKind::Smtp {
        anyhow::bail!(
            "mail.transport is \"smtp\"; the demo queues emails to demo addresses at real teams' \
             domains, so it only loads with mail.transport = \"file\""
        );
    }
    let db = super::open_database(&settings)?;
    let clock = Clock::system();
    let now = clock.now_naive();
    let rows = team_import::parse(TEAMS, &settings.registry.free_mail_domains)
        .map_err(|r| anyhow::anyhow!("{r}"))?;
    let fields = demo_meeting(clock.now())?;
    let mut conn = db.get()?;
    let mail = composer(&settings, clock)?;
    // Demo accounts get passwords printed on a terminal: never next to real data.
    if meeting::list(&mut conn)?.iter().any(|m| !m.is_demo) {
        anyhow::bail!(
            "this database holds real meetings; the demo (accounts with printed passwords) \
             only loads into a database of its own, e.g. DATABASE_URL=sqlite://var/demo.db"
        );
    }
    let (organizer, attendee) = db::transaction(&mut conn, |c| -> anyhow::Result<(String, String)> {
        for row in &rows {
            team::upsert(c, &TeamFields::from_row(row, None), now)?;
        }
        let demo = match meeting::slug_taken(c, SLUG, None)? {
            true => meeting::by_slug(c, SLUG)?,
            false => {
                let uids = (uuid::Uuid::new_v4().to_string(), uuid::Uuid::new_v4().to_string());
                meeting::insert(c, &fields, (&uids.0, &uids.1), true, now)?
            }
        };
        let organizer = account(c, "demo-organizer@example.org", "Demo Organizer", Role::Organizer, now)?;
        let attendee = account(c, "demo-attendee@cert.at", "Demo Attendee", Role::Member, now)?;
        let organizer_id = user::by_email(c, "demo-organizer@example.org")?.map_or(0, |u| u.id);
        for (email, team, status, reason) in REGISTRATIONS {
            register(c, &mail, &demo, (email, team), (*status, *reason), organizer_id)?;
        }
        super::demo_agenda::load(c, &mail, &demo, "demo-attendee@cert.at", organizer_id)?;
        audit::record(c, None, "demo.loaded", SLUG, "", now)?;
        Ok((organizer, attendee))
    })
    .context("loading the demo data")?;
    println!(
        "Demo data loaded: the meeting \"{SLUG}\" ({} to {}) and {} teams.",
        fields.first_day,
        fields.last_day,
        rows.len()
    );
    println!("demo-organizer@example.org / {organizer}");
    println!("demo-attendee@cert.at / {attendee}");
    println!(
        "The organizer sets up two-step sign-in at the first sign-in. Start the server with `cargo run`: \
         it delivers the demo's emails and invites into {}.",
        settings.mail.file_dir.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_conference_starts_on_a_sunday_eight_weeks_ahead_and_the_meeting_follows_it() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
        let m = demo_meeting(today.and_hms_opt(18, 0, 0).expect("time").and_utc()).expect("demo meeting");
        assert_eq!(m.conference_first_day.weekday(), Weekday::Sun);
        assert!(m.conference_first_day >= today + Duration::weeks(8));
        assert!(m.conference_first_day < today + Duration::weeks(9));
        assert_eq!((m.first_day.weekday(), m.last_day.weekday()), (Weekday::Sat, Weekday::Sun));
        assert_eq!(m.first_day, m.conference_last_day + Duration::days(1));
    }

    #[test]
    fn registration_is_open_at_once_whatever_the_hour_in_utc() {
        for hour in [0, 3, 6, 7, 12, 23] {
            let now =
                NaiveDate::from_ymd_opt(2026, 12, 4).expect("date").and_hms_opt(hour, 30, 0).expect("time");
            let m = demo_meeting(now.and_utc()).expect("demo meeting");
            assert!(m.registration_opens <= now && now < m.registration_closes, "{hour}:30 UTC: {m:?}");
        }
    }
}
