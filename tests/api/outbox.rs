//! The mail outbox against a real SMTP server: nothing lost, nothing sent twice.

use std::collections::BTreeSet;

use chrono::Duration;
use csirt_meet::{
    email::{Mail, transport::Transport},
    models::outbox::{self, OutboxRow},
    outbox::Worker,
    startup::{Application, Options},
};
use mail_parser::{MessagePart, MimeHeaders as _, PartType};

use crate::{
    fixtures::{QUEUED_ICS, queued_mail},
    helpers::{
        TestApp, TestDatabase, parse_email, process::csirt_meet, smtp_sink::SmtpSink, spawn_app,
        spawn_app_with, test_settings, use_smtp,
    },
};
use csirt_meet::domain::states::MailStatus;

async fn queue(app: &TestApp, mails: Vec<Mail>) -> Vec<bool> {
    let (settings, now) = (app.settings.mail.clone(), app.clock.now_naive());
    app.db
        .query(move |c| {
            csirt_meet::db::transaction(c, |c| {
                mails.into_iter().map(|m| outbox::enqueue(c, &m.into_row(&settings, now))).collect()
            })
        })
        .await
        .expect("queued")
}

async fn rows(app: &TestApp) -> Vec<OutboxRow> {
    let ids: Vec<i64> = (1..=600).collect();
    app.db
        .query(move |c| {
            ids.into_iter()
                .map_while(|id| outbox::find(c, id).ok())
                .map(Ok)
                .collect::<Result<Vec<_>, diesel::result::Error>>()
        })
        .await
        .expect("rows")
}

fn message_ids(raw: &[Vec<u8>]) -> BTreeSet<String> {
    raw.iter().map(|m| parse_email(m).message_id().expect("Message-ID").to_owned()).collect()
}

fn children<'a>(
    msg: &'a mail_parser::Message<'static>,
    part: &MessagePart<'_>,
) -> Vec<&'a MessagePart<'static>> {
    match &part.body {
        PartType::Multipart(ids) => ids.iter().map(|id| &msg.parts[*id as usize]).collect(),
        _ => Vec::new(),
    }
}

fn mime(part: &MessagePart<'_>) -> String {
    let ct = part.content_type().expect("content type");
    format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or_default())
}

#[tokio::test]
async fn a_message_reaches_a_real_smtp_server_with_both_parts_its_calendar_and_its_message_id() {
    let sink = SmtpSink::start();
    let app = spawn_app_with(|s| use_smtp(s, sink.port), |_| {}).await;
    queue(&app, vec![queued_mail("Jane Doe <jane@cert.example>", "invite-1", true)]).await;

    let report = app.dispatch_pending_emails().await;
    assert_eq!((report.sent, report.retried, report.failed), (1, 0, 0));
    let accepted = sink.accepted();
    assert_eq!(accepted.len(), 1);
    let msg = parse_email(&accepted[0]);
    let row = &rows(&app).await[0];
    assert_eq!(row.status, MailStatus::Sent);
    assert!(row.sent_at.is_some());
    assert!(
        row.body_text.is_empty() && row.body_html.is_empty() && row.ical.is_none(),
        "no links kept after delivery"
    );
    assert_eq!(msg.message_id(), Some(row.message_id.as_str()));
    assert!(row.message_id.ends_with("@cert.example"), "Message-ID on the sender's domain");
    assert_eq!(msg.subject(), Some("Message invite-1"));
    assert_eq!(msg.from().and_then(|a| a.first()).and_then(|a| a.address()), Some("natcsirt@cert.example"));
    assert_eq!(msg.to().and_then(|a| a.first()).and_then(|a| a.address()), Some("jane@cert.example"));

    // multipart/mixed { multipart/alternative { text, html, calendar }, invite.ics }
    let root = msg.root_part();
    assert_eq!(mime(root), "multipart/mixed");
    let top = children(&msg, root);
    assert_eq!(top.iter().map(|p| mime(p)).collect::<Vec<_>>(), ["multipart/alternative", "application/ics"]);
    let alt = children(&msg, top[0]);
    assert_eq!(alt.iter().map(|p| mime(p)).collect::<Vec<_>>(), ["text/plain", "text/html", "text/calendar"]);
    assert_eq!(alt[0].text_contents(), Some("Plain text of invite-1, with ü."));
    let calendar = alt[2];
    assert_eq!(calendar.content_type().and_then(|c| c.attribute("method")), Some("REQUEST"));
    assert!(calendar.content_disposition().is_none(), "the inline calendar part has no disposition");
    assert!(calendar.content_id().is_none());
    let attachment = top[1];
    assert_eq!(attachment.attachment_name(), Some("invite.ics"));
    for part in [calendar, attachment] {
        assert_eq!(part.encoding, mail_parser::Encoding::Base64, "calendar parts are base64");
        assert_eq!(std::str::from_utf8(part.contents()).expect("UTF-8"), QUEUED_ICS);
    }
}

