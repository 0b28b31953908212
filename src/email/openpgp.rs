//! OpenPGP for encrypted announcements (issue 19, point 3): the organizer key that signs
//! them (`[mail] openpgp_key_file`, loaded and checked once at start-up), the encryption
//! subkey of a recipient's stored key, and the sealing itself: sign, then encrypt to one
//! recipient, as one OpenPGP message in a SEIPD v1 packet, which Debian 12's gpg 2.2
//! reads (it does not read v2).

use std::path::Path;

use anyhow::Context as _;
use pgp::{
    composed::{
        ArmorOptions, Deserializable, MessageBuilder, SignedPublicKey, SignedPublicSubKey, SignedSecretKey,
    },
    crypto::{hash::HashAlgorithm, sym::SymmetricKeyAlgorithm},
    packet::{PublicKey, SignatureType},
    types::{KeyDetails, KeyVersion, Password},
};

use crate::config::MailSettings;

/// Why a configured organizer key cannot be used (said at start-up, with the file's name).
#[derive(Debug, thiserror::Error)]
pub enum OrganizerKeyError {
    #[error("not an ASCII-armored OpenPGP secret key")]
    Parse(#[source] pgp::errors::Error),
    #[error("a version 4 key is needed (Debian's gpg 2.2 reads no other)")]
    Version,
    #[error("the key's self-signatures do not verify")]
    Bindings(#[source] pgp::errors::Error),
    #[error(
        "the primary key cannot sign ({0:?}); use a key whose primary key signs, as gpg makes by default"
    )]
    CannotSign(pgp::crypto::public_key::PublicKeyAlgorithm),
    #[error(
        "the key does not sign with the passphrase given (is it in the environment variable named by mail.openpgp_passphrase_env?)"
    )]
    Unlock(#[source] pgp::errors::Error),
}

/// The organizer key: signs every encrypted announcement. Its secret parts and passphrase
/// never reach a log (the `Debug` below shows the fingerprint only).
pub struct OrganizerKey {
    secret: SignedSecretKey,
    passphrase: String,
    fingerprint: String,
    public_armored: String,
}

impl std::fmt::Debug for OrganizerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OrganizerKey").field("fingerprint", &self.fingerprint).finish_non_exhaustive()
    }
}

impl OrganizerKey {
    /// The key configured in `mail`, or `None` when `openpgp_key_file` is empty. An error
    /// names the file and the problem, never the key's contents.
    pub fn load(mail: &MailSettings) -> anyhow::Result<Option<Self>> {
        let file = mail.openpgp_key_file.trim();
        if file.is_empty() {
            return Ok(None);
        }
        let path = Path::new(file);
        let armored = std::fs::read_to_string(path).with_context(|| {
            format!("mail.openpgp_key_file: cannot read the organizer OpenPGP key {}", path.display())
        })?;
        let name = mail.openpgp_passphrase_env.trim();
        let passphrase =
            if name.is_empty() { String::new() } else { std::env::var(name).unwrap_or_default() };
        let key = Self::from_armored(&armored, passphrase).with_context(|| {
            format!("mail.openpgp_key_file: the organizer OpenPGP key in {}", path.display())
        })?;
        tracing::info!(fingerprint = %key.fingerprint, "loaded the organizer OpenPGP key");
        Ok(Some(key))
    }

