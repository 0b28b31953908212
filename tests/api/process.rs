//! The real binary: configuration errors, the request log and signals.

use std::{process::Stdio, time::Duration};

use crate::{
    fixtures::MeetingRow,
    helpers::{
        TestDatabase,
        process::{Served, csirt_meet, serve_with},
    },
};

#[test]
fn a_bad_config_value_stops_start_up_naming_the_key() {
    for (key, value, named) in [
        ("CSIRT_MEET__SERVER__PORT", "eighty", "server.port"),
        ("CSIRT_MEET__SERVER__PUBLIC_URL", "meet.example.org", "server.public_url"),
        ("DATABASE_URL", "mysql://localhost/meet", "database.url"),
        ("CSIRT_MEET__DATABASE__POOL_SIZE", "0", "database.pool_size"),
        ("CSIRT_MEET__DATABASE__LOCK_TIMEOUT_MS", "0", "database.lock_timeout_ms"),
    ] {
        let out = csirt_meet().env(key, value).output().expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{key}={value}: {stderr}");
        assert!(
            stderr.contains("configuration error") && stderr.to_lowercase().contains(named),
            "{key}={value}: {stderr}"
        );
    }
}

#[test]
fn an_unreachable_database_stops_start_up_with_the_drivers_reason() {
    let out = csirt_meet()
        .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
        .env("CSIRT_MEET__DATABASE__CONNECT_TIMEOUT_SECS", "1")
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("connecting to the PostgreSQL database"), "{stderr}");
    assert!(stderr.to_lowercase().contains("connection refused"), "the real cause is kept: {stderr}");
}

#[test]
fn migrate_applies_migrations_once() {
    let db = TestDatabase::create();
    let first = csirt_meet().arg("migrate").env("DATABASE_URL", db.url()).output().expect("runs");
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(String::from_utf8_lossy(&first.stdout).contains("applied"));
    let second = csirt_meet().arg("migrate").env("DATABASE_URL", db.url()).output().expect("runs");
    assert!(String::from_utf8_lossy(&second.stdout).contains("up to date"));
}

fn serve(db: &TestDatabase) -> Served {
    serve_with(db, &[])
}

fn get(port: u16, path: &str) -> u16 {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        reqwest::get(format!("http://127.0.0.1:{port}{path}")).await.expect("answered").status().as_u16()
    })
}

#[test]
fn the_request_log_names_the_route_never_the_path_or_query() {
    let db = TestDatabase::create();
    let mut served = serve(&db);
    assert_eq!(get(served.port, "/healthz?token=QUERYSECRET123"), 200);
    assert_eq!(get(served.port, "/feeds/PATHSECRET456.ics"), 404);
    let ok = served.wait_for("status=200");
    assert!(
        ok.contains("route=\"/healthz\"") && ok.contains("method=GET") && ok.contains("latency_ms="),
        "{ok}"
    );
    let missing = served.wait_for("status=404");
    assert!(missing.contains("route=\"/feeds/{token}.ics\""), "the pattern, not the token: {missing}");
    served.signal("TERM");
    served.wait_for("stopped");
    let all = served.seen.join("\n");
    assert!(!all.contains("QUERYSECRET123") && !all.contains("PATHSECRET456"), "{all}");
    assert!(served.child.wait().expect("exits").success());
}

#[test]
fn sigterm_and_sigint_stop_the_server_cleanly() {
    for signal in ["TERM", "INT"] {
        let db = TestDatabase::create();
        let mut served = serve(&db);
        assert_eq!(get(served.port, "/healthz"), 200);
        served.signal(signal);
        served.wait_for("graceful shutdown");
        served.wait_for("stopped");
        let status = served.child.wait().expect("exits");
        assert!(status.success(), "SIG{signal}: {status}");
    }
}

#[test]
fn serve_prints_a_setup_link_while_there_is_no_organizer_unless_turned_off() {
    let db = TestDatabase::create();
    let mut served = serve(&db);
    let line =
        served.seen.iter().find(|l| l.contains("/setup/")).cloned().expect("the setup link was printed");
    let token = line.trim().rsplit('/').next().expect("token");
    assert_eq!(token.len(), 64, "a 256-bit token: {line}");
    assert!(!line.contains("INFO"), "printed outside the log: {line}");
    served.signal("TERM");
    served.wait_for("stopped");
    assert!(!served.seen.iter().any(|l| l.contains("route=") && l.contains(token)));
    assert!(served.child.wait().expect("exits").success());

    let out = create_organizer(&db, "Ada@Cert.Example", "quartz-falcon-meadow-64");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("ada@cert.example"));

    let mut served = serve(&db);
    served.signal("TERM");
    served.wait_for("stopped");
    assert!(!served.seen.iter().any(|l| l.contains("/setup/")), "no link once an organizer exists");
    assert!(served.child.wait().expect("exits").success());

    let empty = TestDatabase::create();
    let mut served = serve_with(&empty, &[("CSIRT_MEET__AUTH__SETUP_LINK", "false")]);
    served.signal("TERM");
    served.wait_for("stopped");
    assert!(!served.seen.iter().any(|l| l.contains("/setup/")), "no link when turned off");
    assert!(served.child.wait().expect("exits").success());
}