#[tokio::test]
async fn the_background_worker_sends_when_woken() {
    let sink = SmtpSink::start();
    let db = TestDatabase::create();
    let mut settings = test_settings(db.url());
    use_smtp(&mut settings, sink.port);
    settings.mail.poll_interval_secs = 3600;
    let app = Application::build_with(settings.clone(), Options::default()).await.expect("builds");
    let (wake, handle, pool) = (app.mail_wake(), app.handle(), app.db());
    let server = tokio::spawn(app.run_until_stopped());
    let row = queued_mail("heidi@cert.example", "k", false)
        .into_row(&settings.mail, chrono::Utc::now().naive_utc());
    pool.query(move |c| outbox::enqueue(c, &row)).await.expect("queued");
    wake.notify_one();

    let arrived = tokio::task::spawn_blocking(move || sink.wait_for(1, std::time::Duration::from_secs(20)))
        .await
        .expect("waited");
    assert_eq!(arrived.len(), 1, "the worker woke and sent without a poll interval passing");
    handle.stop(true).await;
    server.await.expect("task").expect("stopped");
}

#[tokio::test]
async fn an_unreachable_server_keeps_mail_pending_then_delivers_each_message_once() {
    let port = SmtpSink::unused_port();
    let app = spawn_app_with(|s| use_smtp(s, port), |_| {}).await;
    queue(
        &app,
        (0..5).map(|i| queued_mail(&format!("p{i}@cert.example"), &format!("k{i}"), false)).collect(),
    )
    .await;

    let report = app.dispatch_pending_emails().await;
    assert_eq!((report.sent, report.retried), (0, 5));
    for row in rows(&app).await {
        assert_eq!((row.status.as_str(), row.attempts), ("pending", 1));
        assert!(row.next_attempt_at > app.clock.now_naive(), "retried later, not at once");
        assert!(row.last_error.is_some_and(|e| !e.is_empty()));
    }
    assert_eq!(app.dispatch_pending_emails().await.sent, 0, "nothing is due before the backoff");

    let sink = SmtpSink::start_on_port(port);
    app.clock.advance(Duration::hours(1));
    assert_eq!(app.dispatch_pending_emails().await.sent, 5);
    assert_eq!(app.dispatch_pending_emails().await.sent, 0);
    let accepted = sink.accepted();
    assert_eq!(accepted.len(), 5);
    let expected: BTreeSet<String> = rows(&app).await.into_iter().map(|r| r.message_id).collect();
    assert_eq!(message_ids(&accepted), expected);
}

#[tokio::test]
async fn a_permanent_rejection_fails_the_message_and_mail_retry_sends_it() {
    let sink = SmtpSink::start();
    sink.reject_everything(true);
    let app = spawn_app_with(|s| use_smtp(s, sink.port), |_| {}).await;
    queue(&app, vec![queued_mail("bob@cert.example", "decision-1", false)]).await;

    assert_eq!(app.dispatch_pending_emails().await.failed, 1);
    let row = &rows(&app).await[0];

    assert_eq!(row.status, MailStatus::Failed);
    assert!(row.last_error.as_deref().is_some_and(|e| e.contains("550")), "{:?}", row.last_error);

    let out = csirt_meet()
        .args(["mail-retry", "--failed"])
        .env("DATABASE_URL", app.database.url())
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 message(s) due again"));

    sink.reject_everything(false);
    assert_eq!(app.dispatch_pending_emails().await.sent, 1);
    assert_eq!(sink.accepted().len(), 1);
    assert_eq!(rows(&app).await[0].status, MailStatus::Sent);
}