    /// Parses and checks an armored secret key, and signs a probe with it so that a wrong
    /// passphrase shows now, not at the first announcement.
    pub fn from_armored(armored: &str, passphrase: String) -> Result<Self, OrganizerKeyError> {
        let (secret, _) = SignedSecretKey::from_string(armored).map_err(OrganizerKeyError::Parse)?;
        if secret.primary_key.version() != KeyVersion::V4 {
            return Err(OrganizerKeyError::Version);
        }
        secret.verify_bindings().map_err(OrganizerKeyError::Bindings)?;
        let algorithm = secret.primary_key.algorithm();
        if !algorithm.can_sign() {
            return Err(OrganizerKeyError::CannotSign(algorithm));
        }
        let public = secret.to_public_key();
        let public_armored =
            public.to_armored_string(ArmorOptions::default()).map_err(OrganizerKeyError::Parse)?;
        let fingerprint = format!("{:X}", public.fingerprint());
        let key = Self { secret, passphrase, fingerprint, public_armored };
        let mut probe = MessageBuilder::from_bytes("", b"probe".to_vec());
        probe.sign(&key.secret.primary_key, key.password(), HashAlgorithm::Sha256);
        probe.to_vec(rand::thread_rng()).map_err(OrganizerKeyError::Unlock)?;
        Ok(key)
    }

    fn password(&self) -> Password {
        Password::from(self.passphrase.as_str())
    }

    /// The primary key's fingerprint: 40 upper-case hex digits.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// "ABCD 1234 …": the fingerprint as people compare it, in groups of four.
    pub fn fingerprint_grouped(&self) -> String {
        grouped(&self.fingerprint)
    }

    /// The public key, ASCII-armored, as `/openpgp-key.asc` serves it.
    pub fn public_armored(&self) -> &str {
        &self.public_armored
    }

    /// `inner` signed by this key, then encrypted to `to`: one armored OpenPGP message.
    pub fn seal(&self, to: &RecipientKey, inner: &[u8]) -> Result<String, pgp::errors::Error> {
        let mut rng = rand::thread_rng();
        let mut builder =
            MessageBuilder::from_bytes("", inner.to_vec()).seipd_v1(&mut rng, SymmetricKeyAlgorithm::AES256);
        match &to.target {
            Target::Subkey(subkey) => builder.encrypt_to_key(&mut rng, subkey)?,
            Target::Primary(primary) => builder.encrypt_to_key(&mut rng, primary)?,
        };
        builder.sign(&self.secret.primary_key, self.password(), HashAlgorithm::Sha256);
        builder.to_armored_string(&mut rng, ArmorOptions::default())
    }
}

/// Why a stored key gets no encrypted message (its owner then gets the clear text or
/// nothing, as the organizers chose).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RecipientKeyError {
    #[error("the stored key does not parse")]
    Parse,
    #[error("not a version 4 key")]
    Version,
    #[error("the key's signatures do not verify")]
    Bindings,
    #[error("no subkey or primary key that may encrypt, bound and not revoked")]
    NoEncryptionSubkey,
}

/// A recipient's key, reduced to the part a message is encrypted to.
#[derive(Debug, Clone)]
pub struct RecipientKey {
    target: Target,
}

#[derive(Debug, Clone)]
enum Target {
    Subkey(SignedPublicSubKey),
    /// A key without an encryption subkey whose primary key may encrypt (an RSA key made
    /// with usage "sign,encr"), which `domain::openpgp::check` also accepts.
    Primary(PublicKey),
}

impl RecipientKey {
    /// The newest encryption-capable subkey of an armored public key that is bound and
    /// not revoked, else its primary key when that is flagged for encryption and not
    /// revoked. (Expiry is the stored row's `expires_at`, checked by the caller.)
    pub fn parse(armored: &str) -> Result<Self, RecipientKeyError> {
        let (key, _) = SignedPublicKey::from_string(armored).map_err(|_| RecipientKeyError::Parse)?;
        if key.primary_key.version() != KeyVersion::V4 {
            return Err(RecipientKeyError::Version);
        }
        key.verify_bindings().map_err(|_| RecipientKeyError::Bindings)?;
        let subkey = key.public_subkeys.iter().filter(|s| encrypts(s)).max_by_key(|s| s.key.created_at());
        match subkey {
            Some(s) => Ok(Self { target: Target::Subkey(s.clone()) }),
            None if primary_encrypts(&key) => Ok(Self { target: Target::Primary(key.primary_key) }),
            None => Err(RecipientKeyError::NoEncryptionSubkey),
        }
    }
}

