//! An attendee's OpenPGP public key as they paste it (issue 19, point 2): checked before it
//! is stored, and written back as the armor of only what was checked (the self-signatures
//! that verify), so the directory's keyring never passes on a forged user ID, a
//! third-party certification or a photo.
//!
//! Parsing and signature checks are rpgp's (`pgp`); the rules are ours: one version 4
//! key, not revoked, not expired, a user ID with the person's address, and a part that may
//! encrypt now. The pasted text is never logged and a refusal never repeats it.

use chrono::{DateTime, NaiveDateTime};
use pgp::{
    composed::{ArmorOptions, Deserializable, SignedKeyDetails, SignedPublicKey, SignedPublicSubKey},
    packet::{Signature, SignatureType},
    types::{KeyDetails, KeyVersion, SignedUser, Tag, Timestamp},
};

/// The most text a pasted key may have: 64 KiB. A key with a few user IDs and subkeys is
/// a few KiB; one heavy with certifications from others may be larger, and only its
/// self-signatures are kept anyway.
pub const MAX_ARMOR_BYTES: usize = 64 * 1024;

/// A key that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedKey {
    /// The version 4 fingerprint: 40 upper-case hex digits.
    pub fingerprint: String,
    /// The key as ASCII armor, with only the self-signatures that verify.
    pub armored: String,
    /// When the key stops being usable for encryption (the earlier of the primary key's
    /// and the encryption subkey's expiry), if ever.
    pub encryption_expires: Option<NaiveDateTime>,
}

/// Why a pasted key is refused; the message is shown beside the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error(
        "Paste your OpenPGP public key (ASCII armor, starting with -----BEGIN PGP PUBLIC KEY BLOCK-----)."
    )]
    Empty,
    #[error(
        "This is larger than 64 KiB: paste only your public key, exported without other people's signatures (gpg --armor --export-options export-minimal --export ADDRESS)."
    )]
    TooLarge,
    #[error(
        "This is a PRIVATE key. It was not stored: never share it. Paste your PUBLIC key instead (gpg --armor --export ADDRESS)."
    )]
    PrivateKey,
    #[error(
        "This is not an ASCII-armored OpenPGP public key, or it is damaged: paste the whole block, from -----BEGIN PGP PUBLIC KEY BLOCK----- to -----END PGP PUBLIC KEY BLOCK-----."
    )]
    Malformed,
    #[error("This block holds more than one key: paste only yours.")]
    SeveralKeys,
    #[error(
        "This is a version {0} key: version 4 keys only (the version that mail programs and gpg read everywhere)."
    )]
    Version(u8),
    #[error("This key is revoked: its owner declared it no longer to be used.")]
    Revoked,
    #[error("This key expired on {0} (UTC). Extend its expiry (gpg --quick-set-expire) and paste it again.")]
    Expired(String),
    #[error(
        "This key has no encryption subkey that is valid now (not expired or revoked): others could not encrypt to you with it."
    )]
    NoEncryptionKey,
    #[error("This key's user IDs do not include your address {wanted}; it has: {}.", found_list(.found))]
    AddressMissing { wanted: String, found: Vec<String> },
}

fn found_list(found: &[String]) -> String {
    if found.is_empty() { "no address".to_owned() } else { found.join(", ") }
}

