//! The attendee directory with OpenPGP keys (issue 19, point 2): an approved attendee's key
//! on `/me/openpgp` (every refusal with its message, nothing stored), the two opt-ins on the
//! registration page (off for existing registrations), what the directory, its keyring and
//! its vCard file show, and the directory closing after the configured months.

use chrono::{TimeZone as _, Utc};
use csirt_meet::{
    db::schema::{registrations, users},
    domain::{openpgp, registration::Status, states::Role},
    models::{directory, openpgp_key, registration},
};
use diesel::prelude::*;
use pgp::{
    composed::{Deserializable as _, SignedPublicKey},
    types::KeyDetails as _,
};

use crate::{
    fixtures::{
        Registration, SLUG, approved_attendee, audit_actions, meeting_and_team, signed_in_attendee,
        user_of_registration,
    },
    helpers::{PASSWORD, TestApp, location, refused_with, spawn_app, spawn_app_with},
};

const ANA_KEY: &str = "89AAB9F7865C4D64F2FAEF5113B76A67A51187B9";
const ANA_RSA: &str = "66B41E3668D232E77AA188B837D541DCC701478A";
const BERT_KEY: &str = "404B1CE0A0922C6AAF96CD0DB7E07132BABE7B1E";
const CORA_KEY: &str = "65807413AE49B932D456AE4A0145C4EBC3CA7E06";

