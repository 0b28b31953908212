//! Encrypted announcements (issue 19, point 3), checked with Debian's `gpg`: the keys are
//! made by gpg in a temporary GNUPGHOME, the organizer key is the server's signing key, and
//! each encrypted mail is decrypted and verified by gpg. Missing gpg fails the tests (the
//! Debian package `gpg`; `.ci/run` checks it is installed).

use std::{
    io::Write as _,
    path::Path,
    process::{Command, Output, Stdio},
    sync::OnceLock,
};

use csirt_meet::{
    domain::registration::Status,
    email::openpgp::OrganizerKey,
    models::{audit, openpgp_key, outbox, user},
    startup::{Application, Options},
};
use mail_parser::MimeHeaders;

use crate::{
    fixtures::{Person, SLUG, meeting_and_team, register},
    helpers::{TestApp, TestDatabase, location, refused_with, spawn_app, spawn_app_with, test_settings},
};

const GPG: &str = "/usr/bin/gpg";
const SUBJECT: &str = "Room change for the closed session";
const BODY: &str = "The closed session moved to Ballroom B.\nBring your badge — Grüße aus Wien.";
const ANTON: &str = "anton@cert-at.example";
const ASTRID: &str = "astrid@cert-at.example";
const BERT: &str = "bert@cert-at.example";
const PASSPHRASE: &str = "correct horse battery";

/// The keys gpg made once for the whole test binary.
struct Keys {
    /// The organizer's and the recipients' secret keys, armored: what a GNUPGHOME that
    /// decrypts and verifies imports.
    secrets: String,
    organizer: String,
    /// The organizer's secret key, armored, as the server reads it from a file.
    organizer_secret: String,
    /// An organizer key protected by [`PASSPHRASE`], armored.
    protected: String,
    /// Anton's ed25519/cv25519 and Astrid's rsa3072 public keys: (fingerprint, encryption
    /// subkey id, armored).
    anton: (String, String, String),
    astrid: (String, String, String),
}

/// A temporary GNUPGHOME; its gpg-agent is stopped with it, so no agent outlives a test.
struct Home(tempfile::TempDir);

impl Home {
    fn new() -> Self {
        // Short, for the agent's socket path.
        let dir = tempfile::Builder::new().prefix("gpg").tempdir().expect("a GNUPGHOME");
        std::fs::set_permissions(dir.path(), std::os::unix::fs::PermissionsExt::from_mode(0o700))
            .expect("a private GNUPGHOME");
        Self(dir)
    }

    /// A home holding the organizer's and the recipients' keys.
    fn with_keys() -> Self {
        let home = Self::new();
        ok(gpg(home.path(), &["--import"], Some(keys().secrets.as_bytes())), "import");
        home
    }

    fn path(&self) -> &Path {
        self.0.path()
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = Command::new("/usr/bin/gpgconf")
            .env("GNUPGHOME", self.path())
            .args(["--kill", "gpg-agent"])
            .status();
    }
}