/// Checks a pasted key for the account at `address` (normalized, lower case) at `now`.
pub fn check(pasted: &str, address: &str, now: NaiveDateTime) -> Result<CheckedKey, KeyError> {
    let text = pasted.trim();
    if text.is_empty() {
        return Err(KeyError::Empty);
    }
    if text.len() > MAX_ARMOR_BYTES {
        return Err(KeyError::TooLarge);
    }
    // Before parsing: a secret key must be refused even if damaged.
    if text.contains("PRIVATE KEY BLOCK") || text.contains("SECRET KEY BLOCK") {
        return Err(KeyError::PrivateKey);
    }
    if !text.starts_with("-----BEGIN PGP PUBLIC KEY BLOCK-----") {
        return Err(KeyError::Malformed);
    }
    // Before the full parse, which may not get far enough with a newer key to say so.
    if let Some(version) = primary_version(text).filter(|v| *v != 4) {
        return Err(KeyError::Version(version));
    }
    let (keys, _) = SignedPublicKey::from_string_many(text).map_err(|_| KeyError::Malformed)?;
    let mut keys = keys.collect::<Result<Vec<_>, _>>().map_err(|_| KeyError::Malformed)?;
    let key = match keys.len() {
        0 => return Err(KeyError::Malformed),
        1 => keys.remove(0),
        _ => return Err(KeyError::SeveralKeys),
    };
    let version = key.primary_key.version();
    if version != KeyVersion::V4 {
        return Err(KeyError::Version(u8::from(version)));
    }
    let clean = self_signed(&key);
    if clean.revoked {
        return Err(KeyError::Revoked);
    }
    let primary_expires = expiry(key.primary_key.created_at(), newest(&clean.self_sigs));
    if let Some(end) = primary_expires.filter(|end| *end <= now) {
        return Err(KeyError::Expired(end.format("%Y-%m-%d %H:%M").to_string()));
    }
    let found: Vec<String> = clean.users.iter().filter_map(|u| address_of(&u.id)).collect();
    if !found.iter().any(|a| a.eq_ignore_ascii_case(address)) {
        return Err(KeyError::AddressMissing { wanted: address.to_owned(), found });
    }
    let encryption_end = encryption_expiry(&key, &clean, now).ok_or(KeyError::NoEncryptionKey)?;
    let encryption_expires = match (primary_expires, encryption_end) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let armored = SignedPublicKey::new(
        key.primary_key.clone(),
        SignedKeyDetails::new(Vec::new(), clean.direct, clean.users, Vec::new()),
        clean.subkeys,
    )
    .to_armored_string(ArmorOptions::default())
    .map_err(|_| KeyError::Malformed)?;
    Ok(CheckedKey {
        fingerprint: format!("{:X}", key.primary_key.fingerprint()),
        armored,
        encryption_expires,
    })
}

/// The stored keys (each written by [`check`]) as one armored block, in this order: the
/// directory's keyring, which `gpg --import` reads in one go.
pub fn keyring(armored: &[String]) -> Result<String, KeyError> {
    let keys = armored
        .iter()
        .map(|a| SignedPublicKey::from_string(a).map(|(k, _)| k))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| KeyError::Malformed)?;
    let mut out = Vec::new();
    pgp::armor::write(&keys, pgp::armor::BlockType::PublicKey, &mut out, None, true)
        .map_err(|_| KeyError::Malformed)?;
    String::from_utf8(out).map_err(|_| KeyError::Malformed)
}

/// The parts of a key whose self-signatures verify.
struct SelfSigned {
    revoked: bool,
    direct: Vec<Signature>,
    users: Vec<SignedUser>,
    /// Direct-key and user ID self-signatures: where the primary key's expiry and flags are.
    self_sigs: Vec<Signature>,
    subkeys: Vec<SignedPublicSubKey>,
}

fn self_signed(key: &SignedPublicKey) -> SelfSigned {
    let primary = &key.primary_key;
    let revoked = key.details.revocation_signatures.iter().any(|s| s.verify_key(primary).is_ok());
    let direct: Vec<Signature> =
        key.details.direct_signatures.iter().filter(|s| s.verify_key(primary).is_ok()).cloned().collect();
    let mut self_sigs = direct.clone();
    let mut users = Vec::new();
    for user in &key.details.users {
        let sigs: Vec<Signature> = user
            .signatures
            .iter()
            .filter(|s| s.verify_certification(primary, Tag::UserId, &user.id).is_ok())
            .cloned()
            .collect();
        // A user ID whose newest self-signature revokes it no longer names the key's owner.
        match newest(&sigs) {
            Some(s) if s.typ() != Some(SignatureType::CertRevocation) => {
                self_sigs.push(s.clone());
                users.push(SignedUser::new(user.id.clone(), sigs));
            }
            _ => {}
        }
    }
    let subkeys = key
        .public_subkeys
        .iter()
        .filter_map(|sub| {
            let sigs: Vec<Signature> = sub
                .signatures
                .iter()
                .filter(|s| s.verify_subkey_binding(primary, &sub.key).is_ok())
                .cloned()
                .collect();
            (!sigs.is_empty()).then(|| SignedPublicSubKey::new(sub.key.clone(), sigs))
        })
        .collect();
    SelfSigned { revoked, direct, users, self_sigs, subkeys }
}