#[tokio::test]
async fn the_retry_button_of_the_mail_page_makes_failed_mail_due_again() {
    let sink = SmtpSink::start();
    sink.reject_everything(true);
    let app = spawn_app_with(|s| use_smtp(s, sink.port), |_| {}).await;
    queue(&app, vec![queued_mail("bob@cert.example", "decision-1", false)]).await;
    assert_eq!(app.dispatch_pending_emails().await.failed, 1);

    app.login_as_organizer().await;
    let res = app.post_form("/admin/mail/retry", &[]).await;
    assert_eq!(crate::helpers::location(&res), "/admin/mail?done=retried");
    assert_eq!(rows(&app).await[0].status, MailStatus::Pending);
    sink.reject_everything(false);
    assert_eq!(app.dispatch_pending_emails().await.sent, 1);
}

#[tokio::test]
async fn too_many_temporary_failures_mark_the_message_failed() {
    let port = SmtpSink::unused_port();
    let app = spawn_app_with(
        |s| {
            use_smtp(s, port);
            s.mail.max_attempts = 2;
        },
        |_| {},
    )
    .await;
    queue(&app, vec![queued_mail("carol@cert.example", "k", false)]).await;
    assert_eq!(app.dispatch_pending_emails().await.retried, 1);
    app.clock.advance(Duration::hours(2));
    assert_eq!(app.dispatch_pending_emails().await.failed, 1);
    let row = &rows(&app).await[0];

    assert_eq!((row.status.as_str(), row.attempts), ("failed", 2));
}

#[tokio::test]
async fn two_workers_drain_500_messages_without_a_duplicate() {
    let sink = SmtpSink::start();
    let app = spawn_app_with(
        |s| {
            use_smtp(s, sink.port);
            s.mail.rate_per_minute = 0;
            s.mail.smtp.pool_size = 1;
        },
        |_| {},
    )
    .await;
    queue(
        &app,
        (0..500).map(|i| queued_mail(&format!("a{i}@cert.example"), &format!("bulk-{i}"), false)).collect(),
    )
    .await;
    let worker = || {
        let transport = Transport::from_settings(&app.settings.mail).expect("transport");
        Worker::new(app.db.clone(), transport, app.settings.mail.clone(), app.clock.clone())
    };
    let (one, two) = (worker(), worker());
    let (a, b) = tokio::join!(one.drain_once(), two.drain_once());
    let (a, b) = (a.expect("drains"), b.expect("drains"));
    assert_eq!(a.sent + b.sent, 500);
    assert!(a.sent > 0 && b.sent > 0, "both workers took part: {} and {}", a.sent, b.sent);
    let accepted = sink.accepted();
    assert_eq!(accepted.len(), 500);
    assert_eq!(message_ids(&accepted).len(), 500);
}

/// An app sending through `sink` over 4 SMTP connections, without a rate limit unless
/// `rate_per_minute` sets one.
async fn app_with_four_connections(sink: &SmtpSink, rate_per_minute: u32) -> TestApp {
    let port = sink.port;
    spawn_app_with(
        |s| {
            use_smtp(s, port);
            s.mail.rate_per_minute = rate_per_minute;
            s.mail.smtp.pool_size = 4;
        },
        |_| {},
    )
    .await
}

fn bulk(count: usize) -> Vec<Mail> {
    (0..count).map(|i| queued_mail(&format!("b{i}@cert.example"), &format!("bulk-{i}"), false)).collect()
}

async fn all_message_ids(app: &TestApp) -> BTreeSet<String> {
    rows(app).await.into_iter().map(|r| r.message_id).collect()
}

#[tokio::test]
async fn four_connections_send_at_once_reuse_their_sessions_and_deliver_each_message_once() {
    let sink = std::sync::Arc::new(SmtpSink::start());
    let app = app_with_four_connections(&sink, 0).await;
    queue(&app, bulk(200)).await;
    sink.hold(true);

    let held = {
        let sink = sink.clone();
        tokio::task::spawn_blocking(move || {
            let held = sink.wait_held(4, std::time::Duration::from_secs(30));
            sink.hold(false);
            held
        })
    };
    let (report, held) = tokio::join!(app.dispatch_pending_emails(), held);
    assert_eq!(held.expect("waited"), 4, "four messages were in flight at once");
    assert_eq!((report.sent, report.retried, report.failed), (200, 0, 0));
    let accepted = sink.accepted();
    assert_eq!(accepted.len(), 200);
    assert_eq!(message_ids(&accepted), all_message_ids(&app).await, "each message once");
    assert_eq!(sink.sessions(), 4, "four SMTP sessions carried all 200 messages");
    assert!(rows(&app).await.iter().all(|r| r.status == MailStatus::Sent));
}