fn gpg(home: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    assert!(Path::new(GPG).exists(), "{GPG} is missing: install the Debian package `gpg` (see .ci/run)");
    let mut child = Command::new(GPG)
        .env("GNUPGHOME", home)
        .args(["--batch", "--no-tty", "--pinentry-mode", "loopback"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("gpg starts");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin.unwrap_or_default()).expect("gpg reads its input");
    drop(input);
    child.wait_with_output().expect("gpg ends")
}

fn ok(output: Output, what: &str) -> String {
    assert!(output.status.success(), "gpg {what}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8 from gpg")
}

/// A new key of `uid`: primary `primary` (signs), encryption subkey `sub`. Returns the
/// fingerprint and the subkey's long key id.
fn make_key(home: &Path, uid: &str, primary: &str, sub: &str, passphrase: &str) -> (String, String) {
    ok(
        gpg(home, &["--passphrase", passphrase, "--quick-gen-key", uid, primary, "sign", "never"], None),
        "gen",
    );
    let listing = ok(gpg(home, &["--with-colons", "--list-keys", uid], None), "list");
    let fpr = listing
        .lines()
        .find_map(|l| l.strip_prefix("fpr:"))
        .and_then(|l| l.split(':').find(|f| f.len() == 40))
        .expect("a fingerprint")
        .to_owned();
    ok(gpg(home, &["--passphrase", passphrase, "--quick-add-key", &fpr, sub, "encr", "never"], None), "add");
    let listing = ok(gpg(home, &["--with-colons", "--list-keys", &fpr], None), "list");
    let subkey = listing
        .lines()
        .find(|l| l.starts_with("sub:"))
        .and_then(|l| l.split(':').nth(4))
        .expect("the encryption subkey")
        .to_owned();
    (fpr, subkey)
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let made = Home::new();
        let home = made.path();
        let (organizer, _) =
            make_key(home, "NatCSIRT organizers <natcsirt@cert.example>", "ed25519", "cv25519", "");
        let organizer_secret = ok(
            gpg(home, &["--passphrase", "", "--armor", "--export-secret-keys", &organizer], None),
            "export secret",
        );
        let (protected_fpr, _) =
            make_key(home, "Protected <protected@cert.example>", "ed25519", "cv25519", PASSPHRASE);
        let protected = ok(
            gpg(home, &["--passphrase", PASSPHRASE, "--armor", "--export-secret-keys", &protected_fpr], None),
            "export protected",
        );
        let public = |(fpr, sub): (String, String)| {
            let armored = ok(gpg(home, &["--armor", "--export", &fpr], None), "export");
            (fpr, sub, armored)
        };
        let anton = public(make_key(home, &format!("Anton <{ANTON}>"), "ed25519", "cv25519", ""));
        let astrid = public(make_key(home, &format!("Astrid <{ASTRID}>"), "rsa3072", "rsa3072", ""));
        let secrets = ok(
            gpg(
                home,
                &["--passphrase", "", "--armor", "--export-secret-keys", &organizer, &anton.0, &astrid.0],
                None,
            ),
            "export secrets",
        );
        Keys { secrets, organizer, organizer_secret, protected, anton, astrid }
    })
}

fn path() -> String {
    format!("/admin/meetings/{SLUG}/announce")
}

/// A server configured with the organizer key (the file is read at start-up only).
async fn app_with_key() -> TestApp {
    let folder = tempfile::tempdir().expect("a folder");
    let file = folder.path().join("organizer.asc");
    std::fs::write(&file, &keys().organizer_secret).expect("the key file");
    let file = file.display().to_string();
    spawn_app_with(
        move |s| {
            s.mail.openpgp_key_file = file;
            s.mail.openpgp_passphrase_env = String::new();
        },
        |_| {},
    )
    .await
}

async fn store_key(app: &TestApp, email: &'static str, (fingerprint, _, armored): &(String, String, String)) {
    let (fingerprint, armored, now) = (fingerprint.clone(), armored.clone(), app.clock.now_naive());
    app.db
        .query(move |c| {
            let user_id = user::by_email(c, email)?.expect("the account").id;
            let key =
                openpgp_key::OpenPgpKey { user_id, fingerprint, armored, expires_at: None, added_at: now };
            openpgp_key::put(c, &key)
        })
        .await
        .expect("the key is stored");
}

/// Anton (ed25519 key), Astrid (rsa3072 key) and Bert (no key), all approved.
async fn meeting_with_keys(app: &TestApp) {
    let (m, team) = meeting_and_team(app).await;
    for (name, email) in [("Anton", ANTON), ("Astrid", ASTRID), ("Bert", BERT)] {
        register(app, m.id, team, Person::new(name, email, Status::Approved)).await;
    }
    store_key(app, ANTON, &keys().anton).await;
    store_key(app, ASTRID, &keys().astrid).await;
}