/// The expiry of the encryption part valid at `now` that lasts longest: `Some(None)` for
/// one without expiry, `None` when there is no such part.
fn encryption_expiry(
    key: &SignedPublicKey,
    clean: &SelfSigned,
    now: NaiveDateTime,
) -> Option<Option<NaiveDateTime>> {
    let mut ends: Vec<Option<NaiveDateTime>> = Vec::new();
    if let Some(sig) = newest(&clean.self_sigs).filter(|s| encrypts(s)) {
        ends.push(expiry(key.primary_key.created_at(), Some(sig)));
    }
    for sub in &clean.subkeys {
        if sub.signatures.iter().any(|s| s.typ() == Some(SignatureType::SubkeyRevocation)) {
            continue;
        }
        let binding = newest(&sub.signatures);
        if binding.is_some_and(encrypts) {
            ends.push(expiry(sub.key.created_at(), binding));
        }
    }
    ends.retain(|end| end.is_none_or(|end| end > now));
    // `None` (never) sorts first; otherwise the latest end.
    ends.into_iter().max_by_key(|end| end.map_or((1, None), |e| (0, Some(e))))
}

fn encrypts(sig: &Signature) -> bool {
    let flags = sig.key_flags();
    flags.encrypt_comms() || flags.encrypt_storage()
}

/// The newest signature (by creation time) of `sigs`.
fn newest(sigs: &[Signature]) -> Option<&Signature> {
    sigs.iter().max_by_key(|s| s.created().map(Timestamp::as_secs))
}

/// When a key part made at `created` expires under its newest self-signature `sig`.
fn expiry(created: Timestamp, sig: Option<&Signature>) -> Option<NaiveDateTime> {
    let secs = sig?.key_expiration_time()?.as_secs();
    // Zero means "does not expire" (RFC 9580, 5.2.3.13).
    (secs > 0)
        .then(|| DateTime::from_timestamp(i64::from(created.as_secs()) + i64::from(secs), 0))?
        .map(|t| t.naive_utc())
}

/// The version byte of the first packet when it is a public key packet (tag 6), read from
/// the dearmored bytes (RFC 9580, 4.2: new and legacy packet headers).
fn primary_version(text: &str) -> Option<u8> {
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut pgp::armor::Dearmor::new(text.as_bytes()), &mut bytes).ok()?;
    let first = *bytes.first()?;
    let (tag, length_octets) = if first & 0xC0 == 0xC0 {
        let octets = match *bytes.get(1)? {
            0..=191 => 1,
            192..=223 => 2,
            255 => 5,
            _ => return None,
        };
        (first & 0x3F, octets)
    } else if first & 0x80 == 0x80 {
        ((first >> 2) & 0x0F, [1, 2, 4].get(usize::from(first & 0x03)).copied()?)
    } else {
        return None;
    };
    if tag != 6 {
        return None;
    }
    bytes.get(1 + length_octets).copied()
}

/// The address of a user ID ("Name <addr>" or a bare address), lower case.
fn address_of(id: &pgp::packet::UserId) -> Option<String> {
    let text = std::str::from_utf8(id.id()).ok()?.trim();
    let inner = match (text.rfind('<'), text.rfind('>')) {
        (Some(open), Some(close)) if open < close => &text[open + 1..close],
        _ => text,
    };
    inner.contains('@').then(|| inner.trim().to_ascii_lowercase())
}

#[cfg(test)]
#[path = "openpgp_tests.rs"]
mod tests;