#[tokio::test]
async fn a_connection_lost_mid_batch_loses_nothing_and_sends_nothing_twice() {
    let sink = SmtpSink::start();
    sink.drop_connection_at(37);
    let app = app_with_four_connections(&sink, 0).await;
    queue(&app, bulk(120)).await;

    let report = app.dispatch_pending_emails().await;
    assert_eq!((report.sent, report.retried, report.failed), (119, 1, 0), "only the lost message waits");
    assert_eq!(message_ids(&sink.accepted()).len(), 119);
    assert!(sink.sessions() <= 5, "one new session replaced the lost one: {}", sink.sessions());
    let waiting: Vec<OutboxRow> =
        rows(&app).await.into_iter().filter(|r| r.status != MailStatus::Sent).collect();
    assert_eq!(waiting.len(), 1);
    assert_eq!((waiting[0].status.as_str(), waiting[0].attempts), ("pending", 1));
    assert!(
        waiting[0].last_error.as_deref().is_some_and(|e| e.contains("421")),
        "{:?}",
        waiting[0].last_error
    );

    app.clock.advance(Duration::hours(1));
    assert_eq!(app.dispatch_pending_emails().await.sent, 1);
    let accepted = sink.accepted();
    assert_eq!(accepted.len(), 120, "nothing sent twice");
    assert_eq!(message_ids(&accepted), all_message_ids(&app).await, "nothing lost");
}

#[tokio::test]
async fn the_rate_limit_holds_with_four_smtp_connections() {
    let sink = SmtpSink::start();
    let app = app_with_four_connections(&sink, 10).await;
    queue(&app, bulk(25)).await;

    let first = app.dispatch_pending_emails().await;
    assert_eq!((first.sent, first.rate_limited), (10, true));
    assert_eq!(sink.accepted().len(), 10);
    app.clock.advance(Duration::seconds(30));
    assert_eq!(app.dispatch_pending_emails().await.sent, 0, "not within the same minute");
    app.clock.advance(Duration::seconds(31));
    assert_eq!(app.dispatch_pending_emails().await.sent, 10);
    app.clock.advance(Duration::seconds(61));
    assert_eq!(app.dispatch_pending_emails().await.sent, 5);
    let accepted = sink.accepted();
    assert_eq!(accepted.len(), 25);
    assert_eq!(message_ids(&accepted), all_message_ids(&app).await);
}

#[tokio::test]
async fn a_rolled_back_producer_sends_nothing() {
    let app = spawn_app().await;
    let row =
        queued_mail("dave@cert.example", "k", false).into_row(&app.settings.mail, app.clock.now_naive());
    let result = app
        .db
        .query(move |c| {
            csirt_meet::db::transaction(c, |c| {
                outbox::enqueue(c, &row)?;
                Err::<(), _>(diesel::result::Error::RollbackTransaction)
            })
        })
        .await;
    assert!(result.is_err());
    assert_eq!(app.dispatch_pending_emails().await.sent, 0);
    assert!(app.emails().is_empty());
}

#[tokio::test]
async fn a_repeated_idempotency_key_queues_one_message_and_the_transaction_still_commits() {
    let app = spawn_app().await;
    let queued = queue(
        &app,
        vec![
            queued_mail("erin@cert.example", "same", false),
            queued_mail("erin@cert.example", "same", false),
            queued_mail("erin@cert.example", "other", false),
        ],
    )
    .await;
    assert_eq!(queued, [true, false, true]);
    assert_eq!(app.dispatch_pending_emails().await.sent, 2);
    let mut subjects: Vec<_> =
        app.emails().iter().map(|m| m.subject().expect("subject").to_owned()).collect();
    subjects.sort();
    assert_eq!(subjects, ["Message other", "Message same"]);
}

#[tokio::test]
async fn a_message_left_sending_by_a_dead_worker_is_sent_after_the_claim_timeout() {
    let app = spawn_app().await;
    queue(&app, vec![queued_mail("frank@cert.example", "k", false)]).await;
    let now = app.clock.now_naive();
    let claimed = app
        .db
        .query(move |c| outbox::claim_due(c, now, now - Duration::minutes(10), 10))
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 1, "a worker claimed it, then died");

    assert_eq!(app.dispatch_pending_emails().await.sent, 0, "not while the claim is fresh");
    app.clock.advance(Duration::minutes(11));
    assert_eq!(app.dispatch_pending_emails().await.sent, 1);
    assert_eq!(app.emails().len(), 1);
}