fn value_of(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).map(|i| i + marker.len()).expect("the field is on the page");
    html[start..].split('"').next().expect("closing quote").to_owned()
}

/// Confirms and sends (twice, as a double click would); returns the confirmation page.
async fn announce(app: &TestApp, encryption: &str) -> String {
    let fields = [("audience", "approved"), ("subject", SUBJECT), ("body", BODY), ("encryption", encryption)];
    let res = app.post_form(&path(), &fields).await;
    assert_eq!(res.status(), 200);
    let confirm = res.text().await.expect("body");
    let nonce = value_of(&confirm, "nonce");
    let send = [fields.as_slice(), &[("step", "send"), ("nonce", &nonce)]].concat();
    for _ in 0..2 {
        assert_eq!(
            location(&app.post_form(&path(), &send).await),
            format!("{}?done=announcement-sent", path())
        );
    }
    confirm
}

fn to_of(mail: &mail_parser::Message<'_>) -> String {
    mail.to().and_then(|a| a.first()).and_then(|a| a.address()).expect("to").to_owned()
}

/// Decrypts and verifies the mail's PGP/MIME body with gpg; returns the inner entity and
/// gpg's status lines.
fn open_with_gpg(mail: &mail_parser::Message<'_>) -> (mail_parser::Message<'static>, String) {
    let root = mail.content_type().expect("a content type");
    assert_eq!((root.ctype(), root.subtype()), ("multipart", Some("encrypted")));
    assert_eq!(root.attribute("protocol"), Some("application/pgp-encrypted"));
    let parts: Vec<_> = mail.parts.iter().skip(1).collect();
    assert_eq!(parts.len(), 2, "RFC 3156: the control part and the encrypted data");
    let control = parts[0].content_type().expect("a content type");
    assert_eq!((control.ctype(), control.subtype()), ("application", Some("pgp-encrypted")));
    assert!(String::from_utf8_lossy(parts[0].contents()).contains("Version: 1"));
    let data = parts[1].content_type().expect("a content type");
    assert_eq!((data.ctype(), data.subtype()), ("application", Some("octet-stream")));
    let armored = parts[1].contents();
    assert!(armored.starts_with(b"-----BEGIN PGP MESSAGE-----"));
    let home = Home::with_keys();
    let out = gpg(home.path(), &["--status-fd", "2", "--decrypt"], Some(armored));
    let status = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "gpg decrypts: {status}");
    (crate::helpers::parse_email(&out.stdout), status)
}

