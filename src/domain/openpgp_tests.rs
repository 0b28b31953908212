//! The checks of `domain::openpgp` on the throwaway keys of `tests/fixtures/openpgp/`
//! (made once with Debian's gpg; see the README there).

use chrono::{NaiveDate, NaiveDateTime};

use super::*;

const ANA: &str = "ana@cert-at.example";

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/openpgp/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The test server's clock: 1 May 2026.
fn may_2026() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 5, 1).and_then(|d| d.and_hms_opt(9, 0, 0)).expect("date")
}

#[test]
fn an_ed25519_key_with_a_cv25519_subkey_is_accepted_with_its_fingerprint_and_expiry() {
    let key = check(&fixture("ana-ed25519.asc"), ANA, may_2026()).expect("accepted");
    assert_eq!(key.fingerprint, "89AAB9F7865C4D64F2FAEF5113B76A67A51187B9");
    let expires = key.encryption_expires.expect("an expiry").format("%Y-%m-%d").to_string();
    assert_eq!(expires, "2029-01-01");
    assert!(key.armored.starts_with("-----BEGIN PGP PUBLIC KEY BLOCK-----"));
    // What is written back parses again to the same key.
    assert_eq!(check(&key.armored, ANA, may_2026()), Ok(key));
}

#[test]
fn an_rsa_key_without_expiry_matches_its_second_user_id() {
    let key = check(&fixture("ana-rsa3072.asc"), "ANA@cert-at.example", may_2026()).expect("accepted");
    assert_eq!(key.fingerprint, "66B41E3668D232E77AA188B837D541DCC701478A");
    assert_eq!(key.encryption_expires, None);
}

#[test]
fn a_key_past_its_expiry_is_refused_with_the_day() {
    let err = check(&fixture("ana-expired.asc"), ANA, may_2026()).expect_err("refused");
    assert!(matches!(err, KeyError::Expired(ref day) if day.starts_with("2025-01-02")), "{err:?}");
    assert!(err.to_string().contains("expired on 2025-01-02"));
}

#[test]
fn the_good_key_is_refused_once_the_clock_passes_its_expiry() {
    let later = NaiveDate::from_ymd_opt(2029, 1, 2).and_then(|d| d.and_hms_opt(0, 0, 0)).expect("date");
    assert!(matches!(check(&fixture("ana-ed25519.asc"), ANA, later), Err(KeyError::Expired(_))));
}

#[test]
fn a_revoked_key_is_refused() {
    assert_eq!(check(&fixture("ana-revoked.asc"), ANA, may_2026()), Err(KeyError::Revoked));
}

#[test]
fn a_key_that_cannot_encrypt_is_refused() {
    assert_eq!(check(&fixture("ana-sign-only.asc"), ANA, may_2026()), Err(KeyError::NoEncryptionKey));
}

#[test]
fn a_private_key_is_refused_and_the_message_does_not_repeat_it() {
    let secret = fixture("ana-secret.asc");
    let err = check(&secret, ANA, may_2026()).expect_err("refused");
    assert_eq!(err, KeyError::PrivateKey);
    assert!(err.to_string().contains("PRIVATE key"));
    let body = secret.lines().nth(2).expect("a line of the body");
    assert!(!format!("{err} {err:?}").contains(body));
}

#[test]
fn a_version_6_key_is_refused() {
    let err = check(&fixture("ana-v6.asc"), ANA, may_2026()).expect_err("refused");
    assert_eq!(err, KeyError::Version(6));
    assert!(err.to_string().contains("version 4 keys only"));
}

#[test]
fn a_key_for_another_address_is_refused_naming_what_it_has() {
    let err = check(&fixture("bert-ed25519.asc"), ANA, may_2026()).expect_err("refused");
    assert_eq!(
        err,
        KeyError::AddressMissing { wanted: ANA.to_owned(), found: vec!["bert@cert-at.example".to_owned()] }
    );
    assert!(
        err.to_string()
            .contains("do not include your address ana@cert-at.example; it has: bert@cert-at.example")
    );
}

#[test]
fn damaged_or_foreign_text_is_malformed() {
    let good = fixture("ana-ed25519.asc");
    assert_eq!(check("hello", ANA, may_2026()), Err(KeyError::Malformed));
    let cut = &good[..good.len() / 2];
    assert_eq!(check(cut, ANA, may_2026()), Err(KeyError::Malformed));
    let flipped = good.replacen("mDMEaV", "mDMEbW", 1).replacen('A', "B", 3);
    assert!(check(&flipped, ANA, may_2026()).is_err());
    let message = "-----BEGIN PGP MESSAGE-----\n\nhQEMA\n-----END PGP MESSAGE-----\n";
    assert_eq!(check(message, ANA, may_2026()), Err(KeyError::Malformed));
}

#[test]
fn empty_oversized_and_doubled_pastes_are_refused() {
    assert_eq!(check("  \n ", ANA, may_2026()), Err(KeyError::Empty));
    let huge = format!("-----BEGIN PGP PUBLIC KEY BLOCK-----\n{}", "A".repeat(MAX_ARMOR_BYTES));
    assert_eq!(check(&huge, ANA, may_2026()), Err(KeyError::TooLarge));
    let ana = check(&fixture("ana-ed25519.asc"), ANA, may_2026()).expect("accepted");
    let cora = check(&fixture("cora-ed25519.asc"), "cora@cert-at.example", may_2026()).expect("accepted");
    let both = keyring(&[ana.armored, cora.armored]).expect("keyring");
    assert_eq!(check(&both, ANA, may_2026()), Err(KeyError::SeveralKeys));
}

#[test]
fn a_keyring_holds_each_key_once_in_one_armored_block() {
    let keys: Vec<String> = [("ana-ed25519.asc", ANA), ("bert-ed25519.asc", "bert@cert-at.example")]
        .iter()
        .map(|(f, a)| check(&fixture(f), a, may_2026()).expect("accepted").armored)
        .collect();
    let ring = keyring(&keys).expect("keyring");
    assert_eq!(ring.matches("-----BEGIN PGP PUBLIC KEY BLOCK-----").count(), 1);
    let (parsed, _) = SignedPublicKey::from_string_many(&ring).expect("parses");
    let fingerprints: Vec<String> =
        parsed.map(|k| format!("{:X}", k.expect("a key").primary_key.fingerprint())).collect();
    assert_eq!(
        fingerprints,
        ["89AAB9F7865C4D64F2FAEF5113B76A67A51187B9", "404B1CE0A0922C6AAF96CD0DB7E07132BABE7B1E"]
    );
}

#[test]
fn a_key_pasted_from_a_browser_with_crlf_line_ends_is_accepted() {
    let crlf = fixture("ana-ed25519.asc").replace('\n', "\r\n");
    let key = check(&crlf, ANA, may_2026()).expect("accepted");
    assert_eq!(key.fingerprint, "89AAB9F7865C4D64F2FAEF5113B76A67A51187B9");
    let v6 = fixture("ana-v6.asc").replace('\n', "\r\n");
    assert_eq!(check(&v6, ANA, may_2026()), Err(KeyError::Version(6)));
}
