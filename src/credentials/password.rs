//! Password hashing with Argon2id at the argon2 crate's defaults (m=19456 KiB, t=2, p=1,
//! the OWASP baseline), stored as PHC strings. Each call costs tens of milliseconds of
//! CPU, so callers run these on the blocking pool.

use std::sync::LazyLock;

use argon2::{ARGON2ID_IDENT, Argon2, PasswordHash, PasswordHasher, PasswordVerifier};

use crate::domain::token::Token;

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("could not hash the password")]
    Argon2(#[from] argon2::password_hash::Error),
}

/// Hashes `password` with a fresh 16-byte salt from the OS random number generator and
/// returns the PHC string (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`).
pub fn hash(password: &str) -> Result<String, HashError> {
    Ok(Argon2::default().hash_password(password.as_bytes())?.to_string())
}

/// Whether `password` matches the PHC string `phc`. A malformed string, or one for
/// another algorithm, never matches.
///
/// The parameters come from the stored string, so hashes made before a future change of
/// defaults keep working.
pub fn verify(password: &str, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    // Only Argon2id is ever written; accepting argon2i/argon2d would let a tampered row
    // downgrade to a variant with weaker side-channel or GPU resistance.
    parsed.algorithm == ARGON2ID_IDENT
        && Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()
}

static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    hash(Token::generate().as_str())
        .expect("hashing with the default parameters fails only if the OS random number generator does")
});

/// A valid Argon2id hash of a random, discarded password, with the same parameters as
/// real hashes: verifying against it when an email is unknown costs the same time as a
/// real check, so response times do not reveal which addresses have accounts.
pub fn dummy_hash() -> &'static str {
    &DUMMY_HASH
}

#[cfg(test)]
mod tests {
    use argon2::{Algorithm, Params, Version};

    use super::*;

    const PASSWORD: &str = "velvet-harbour-71-quiet";

    #[test]
    fn a_password_verifies_against_its_own_hash() {
        let phc = hash(PASSWORD).expect("hashable");
        assert!(verify(PASSWORD, &phc));
    }

    #[test]
    fn a_wrong_password_does_not_verify() {
        let phc = hash(PASSWORD).expect("hashable");
        assert!(!verify("velvet-harbour-71-quiet ", &phc));
        assert!(!verify("", &phc));
    }

    #[test]
    fn the_hash_is_argon2id_v19_with_the_owasp_parameters() {
        let phc = hash(PASSWORD).expect("hashable");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
    }

    #[test]
    fn the_same_password_hashes_differently_each_time() {
        assert_ne!(hash(PASSWORD).expect("hashable"), hash(PASSWORD).expect("hashable"));
    }

    #[test]
    fn a_malformed_hash_never_verifies() {
        for phc in ["", "not a hash", "$argon2id$v=19$m=19456,t=2,p=1$", "$argon2id$"] {
            assert!(!verify(PASSWORD, phc), "{phc:?}");
        }
    }

    #[test]
    fn a_hash_made_with_another_argon2_variant_is_refused() {
        let argon2i = Argon2::new(Algorithm::Argon2i, Version::V0x13, Params::default());
        let phc = argon2i.hash_password(PASSWORD.as_bytes()).expect("hashable").to_string();
        assert!(phc.starts_with("$argon2i$"), "{phc}");
        assert!(!verify(PASSWORD, &phc));
    }

    #[test]
    fn the_dummy_hash_is_a_real_argon2id_hash_with_the_same_parameters() {
        assert!(dummy_hash().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(PasswordHash::new(dummy_hash()).is_ok());
        assert!(!verify("", dummy_hash()));
        assert!(std::ptr::eq(dummy_hash(), dummy_hash()));
    }
}