#[tokio::test]
async fn an_encrypted_announcement_is_decrypted_and_verified_by_gpg() {
    let app = app_with_key().await;
    meeting_with_keys(&app).await;
    let confirm = announce(&app, "encrypted-or-clear").await;
    assert!(confirm.contains("Send this message to 3 approved attendees?"), "{confirm}");
    assert!(confirm.contains("2 encrypted to their OpenPGP key"), "{confirm}");
    assert!(confirm.contains("1 in clear, for want of a usable key"), "{confirm}");
    assert!(confirm.contains("0 not at all"), "{confirm}");

    // Queued: the outbox holds no clear text of an encrypted message.
    let rows = app.db.query(|c| outbox::recent(c, 10)).await.expect("query");
    assert_eq!(rows.len(), 3, "one row per person, however often it was submitted");
    for row in rows.iter().filter(|r| r.recipient != BERT) {
        assert_eq!(row.subject, "Announcement from NatCSIRT 2026 (encrypted)");
        assert!(row.body_text.is_empty() && row.body_html.is_empty(), "no clear text in the bodies");
        let sealed = row.pgp_message.as_deref().expect("the armored message");
        assert!(sealed.starts_with("-----BEGIN PGP MESSAGE-----"));
        assert!(!sealed.contains("Ballroom") && !sealed.contains(SUBJECT), "armored, not clear");
    }
    let audit = app.db.query(|c| audit::recent(c, 20)).await.expect("query");
    let sent: Vec<_> = audit.iter().filter(|e| e.action == "announcement.sent").collect();
    assert_eq!(sent.len(), 1, "one audit row for one announcement");
    assert!(sent[0].detail.contains("2 encrypted, 1 in clear, 0 not sent"), "{}", sent[0].detail);

    assert_eq!(app.dispatch_pending_emails().await.sent, 3, "each person once");
    let mails = app.emails();
    let k = keys();
    for (email, (_, subkey, _)) in [(ANTON, &k.anton), (ASTRID, &k.astrid)] {
        let mail = mails.iter().find(|m| to_of(m) == email).expect("a mail to each key holder");
        assert_eq!(mail.subject(), Some("Announcement from NatCSIRT 2026 (encrypted)"));
        let (inner, status) = open_with_gpg(mail);
        assert!(status.contains(&format!("[GNUPG:] ENC_TO {subkey}")), "encrypted to {email}: {status}");
        assert!(status.contains("[GNUPG:] DECRYPTION_INFO 2 9"), "SEIPD v1 (MDC), AES-256: {status}");
        assert!(status.contains("[GNUPG:] GOODSIG "), "{status}");
        let validsig = status.lines().find(|l| l.starts_with("[GNUPG:] VALIDSIG ")).expect("VALIDSIG");
        assert!(validsig.trim_end().ends_with(&k.organizer), "signed by the organizer key: {validsig}");
        let ctype = inner.content_type().expect("a content type");
        assert_eq!((ctype.ctype(), ctype.subtype()), ("text", Some("plain")));
        assert_eq!(ctype.attribute("charset").map(str::to_ascii_lowercase).as_deref(), Some("utf-8"));
        assert_eq!(inner.subject(), Some(format!("NatCSIRT 2026: {SUBJECT}").as_str()), "the real subject");
        let text = inner.body_text(0).expect("text").replace("\r\n", "\n");
        assert!(text.contains(BODY), "the plain text: {text}");
    }
    let bert = mails.iter().find(|m| to_of(m) == BERT).expect("Bert, without a key, gets it in clear");
    assert_eq!(bert.subject(), Some(format!("NatCSIRT 2026: {SUBJECT}").as_str()));
    assert!(bert.body_text(0).expect("text").replace("\r\n", "\n").contains(BODY));
}

#[tokio::test]
async fn encrypted_only_sends_nothing_to_those_without_a_key() {
    let app = app_with_key().await;
    meeting_with_keys(&app).await;
    let confirm = announce(&app, "encrypted-only").await;
    assert!(confirm.contains("2 people will receive it"), "{confirm}");
    assert!(confirm.contains("1 not at all: they have no usable key"), "{confirm}");
    assert_eq!(app.dispatch_pending_emails().await.sent, 2);
    let mut to: Vec<String> = app.emails().iter().map(to_of).collect();
    to.sort();
    assert_eq!(to, [ANTON, ASTRID], "Bert has no key and gets nothing");
    for mail in app.emails() {
        let (_, status) = open_with_gpg(&mail);
        assert!(status.contains("[GNUPG:] GOODSIG "), "{status}");
    }
}