#[test]
fn create_organizer_refuses_a_weak_password_and_an_existing_address() {
    let db = TestDatabase::create();
    let run = |password: &str| create_organizer(&db, "ada@cert.example", password);
    let weak = run("password1234");
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("common passwords"));
    assert!(run("quartz-falcon-meadow-64").status.success());
    let again = run("quartz-falcon-meadow-64");
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
}

/// `csirt-meet create-organizer` with the password on standard input.
fn create_organizer(db: &TestDatabase, email: &str, password: &str) -> std::process::Output {
    use std::io::Write as _;
    let mut child = csirt_meet()
        .args(["create-organizer", "--email", email, "--name", "Ada Organizer"])
        .env("DATABASE_URL", db.url())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    child.stdin.take().expect("stdin").write_all(format!("{password}\n").as_bytes()).expect("written");
    child.wait_with_output().expect("exits")
}

#[test]
fn demo_loads_a_marked_meeting_the_registry_and_accounts_whose_passwords_work() {
    let db = TestDatabase::create();
    for _ in 0..2 {
        let out = csirt_meet().arg("demo").env("DATABASE_URL", db.url()).output().expect("runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("86 teams"), "{stdout}");
        let accounts: Vec<&str> = stdout.lines().filter(|l| l.contains(" / ")).collect();
        assert_eq!(accounts.len(), 2, "{stdout}");
        let (email, password) = accounts[1].split_once(" / ").expect("email / password");
        let url = csirt_meet::db::DatabaseUrl::parse(db.url()).expect("url");
        let pool = csirt_meet::db::Db::connect(&url, 1, Duration::from_secs(5)).expect("connect");
        let mut conn = pool.get().expect("connection");
        let account = csirt_meet::models::user::by_email(&mut conn, email).expect("query").expect("account");
        assert!(
            csirt_meet::credentials::password::verify(password, &account.password_hash),
            "the printed password works"
        );
        let m = csirt_meet::models::meeting::by_slug(&mut conn, "natcsirt-demo").expect("demo meeting");
        assert!(m.is_demo && m.title.contains("DEMO"));
        let statuses: std::collections::BTreeSet<String> =
            csirt_meet::models::registration::for_meeting(&mut conn, m.id, None)
                .expect("registrations")
                .into_iter()
                .map(|r| r.registration.status.to_string())
                .collect();
        assert_eq!(statuses.len(), 7, "a registration in every state: {statuses:?}");
        let (release, sessions) =
            csirt_meet::models::agenda::release::latest_sessions(&mut conn, m.id).expect("agenda");
        assert_eq!(release.expect("a published release").number, 1, "loading again publishes nothing new");
        let labelled = |label: &str| sessions.iter().filter(|s| s.tlp.as_str() == label).count();
        assert!(labelled("TLP:RED") >= 2 && labelled("TLP:AMBER+STRICT") >= 2);
        let tracks: std::collections::BTreeSet<_> = sessions.iter().filter_map(|s| s.track.clone()).collect();
        assert_eq!(tracks.len(), 4, "sessions in every track");
        let days: std::collections::BTreeSet<_> = sessions.iter().map(|s| s.starts_at.date()).collect();
        assert_eq!(days.len(), 2, "a two-day agenda");
        let reg = csirt_meet::models::registration::for_user(&mut conn, account.id).expect("query");
        let picks =
            csirt_meet::models::agenda::pick::for_registration(&mut conn, reg[0].0.id).expect("picks");
        assert_eq!(picks.len(), 2, "the demo attendee picked sessions");
    }
}

/// The demo decides and picks as people do: its attendee's first calendar mail about the
/// meeting is the invitation (REQUEST, SEQUENCE 0) that approval sends, not an update of
/// an event never sent; each pick sends the session's invitation; the decisions their
/// emails. Loading again queues nothing more.
#[test]
fn demo_attendees_receive_what_a_persons_decisions_and_picks_send() {
    let db = TestDatabase::create();
    let mut queued = Vec::new();
    for _ in 0..2 {
        let out = csirt_meet().arg("demo").env("DATABASE_URL", db.url()).output().expect("runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let url = csirt_meet::db::DatabaseUrl::parse(db.url()).expect("url");
        let pool = csirt_meet::db::Db::connect(&url, 1, Duration::from_secs(5)).expect("connect");
        let mut conn = pool.get().expect("connection");
        queued.push(csirt_meet::models::outbox::recent(&mut conn, 1000).expect("outbox").len());
        let m = csirt_meet::models::meeting::by_slug(&mut conn, "natcsirt-demo").expect("demo meeting");
        let mut mail: Vec<_> = csirt_meet::models::outbox::recent(&mut conn, 1000)
            .expect("outbox")
            .into_iter()
            .filter(|r| r.recipient == "demo-attendee@cert.at")
            .collect();
        mail.sort_by_key(|r| r.id);
        let uid_line = format!("UID:{}", m.meeting_uid);
        let first = mail
            .iter()
            .find(|r| r.ical.as_deref().is_some_and(|ics| ics.contains(&uid_line)))
            .expect("the meeting's invite");
        let ics = first.ical.as_deref().expect("a calendar part");
        assert_eq!(first.ical_method.as_deref(), Some("REQUEST"));
        assert!(ics.contains("\r\nMETHOD:REQUEST\r\n") && ics.contains("\r\nSEQUENCE:0\r\n"), "{ics}");
        assert!(first.subject.starts_with("Invitation: "), "{}", first.subject);
        assert!(mail.iter().all(|r| !r.subject.starts_with("Updated invitation")), "nothing is an update");
        assert!(mail.iter().any(|r| r.subject.ends_with(": approved")), "the decision email");
        let session_invites = mail.iter().filter(|r| r.ical.is_some() && first.id != r.id).count();
        assert_eq!(session_invites, 2, "one invitation per pick");
        let revoked: Vec<_> = csirt_meet::models::outbox::recent(&mut conn, 1000)
            .expect("outbox")
            .into_iter()
            .filter(|r| r.recipient == "demo-revoked@cfcs.dk")
            .map(|r| r.subject)
            .collect();
        assert!(revoked.iter().any(|s| s.starts_with("Removed from your calendar: ")), "{revoked:?}");
    }
    assert_eq!(queued[0], queued[1], "loading again queues nothing more");
}

/// TLP:RED titles and abstracts and TLP:AMBER(+STRICT) abstracts of the demo agenda: none
/// may leave the app, in a feed or in the server's log.
const DEMO_CANARIES: [&str; 5] = [
    "the ministry intrusion",
    "State actors and national teams",
    "Names, timelines and indicators",
    "A pipeline that sorts a million samples",
    "Cases where the vendor stayed silent",
];

#[test]
fn the_demo_feed_and_the_log_never_carry_what_tlp_keeps_in_the_agenda() {
    let db = TestDatabase::create();
    let out = csirt_meet().arg("demo").env("DATABASE_URL", db.url()).output().expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let url = csirt_meet::db::DatabaseUrl::parse(db.url()).expect("url");
    let pool = csirt_meet::db::Db::connect(&url, 1, Duration::from_secs(5)).expect("connect");
    let mut conn = pool.get().expect("connection");
    let attendee = csirt_meet::models::user::by_email(&mut conn, "demo-attendee@cert.at")
        .expect("query")
        .expect("account");
    let regs = csirt_meet::models::registration::for_user(&mut conn, attendee.id).expect("query");
    let token = csirt_meet::domain::token::Token::generate();
    let now = chrono::Utc::now().naive_utc();
    csirt_meet::models::feed_token::replace(&mut conn, regs[0].0.id, &token.hash(), now).expect("token");
    drop(conn);

    let mut served = serve_with(&db, &[("CSIRT_MEET__LOG__FILTER", "debug")]);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let body = rt.block_on(async {
        let res =
            reqwest::get(format!("http://127.0.0.1:{}/feeds/{}.ics", served.port, token.as_str())).await;
        res.expect("answered").text().await.expect("body")
    });
    assert!(body.contains("BEGIN:VCALENDAR") && body.contains("TLP:RED session — details in the agenda"));
    served.signal("TERM");
    served.wait_for("stopped");
    let log = served.seen.join("\n");
    for canary in DEMO_CANARIES {
        assert!(!body.contains(canary), "{canary} in the feed");
        assert!(!log.contains(canary), "{canary} in the log");
    }
    assert!(!log.contains(token.as_str()), "the token is never logged");
    assert!(served.child.wait().expect("exits").success());
}

/// The demo queues emails to addresses at real teams' domains: never through SMTP.
#[test]
fn demo_refuses_to_load_when_mail_goes_out_by_smtp() {
    let db = TestDatabase::create();
    let out = csirt_meet()
        .arg("demo")
        .env("DATABASE_URL", db.url())
        .env("CSIRT_MEET__MAIL__TRANSPORT", "smtp")
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("only loads with mail.transport = \"file\""), "{stderr}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains(" / "), "no password printed");
}

#[test]
fn demo_refuses_a_database_with_real_meetings() {
    let db = TestDatabase::create();
    let out = csirt_meet().arg("migrate").env("DATABASE_URL", db.url()).output().expect("runs");
    assert!(out.status.success());
    let url = csirt_meet::db::DatabaseUrl::parse(db.url()).expect("url");
    let pool = csirt_meet::db::Db::connect(&url, 1, Duration::from_secs(5)).expect("connect");
    let mut conn = pool.get().expect("connection");
    let first_day = chrono::NaiveDate::from_ymd_opt(2026, 6, 20).expect("date");
    let meeting = MeetingRow::new("natcsirt-2026", first_day).title("NatCSIRT 2026").uids("u-1", "u-2");
    meeting.insert_in(&mut conn, chrono::Utc::now().naive_utc()).expect("meeting");
    drop(conn);
    let out = csirt_meet().arg("demo").env("DATABASE_URL", db.url()).output().expect("runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("holds real meetings"), "{stderr}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains(" / "), "no password printed");
}