/// "ABCD 1234 …": hex digits in groups of four.
fn grouped(fingerprint: &str) -> String {
    let groups: Vec<&str> =
        fingerprint.as_bytes().chunks(4).filter_map(|c| std::str::from_utf8(c).ok()).collect();
    groups.join(" ")
}

fn primary_encrypts(key: &SignedPublicKey) -> bool {
    let details = &key.details;
    let flagged = details
        .users
        .iter()
        .flat_map(|u| &u.signatures)
        .chain(&details.direct_signatures)
        .any(|s| s.key_flags().encrypt_comms() || s.key_flags().encrypt_storage());
    details.revocation_signatures.is_empty() && flagged && key.primary_key.algorithm().can_encrypt()
}

fn encrypts(subkey: &SignedPublicSubKey) -> bool {
    let revoked = subkey.signatures.iter().any(|s| s.typ() == Some(SignatureType::SubkeyRevocation));
    let flagged = subkey.signatures.iter().any(|s| {
        s.typ() == Some(SignatureType::SubkeyBinding)
            && (s.key_flags().encrypt_comms() || s.key_flags().encrypt_storage())
    });
    !revoked && flagged && subkey.key.algorithm().can_encrypt()
}

#[cfg(test)]
mod tests {
    //! Sealing itself is checked end to end with gpg (`tests/api/announce_encrypted.rs`);
    //! here, the refusals that need no secret key.

    use super::*;

    /// Made by gpg 2.2 with `--quick-gen-key UID ed25519 sign never`: no encryption subkey.
    const SIGN_ONLY: &str = "-----BEGIN PGP PUBLIC KEY BLOCK-----

mDMEaxG8cxYJKwYBBAHaRw8BAQdA8S54Izd/h1XXrZ78kTL5IgId+J73YXdcDlOM
0fIQNXa0IlNpZ24gb25seSA8c2lnbi1vbmx5QGNlcnQuZXhhbXBsZT6IkAQTFggA
OBYhBG7Q7NZlsi/rrjRvUUtWs+Cr5YsYBQJrEbxzAhsDBQsJCAcCBhUKCQgLAgQW
AgMBAh4BAheAAAoJEEtWs+Cr5YsYcwQBAL54Z29BlTaGK1HTkfMskK3FouF24O8x
3pgwJVqWAINQAP9Zvnqj7pZKc+eSxbPGK4IAiC7cqiwmifuEgBXKXuevDg==
=qcLX
-----END PGP PUBLIC KEY BLOCK-----
";

    #[test]
    fn a_key_without_an_encryption_subkey_gets_no_encrypted_copy() {
        assert_eq!(RecipientKey::parse(SIGN_ONLY).err(), Some(RecipientKeyError::NoEncryptionSubkey));
        assert_eq!(RecipientKey::parse("not a key").err(), Some(RecipientKeyError::Parse));
    }

    #[test]
    fn a_primary_key_that_may_encrypt_is_used_without_a_subkey() {
        // gpg 2.2: `--quick-gen-key UID rsa2048 sign,encr never`.
        let key = RecipientKey::parse(include_str!("testdata/primary-only.asc")).expect("usable");
        assert!(matches!(key.target, Target::Primary(_)), "{key:?}");
    }

    #[test]
    fn a_public_key_is_no_organizer_key() {
        let error = OrganizerKey::from_armored(SIGN_ONLY, String::new()).expect_err("public only");
        assert!(matches!(error, OrganizerKeyError::Parse(_)), "{error}");
        assert_eq!(error.to_string(), "not an ASCII-armored OpenPGP secret key");
    }

    #[test]
    fn fingerprints_show_in_groups_of_four() {
        assert_eq!(
            grouped("6ED0ECD665B22FEBAE346F514B56B3E0ABE58B18"),
            "6ED0 ECD6 65B2 2FEB AE34 6F51 4B56 B3E0 ABE5 8B18"
        );
    }
}