#[tokio::test]
async fn without_an_organizer_key_encryption_is_off_and_refused() {
    let app = spawn_app().await;
    meeting_with_keys(&app).await;
    let form = app.get(&path()).await.text().await.expect("body");
    assert!(form.contains("Encryption is off: no organizer OpenPGP key is configured"), "{form}");
    assert!(form.contains(r#"value="encrypted-only" disabled"#), "the choice is off: {form}");
    let expected = [("encryption", "Encryption is off: no organizer OpenPGP key is configured")];
    let fields =
        [("audience", "approved"), ("subject", SUBJECT), ("body", BODY), ("encryption", "encrypted-only")];
    refused_with(app.post_form(&path(), &fields).await, &expected).await;
    // A forged confirmation is refused the same way, and queues nothing.
    let nonce = "a1".repeat(32);
    let send = [fields.as_slice(), &[("step", "send"), ("nonce", &nonce)]].concat();
    refused_with(app.post_form(&path(), &send).await, &expected).await;
    assert!(app.db.query(|c| outbox::recent(c, 10)).await.expect("query").is_empty(), "nothing queued");
    assert_eq!(app.get("/openpgp-key.asc").await.status(), 404, "no key to give");
    let home = app.get("/").await.text().await.expect("body");
    assert!(!home.contains("openpgp-key.asc"));
}

#[tokio::test]
async fn the_organizer_public_key_is_on_the_overview_and_downloadable() {
    let app = app_with_key().await;
    meeting_with_keys(&app).await;
    let organizer = &keys().organizer;
    let grouped: Vec<&str> = (0..10).map(|i| &organizer[i * 4..i * 4 + 4]).collect();
    let home = app.get("/").await.text().await.expect("body");
    assert!(home.contains(r#"<a href="/openpgp-key.asc">"#), "{home}");
    assert!(home.contains(&grouped.join(" ")), "the fingerprint: {home}");
    let form = app.get(&path()).await.text().await.expect("body");
    assert!(form.contains(&grouped.join(" ")) && form.contains(r#"href="/openpgp-key.asc""#), "{form}");

    let res = app.get("/openpgp-key.asc").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pgp-keys");
    let armored = res.text().await.expect("body");
    assert!(armored.starts_with("-----BEGIN PGP PUBLIC KEY BLOCK-----"), "{armored}");
    assert!(!armored.contains("PRIVATE"), "only the public half");
    let shown =
        ok(gpg(Home::new().path(), &["--with-colons", "--show-keys"], Some(armored.as_bytes())), "show");
    assert!(
        shown.contains(&format!("fpr:::::::::{organizer}:")),
        "gpg reads it as the organizer key: {shown}"
    );
    assert!(shown.lines().all(|l| !l.starts_with("sec")), "no secret key in it");
}

#[tokio::test]
async fn a_bad_organizer_key_stops_the_start_naming_the_file() {
    let database = TestDatabase::create();
    let dir = tempfile::tempdir().expect("a folder");
    let public_only = dir.path().join("public.asc");
    std::fs::write(&public_only, &keys().anton.2).expect("a file");
    let missing = dir.path().join("missing.asc");
    for (file, problem) in [
        (&missing, "cannot read the organizer OpenPGP key"),
        (&public_only, "not an ASCII-armored OpenPGP secret key"),
    ] {
        let mut settings = test_settings(database.url());
        settings.mail.openpgp_key_file = file.display().to_string();
        let options = Options { mail_worker: false, ..Options::default() };
        let error = match Application::build_with(settings, options).await {
            Ok(_) => panic!("{} is not a usable key", file.display()),
            Err(e) => format!("{e:#}"),
        };
        assert!(error.contains(&file.display().to_string()) && error.contains(problem), "{error}");
        assert!(error.contains("mail.openpgp_key_file"), "{error}");
    }
}

#[tokio::test]
async fn a_protected_organizer_key_needs_its_passphrase() {
    let protected = &keys().protected;
    let key = OrganizerKey::from_armored(protected, PASSPHRASE.into()).expect("the passphrase unlocks it");
    assert_eq!(key.fingerprint().len(), 40);
    let error = OrganizerKey::from_armored(protected, "wrong".into()).expect_err("a wrong passphrase");
    assert!(error.to_string().contains("does not sign with the passphrase given"), "{error}");
    let error = OrganizerKey::from_armored(protected, String::new()).expect_err("no passphrase");
    assert!(error.to_string().contains("mail.openpgp_passphrase_env"), "{error}");
}
