//! The outbox worker of the real binary under a stop and under a database that refuses a
//! status: nothing stuck, nothing sent twice.

use std::{collections::BTreeMap, time::Duration};

use csirt_meet::{
    db::{DatabaseUrl, Db, DbConnection},
    models::outbox::{self, OutboxRow},
};
use diesel::connection::SimpleConnection as _;

use crate::{
    fixtures::queued_mail,
    helpers::{
        TestDatabase, parse_email,
        process::{Served, csirt_meet, serve_with},
        smtp_sink::SmtpSink,
        test_settings,
    },
};
use csirt_meet::domain::states::MailStatus;

/// Long enough for anything these tests wait for; never reached when the code works.
const PATIENCE: Duration = Duration::from_secs(30);

fn connect(db: &TestDatabase) -> Db {
    let url = DatabaseUrl::parse(db.url()).expect("url");
    Db::connect(&url, 1, Duration::from_secs(5)).expect("connect")
}

/// A migrated database with `count` messages queued.
fn database_with_mail(count: usize) -> TestDatabase {
    let db = TestDatabase::create();
    let out = csirt_meet().arg("migrate").env("DATABASE_URL", db.url()).output().expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let settings = test_settings(db.url()).mail;
    let mut conn = connect(&db).get().expect("connection");
    let now = chrono::Utc::now().naive_utc();
    for i in 0..count {
        let row =
            queued_mail(&format!("p{i}@cert.example"), &format!("k{i}"), false).into_row(&settings, now);
        assert!(outbox::enqueue(&mut conn, &row).expect("queued"));
    }
    db
}

fn rows(db: &TestDatabase) -> Vec<OutboxRow> {
    let mut conn = connect(db).get().expect("connection");
    outbox::recent(&mut conn, 1000).expect("rows")
}

fn statuses(db: &TestDatabase) -> BTreeMap<String, usize> {
    rows(db).into_iter().fold(BTreeMap::new(), |mut m, r| {
        *m.entry(r.status.to_string()).or_default() += 1;
        m
    })
}

/// `serve` delivering to the sink: 4 SMTP connections, no rate limit, the stock poll
/// interval and claim timeout.
fn serve_mail(db: &TestDatabase, sink: &SmtpSink) -> Served {
    let port = sink.port.to_string();
    serve_with(
        db,
        &[
            ("CSIRT_MEET__AUTH__SETUP_LINK", "false"),
            ("CSIRT_MEET__MAIL__FROM", "NatCSIRT meeting <natcsirt@cert.example>"),
            ("CSIRT_MEET__MAIL__TRANSPORT", "smtp"),
            ("CSIRT_MEET__MAIL__SMTP__HOST", "127.0.0.1"),
            ("CSIRT_MEET__MAIL__SMTP__PORT", &port),
            ("CSIRT_MEET__MAIL__SMTP__SECURITY", "none"),
            ("CSIRT_MEET__MAIL__SMTP__POOL_SIZE", "4"),
            ("CSIRT_MEET__MAIL__RATE_PER_MINUTE", "0"),
            ("CSIRT_MEET__MAIL__POLL_INTERVAL_SECS", "30"),
            ("CSIRT_MEET__MAIL__CLAIM_TIMEOUT_SECS", "600"),
        ],
    )
}

fn stop(served: Served) {
    served.signal("TERM");
    stop_after_signal(served);
}

fn message_ids(raw: &[Vec<u8>]) -> std::collections::BTreeSet<String> {
    raw.iter().map(|m| parse_email(m).message_id().expect("Message-ID").to_owned()).collect()
}

#[test]
fn mail_claimed_at_a_graceful_stop_goes_back_to_the_queue_and_out_first_at_the_next_start() {
    let db = database_with_mail(20);
    let sink = SmtpSink::start();
    sink.hold(true);
    let mut served = serve_mail(&db, &sink);
    assert_eq!(sink.wait_held(4, PATIENCE), 4, "the worker claimed all 20 and sends 4 at a time");

    served.signal("TERM");
    let line = served.wait_for("returning the rest to the queue");
    assert!(line.contains("in_flight=4") && line.contains("returned=16"), "{line}");
    sink.hold(false);
    stop_after_signal(served);

    assert_eq!(sink.accepted().len(), 4, "the messages in flight were finished");
    assert_eq!(
        statuses(&db),
        BTreeMap::from([("pending".into(), 16), ("sent".into(), 4)]),
        "nothing left `sending` for the claim timeout"
    );
    let returned: Vec<OutboxRow> =
        rows(&db).into_iter().filter(|r| r.status == MailStatus::Pending).collect();
    assert!(returned.iter().all(|r| r.attempts == 0 && r.claimed_at.is_none()), "as if never claimed");

    // At the next start the worker drains at once: long before the claim timeout (600 s)
    // and within one poll interval (30 s).
    let served = serve_mail(&db, &sink);
    let accepted = sink.wait_for(20, Duration::from_secs(30));
    assert_eq!(accepted.len(), 20);
    assert_eq!(message_ids(&accepted).len(), 20, "each message once");
    stop(served);
    assert_eq!(statuses(&db), BTreeMap::from([("sent".into(), 20)]));
}

/// After the signal was sent: waits for the worker and the process to end.
fn stop_after_signal(mut served: Served) {
    served.wait_for("mail worker stopped");
    served.wait_for("stopped");
    assert!(served.child.wait().expect("exits").success(), "{}", served.seen.join("\n"));
}

/// Makes the database refuse (or accept again) to mark a message sent, from inside the
/// database: the application's own write fails, as on a full disk or a read-only replica.
fn refuse_marking_sent(db: &TestDatabase, refuse: bool) {
    let mut conn = connect(db).get().expect("connection");
    let sql = match (&**conn, refuse) {
        (DbConnection::Sqlite(_), true) => {
            "CREATE TRIGGER test_fault BEFORE UPDATE OF status ON outbox WHEN NEW.status = 'sent' \
             BEGIN SELECT RAISE(ABORT, 'injected fault: write refused'); END;"
        }
        (DbConnection::Sqlite(_), false) => "DROP TRIGGER test_fault;",
        (DbConnection::Postgresql(_), true) => {
            "CREATE FUNCTION test_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             IF NEW.status = 'sent' THEN RAISE EXCEPTION 'injected fault: write refused'; END IF; \
             RETURN NEW; END $$; \
             CREATE TRIGGER test_fault BEFORE UPDATE ON outbox FOR EACH ROW EXECUTE FUNCTION test_fault();"
        }
        (DbConnection::Postgresql(_), false) => "DROP TRIGGER test_fault ON outbox;",
    };
    conn.batch_execute(sql).expect("fault changed");
}

#[test]
fn a_sent_message_whose_status_cannot_be_written_is_recorded_later_not_sent_again() {
    let db = database_with_mail(1);
    refuse_marking_sent(&db, true);
    let sink = SmtpSink::start();
    let mut served = serve_mail(&db, &sink);

    let line = served.wait_for("could not record a delivery; trying again");
    assert!(line.contains("write refused"), "the database's reason is logged: {line}");
    assert_eq!(sink.accepted().len(), 1, "the server accepted the message");
    refuse_marking_sent(&db, false);
    served.wait_for("mail sent");
    stop(served);

    let row = &rows(&db)[0];
    assert_eq!(row.status, MailStatus::Sent, "recorded, so no worker sends it again");
    assert_eq!(sink.accepted().len(), 1);
}