#[tokio::test]
async fn the_rate_limit_holds_the_rest_for_the_next_minute() {
    let app = spawn_app_with(|s| s.mail.rate_per_minute = 2, |_| {}).await;
    queue(&app, (0..5).map(|i| queued_mail("grace@cert.example", &format!("k{i}"), false)).collect()).await;
    let first = app.dispatch_pending_emails().await;
    assert_eq!((first.sent, first.rate_limited), (2, true));
    app.clock.advance(Duration::seconds(30));
    assert_eq!(app.dispatch_pending_emails().await.sent, 0);
    app.clock.advance(Duration::seconds(31));
    assert_eq!(app.dispatch_pending_emails().await.sent, 2);
    app.clock.advance(Duration::seconds(61));
    assert_eq!(app.dispatch_pending_emails().await.sent, 1);
    assert_eq!(app.emails().len(), 5);
}

#[test]
fn send_test_mail_writes_a_readable_eml_and_logs_only_the_domain() {
    let db = TestDatabase::create();
    let dir = tempfile::tempdir().expect("folder");
    let out = csirt_meet()
        .args(["send-test-mail", "someone@example.org"])
        .env("DATABASE_URL", db.url())
        .env("CSIRT_MEET__MAIL__FILE_DIR", dir.path())
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("recipient_domain=example.org"), "{stderr}");
    assert!(!stderr.contains("someone@"), "the full address is never logged: {stderr}");
    let files: Vec<_> =
        std::fs::read_dir(dir.path()).expect("read").map(|e| e.expect("entry").path()).collect();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].extension().and_then(|e| e.to_str()), Some("eml"));
    let msg = parse_email(&std::fs::read(&files[0]).expect("read"));
    assert_eq!(msg.subject(), Some("Test message from csirt-meet"));
    assert!(msg.body_text(0).is_some_and(|t| t.contains("send-test-mail")));
    assert!(msg.body_html(0).is_some_and(|h| h.contains("send-test-mail")));

    let bad = csirt_meet()
        .args(["send-test-mail", "not-an-address"])
        .env("DATABASE_URL", db.url())
        .output()
        .expect("runs");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is not an email address"));
}

#[test]
fn every_email_has_three_parts_and_html_without_remote_content() {
    let mut names = 0;
    for entry in std::fs::read_dir("templates/email").expect("email templates") {
        let path = entry.expect("entry").path();
        // The files beside the folders are the shared layout and macros the bodies extend.
        let html_files = if path.is_dir() {
            for part in ["subject.txt", "body.txt", "body.html"] {
                assert!(path.join(part).is_file(), "{} lacks {part}", path.display());
            }
            names += 1;
            vec![path.join("body.html")]
        } else {
            vec![path]
        };
        for file in html_files {
            let html = std::fs::read_to_string(&file).expect("read");
            for forbidden in ["<link", "<style", "<script", "src=\"http", "url(http"] {
                assert!(!html.contains(forbidden), "{} has {forbidden}", file.display());
            }
        }
    }
    assert!(names > 0);
}

#[test]
fn send_mail_and_send_test_mail_deliver_through_a_real_smtp_server() {
    let sink = SmtpSink::start();
    let db = TestDatabase::create();
    let smtp = |cmd: &mut std::process::Command| {
        cmd.env("DATABASE_URL", db.url())
            .env("CSIRT_MEET__MAIL__TRANSPORT", "smtp")
            .env("CSIRT_MEET__MAIL__SMTP__HOST", "127.0.0.1")
            .env("CSIRT_MEET__MAIL__SMTP__PORT", sink.port.to_string())
            .env("CSIRT_MEET__MAIL__SMTP__SECURITY", "none");
    };
    let mut test_mail = csirt_meet();
    smtp(test_mail.args(["send-test-mail", "someone@example.org"]));
    let out = test_mail.output().expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Accepted by the SMTP server"));
    assert_eq!(sink.accepted().len(), 1);

    let mut send_mail = csirt_meet();
    smtp(send_mail.arg("send-mail"));
    let out = send_mail.output().expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 sent, 0 to retry later, 0 failed"));
}