/// A throwaway key of `tests/fixtures/openpgp/`.
fn key_file(name: &str) -> String {
    let path = format!("{}/tests/fixtures/openpgp/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

async fn key_rows(app: &TestApp) -> i64 {
    app.db
        .query(|c| csirt_meet::db::schema::openpgp_keys::table.count().get_result::<i64>(c))
        .await
        .expect("count")
}

/// `email`'s account name, set directly (names are the account's, not the form's).
async fn rename(app: &TestApp, email: &'static str, name: &'static str) {
    app.db
        .query(move |c| {
            diesel::update(users::table.filter(users::email.eq(email))).set(users::name.eq(name)).execute(c)
        })
        .await
        .expect("renamed");
}

/// Stores `file` (whose user ID names `key_address`) as the key of the account at `email`,
/// written directly (as `/me/openpgp` would for its owner).
async fn store_key(app: &TestApp, email: &'static str, file: &str, key_address: &str) {
    let now = app.clock.now_naive();
    let checked = openpgp::check(&key_file(file), key_address, now).expect("a good key");
    let user_id = app
        .db
        .query(move |c| users::table.filter(users::email.eq(email)).select(users::id).first::<i64>(c))
        .await
        .expect("the account");
    let row = openpgp_key::OpenPgpKey {
        user_id,
        fingerprint: checked.fingerprint,
        armored: checked.armored,
        expires_at: checked.encryption_expires,
        added_at: now,
    };
    app.db.query(move |c| openpgp_key::put(c, &row)).await.expect("stored");
}

#[tokio::test]
async fn every_refused_key_gets_its_message_beside_the_field_and_nothing_is_stored() {
    let app = spawn_app().await;
    let ana = approved_attendee(&app, &[]).await;
    let oversized = format!("-----BEGIN PGP PUBLIC KEY BLOCK-----\n{}", "QUJD\n".repeat(14_000));
    let secret = key_file("ana-secret.asc");
    let cases: Vec<(String, &str)> = vec![
        (String::new(), "Paste your OpenPGP public key"),
        ("my key is 0xDEADBEEF".into(), "is not an ASCII-armored OpenPGP public key, or it is damaged"),
        (oversized, "larger than 64 KiB"),
        (secret.clone(), "This is a PRIVATE key. It was not stored"),
        (key_file("ana-v6.asc"), "version 4 keys only"),
        (key_file("ana-expired.asc"), "This key expired on 2025-01-02"),
        (key_file("ana-revoked.asc"), "This key is revoked"),
        (key_file("ana-sign-only.asc"), "no encryption subkey that is valid now"),
        (
            key_file("bert-ed25519.asc"),
            "do not include your address ana@cert-at.example; it has: bert@cert-at.example",
        ),
    ];
    for (pasted, message) in cases {
        let res = app.post_form_with(&ana.client, "/me/openpgp", &[("key", &pasted)]).await;
        let page = refused_with(res, &[("key", message)]).await;
        assert_eq!(key_rows(&app).await, 0, "nothing stored after {message:?}");
        if message.contains("PRIVATE") {
            for line in secret.lines().filter(|l| l.len() > 20) {
                assert!(!page.contains(line), "the private key is not sent back");
            }
        }
    }
    assert!(!audit_actions(&app).await.iter().any(|a| a.starts_with("openpgp_key")));
}

#[tokio::test]
async fn an_attendee_adds_replaces_and_removes_their_key() {
    let app = spawn_app().await;
    let ana = approved_attendee(&app, &[]).await;
    let me = app.page_with(&ana.client, "/me").await;
    assert!(me.contains(r#"<a href="/me/openpgp">Your OpenPGP key</a>"#), "linked from /me");
    let page = app.page_with(&ana.client, "/me/openpgp").await;
    assert!(page.contains("You have not added a key."));

    let res = app.post_form_with(&ana.client, "/me/openpgp", &[("key", &key_file("ana-ed25519.asc"))]).await;
    assert_eq!(location(&res), "/me/openpgp?done=openpgp-saved");
    let page = app.page_with(&ana.client, "/me/openpgp?done=openpgp-saved").await;
    assert!(page.contains("89AA B9F7 865C 4D64 F2FA EF51 13B7 6A67 A511 87B9"), "{page}");
    assert!(page.contains("Encryption expires: 1 January 2029, "), "{page}");
    let user_id = user_of_registration(&app, ana.registration_id).await;
    let stored = app.db.query(move |c| openpgp_key::of_user(c, user_id)).await.expect("read").expect("a key");
    assert_eq!(stored.fingerprint, ANA_KEY);
    let (parsed, _) = SignedPublicKey::from_string(&stored.armored).expect("the stored armor parses");
    assert_eq!(format!("{:X}", parsed.primary_key.fingerprint()), ANA_KEY);

    let res = app.post_form_with(&ana.client, "/me/openpgp", &[("key", &key_file("ana-rsa3072.asc"))]).await;
    assert_eq!(location(&res), "/me/openpgp?done=openpgp-saved");
    let page = app.page_with(&ana.client, "/me/openpgp").await;
    assert!(page.contains("66B4 1E36") && page.contains("Encryption expires: never"));
    let stored = app.db.query(move |c| openpgp_key::of_user(c, user_id)).await.expect("read");
    assert_eq!(stored.map(|k| k.fingerprint), Some(ANA_RSA.to_owned()));
    assert!(!page.contains("89AA B9F7"), "the old key is gone");
    assert_eq!(key_rows(&app).await, 1);

    let res = app.post_form_with(&ana.client, "/me/openpgp/remove", &[]).await;
    assert_eq!(location(&res), "/me/openpgp?done=openpgp-removed");
    assert_eq!(key_rows(&app).await, 0);
    let res = app.post_form_with(&ana.client, "/me/openpgp/remove", &[]).await;
    assert_eq!(location(&res), "/me/openpgp?done=openpgp-none");
    let actions = audit_actions(&app).await;
    for action in ["openpgp_key.added", "openpgp_key.replaced", "openpgp_key.removed"] {
        assert_eq!(actions.iter().filter(|a| *a == action).count(), 1, "{action}");
    }
    let stored = app.db.query(move |c| openpgp_key::of_user(c, user_id)).await.expect("read");
    assert_eq!(stored, None);
}

#[tokio::test]
async fn only_someone_approved_for_a_meeting_keeps_a_key() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;
    let reg = Registration::new(Status::Pending);
    let (_, client, _) = signed_in_attendee(&app, m.id, team_id, "ana@cert-at.example", reg).await;
    assert_eq!(client.get(app.url("/me/openpgp")).send().await.expect("sent").status(), 403);
    let res = app.post_form_with(&client, "/me/openpgp", &[("key", &key_file("ana-ed25519.asc"))]).await;
    assert_eq!(res.status(), 403);
    assert_eq!(key_rows(&app).await, 0);
    let me = app.page_with(&client, "/me").await;
    assert!(!me.contains("/me/openpgp"), "not linked before approval");
}

#[tokio::test]
async fn the_opt_ins_are_off_until_the_person_says_yes() {
    let app = spawn_app().await;
    let ana = approved_attendee(&app, &[]).await;
    let id = ana.registration_id;
    let stored = move |app: &TestApp| {
        let db = app.db.clone();
        async move { db.query(move |c| registration::find(c, id)).await.expect("read") }
    };
    let r = stored(&app).await;
    assert!(!r.share_contact && !r.mailing_list, "an existing registration is in neither");
    let page = app.page_with(&ana.client, &format!("/me/registrations/{id}")).await;
    assert!(page.contains(r#"name="share_contact" value="no" checked"#), "{page}");
    assert!(page.contains(r#"name="mailing_list" value="no" checked"#));

    let path = format!("/me/registrations/{id}/sharing");
    let res =
        app.post_form_with(&ana.client, &path, &[("share_contact", "yes"), ("mailing_list", "no")]).await;
    assert_eq!(location(&res), format!("/me/registrations/{id}?done=sharing-saved"));
    let r = stored(&app).await;
    assert!(r.share_contact && !r.mailing_list);
    let page = app.page_with(&ana.client, &format!("/me/registrations/{id}")).await;
    assert!(page.contains(r#"name="share_contact" value="yes" checked"#));

    let res =
        app.post_form_with(&ana.client, &path, &[("share_contact", "maybe"), ("mailing_list", "yes")]).await;
    assert_eq!(res.status(), 400, "an answer outside yes and no");
    let r = stored(&app).await;
    assert!(r.share_contact && !r.mailing_list, "nothing written");
    assert!(audit_actions(&app).await.contains(&"registration.sharing_changed".to_owned()));
}

/// Ana (shares, key), Bert (key, does not share), Cora (shares, key, hostile name), Dan
/// (shares, no key), Eve (shares, key, not listed), Finn (shares, key, pending): who the
/// directory shows what, for Ana as the reader.
async fn directory_of_six(app: &TestApp) -> reqwest::Client {
    let ana = approved_attendee(app, &[]).await;
    let meeting_id = ana.meeting.id;
    let team_id = app
        .db
        .query(move |c| {
            registrations::table.find(ana.registration_id).select(registrations::team_id).first::<i64>(c)
        })
        .await
        .expect("team");
    let mut people = vec![("ana@cert-at.example", ana.registration_id)];
    for (email, status, listed) in [
        ("bert@cert-at.example", Status::Approved, true),
        ("cora@cert-at.example", Status::Approved, true),
        ("dan@cert-at.example", Status::Approved, true),
        ("eve@cert-at.example", Status::Approved, false),
        ("finn@cert-at.example", Status::Pending, true),
    ] {
        let u = app.create_user(email, Role::Member).await;
        let id = Registration::new(status).listed(listed).insert(app, meeting_id, team_id, u.id).await;
        people.push((email, id));
    }
    let now = app.clock.now_naive();
    let ana_id = ana.registration_id;
    app.db
        .query(move |c| {
            diesel::update(registrations::table.find(ana_id))
                .set(registrations::consent_listed.eq(true))
                .execute(c)
        })
        .await
        .expect("Ana listed");
    for (email, id) in people {
        let share = email != "bert@cert-at.example";
        app.db.query(move |c| directory::set_sharing(c, id, share, false, now)).await.expect("shared");
    }
    for (email, file, address) in [
        ("ana@cert-at.example", "ana-ed25519.asc", "ana@cert-at.example"),
        ("bert@cert-at.example", "bert-ed25519.asc", "bert@cert-at.example"),
        ("cora@cert-at.example", "cora-ed25519.asc", "cora@cert-at.example"),
        // Eve (not listed) and Finn (not approved) hold a copy of Cora's key: were they let
        // into the keyring, Cora's fingerprint would show more than once.
        ("eve@cert-at.example", "cora-ed25519.asc", "cora@cert-at.example"),
        ("finn@cert-at.example", "cora-ed25519.asc", "cora@cert-at.example"),
    ] {
        store_key(app, email, file, address).await;
    }
    rename(app, "ana@cert-at.example", "Ana Analyst").await;
    rename(app, "bert@cert-at.example", "Bert Berger").await;
    rename(app, "cora@cert-at.example", "Cora; Evil,\\ Name\r\nEND:VCARD\nBEGIN:VCARD").await;
    rename(app, "dan@cert-at.example", "Dan Dorsey").await;
    rename(app, "eve@cert-at.example", "Eve Unlisted").await;
    rename(app, "finn@cert-at.example", "Finn Pending").await;
    ana.client
}

#[tokio::test]
async fn the_directory_shows_addresses_and_fingerprints_only_of_those_who_share_them() {
    let app = spawn_app().await;
    let ana = directory_of_six(&app).await;
    let page = app.page_with(&ana, &format!("/meetings/{SLUG}/attendees")).await;
    let list = &page[page.find("<main").expect("main")..];
    for shown in [
        "Ana Analyst",
        "ana@cert-at.example",
        "89AA B9F7",
        "Bert Berger",
        "cora@cert-at.example",
        "6580 7413",
    ] {
        assert!(list.contains(shown), "{shown} shown: {list}");
    }
    assert!(list.contains("Dan Dorsey") && list.contains("dan@cert-at.example"));
    for hidden in ["bert@cert-at.example", "404B 1CE0", "Eve Unlisted", "eve@", "Finn Pending", "finn@"] {
        assert!(!list.contains(hidden), "{hidden} not shown");
    }
    assert!(list.contains("CERT Austria") && list.contains("Analyst"), "team and role");
    assert!(list.contains(&format!("/meetings/{SLUG}/attendees/keys.asc")));
    assert!(list.contains(&format!("/meetings/{SLUG}/attendees/contacts.vcf")));
}

#[tokio::test]
async fn the_keyring_holds_exactly_the_shared_keys_and_gpg_reads_it() {
    let app = spawn_app().await;
    let ana = directory_of_six(&app).await;
    let res = ana.get(app.url(&format!("/meetings/{SLUG}/attendees/keys.asc"))).send().await.expect("sent");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pgp-keys");
    let ring = res.text().await.expect("body");
    assert_eq!(ring.matches("-----BEGIN PGP PUBLIC KEY BLOCK-----").count(), 1, "one armored block");
    let (keys, _) = SignedPublicKey::from_string_many(&ring).expect("armor");
    let mut fingerprints: Vec<String> =
        keys.map(|k| format!("{:X}", k.expect("a key").primary_key.fingerprint())).collect();
    fingerprints.sort();
    let mut expected = vec![ANA_KEY.to_owned(), CORA_KEY.to_owned()];
    expected.sort();
    assert_eq!(fingerprints, expected, "Bert did not share; nobody else has a key");
    assert!(!ring.contains(BERT_KEY));

    // Debian's gpg reads it too, when it is installed (the CI image has it).
    let Ok(dir) = tempfile::tempdir() else { return };
    let path = dir.path().join("ring.asc");
    std::fs::write(&path, &ring).expect("written");
    let out = std::process::Command::new("gpg")
        .args(["--batch", "--homedir"])
        .arg(dir.path())
        .args(["--import-options", "show-only", "--with-colons", "--import"])
        .arg(&path)
        .output();
    if let Ok(out) = out {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let listed = String::from_utf8_lossy(&out.stdout);
        assert!(
            listed.contains(ANA_KEY) && listed.contains(CORA_KEY) && !listed.contains(BERT_KEY),
            "{listed}"
        );
    }
}

#[tokio::test]
async fn the_vcard_file_escapes_hostile_names_and_holds_only_shared_contacts() {
    let app = spawn_app().await;
    let ana = directory_of_six(&app).await;
    let res =
        ana.get(app.url(&format!("/meetings/{SLUG}/attendees/contacts.vcf"))).send().await.expect("sent");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/vcard; charset=utf-8");
    let file = res.text().await.expect("body");
    let lines: Vec<String> = file.replace("\r\n ", "").split("\r\n").map(str::to_owned).collect();
    assert_eq!(lines.iter().filter(|l| *l == "BEGIN:VCARD").count(), 3, "Ana, Cora, Dan: {file}");
    assert_eq!(lines.iter().filter(|l| *l == "END:VCARD").count(), 3);
    assert!(lines.contains(&"VERSION:4.0".to_owned()));
    assert!(lines.contains(&"FN:Cora\\; Evil\\,\\\\ Name\\nEND:VCARD\\nBEGIN:VCARD".to_owned()), "{file}");
    assert!(lines.contains(&format!("NOTE:OpenPGP fingerprint {ANA_KEY}")));
    assert!(lines.contains(&"EMAIL;TYPE=work:dan@cert-at.example".to_owned()));
    assert!(!file.contains("bert@") && !file.contains("eve@") && !file.contains("finn@"));
    for line in file.split("\r\n") {
        assert!(line.len() <= 75, "folded: {line}");
        assert!(!line.contains('\n') && !line.contains('\r'));
    }
}

#[tokio::test]
async fn a_past_meetings_directory_closes_after_the_configured_months() {
    let app = spawn_app_with(|s| s.directory.readable_months_after = 2, |_| {}).await;
    let ana = directory_of_six(&app).await;
    let paths = ["", "/keys.asc", "/contacts.vcf"].map(|p| format!("/meetings/{SLUG}/attendees{p}"));
    // The meeting's last day is Sunday 21 June 2026 (Denver): open until 21 August.
    let at = Utc.with_ymd_and_hms(2026, 8, 21, 12, 0, 0).single().expect("time");
    app.clock.advance(at - app.clock.now());
    // The session timed out meanwhile.
    assert_eq!(app.login_with(&ana, "ana@cert-at.example", PASSWORD).await.status(), 303);
    for path in &paths {
        assert_eq!(ana.get(app.url(path)).send().await.expect("sent").status(), 200, "{path} still open");
    }
    app.clock.advance(chrono::Duration::days(1));
    assert_eq!(app.login_with(&ana, "ana@cert-at.example", PASSWORD).await.status(), 303);
    for path in &paths {
        let res = ana.get(app.url(path)).send().await.expect("sent");
        assert_eq!(res.status(), 410, "{path} closed");
        let page = res.text().await.expect("body");
        assert!(page.contains("closed on Saturday 22 August 2026"), "{page}");
        assert!(page.contains("stays open to its attendees for 2 months"));
        assert!(!page.contains("ana@cert-at.example") && !page.contains("BEGIN"), "nothing of it");
    }
    // The default is a year.
    assert_eq!(
        csirt_meet::config::Settings::defaults().expect("defaults").directory.readable_months_after,
        12
    );
}
