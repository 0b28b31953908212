//! One-time secrets (setup and reset links, session ids, feed tokens): generated from the
//! OS random number generator, handed to the user once, and stored only as a SHA-256 hash.

use std::fmt;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Bytes of randomness in a token: 256 bits, far beyond guessing even at line rate.
const TOKEN_BYTES: usize = 32;

/// A freshly generated secret, 64 lowercase hex characters.
///
/// There is no `Display` and `Debug` prints `Token(…)`, so the value cannot slip into a
/// log line or an error message; reaching it takes an explicit [`Token::as_str`].
#[derive(Clone)]
pub struct Token(String);

impl Token {
    /// Draws a new token from the operating system's random number generator.
    ///
    /// # Panics
    ///
    /// If the operating system cannot provide randomness, which on the platforms we run on
    /// only happens when something is badly broken; carrying on with a weaker source would
    /// hand out guessable links and sessions.
    pub fn generate() -> Self {
        let mut bytes = [0_u8; TOKEN_BYTES];
        fill_random(&mut bytes);
        Token(hex::encode(bytes))
    }

    /// The raw value, to put in a link or a cookie. Never store or log it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The value to store: see [`hash_token`].
    pub fn hash(&self) -> String {
        hash_token(&self.0)
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(…)")
    }
}

/// SHA-256 of a raw token, lowercase hex: the only form a token is ever stored in.
///
/// A fast hash is enough because tokens carry 256 bits of randomness: unlike passwords,
/// there is nothing to brute-force, and a database leak still does not reveal live links.
pub fn hash_token(raw: &str) -> String {
    hex::encode(Sha256::digest(raw.as_bytes()))
}

/// Compares two secrets without leaking through timing how many leading bytes match.
///
/// Only the lengths may leak, which for hashes and tokens of a fixed size is no secret.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

/// Fills `bytes` from the OS random number generator, for every secret in `domain`.
pub(crate) fn fill_random(bytes: &mut [u8]) {
    // The public constructors promise a value, not a Result: an OS without working
    // randomness cannot safely issue any secret, so stopping is the only sound answer.
    getrandom::fill(bytes).expect("the operating system's random number generator failed");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_64_lowercase_hex_characters() {
        let token = Token::generate();
        assert_eq!(token.as_str().len(), 64);
        assert!(token.as_str().chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)));
    }

    #[test]
    fn two_tokens_are_different() {
        assert_ne!(Token::generate().as_str(), Token::generate().as_str());
    }

    #[test]
    fn debug_output_does_not_reveal_the_token() {
        let token = Token::generate();
        let printed = format!("{token:?}");
        assert_eq!(printed, "Token(…)");
        assert!(!printed.contains(token.as_str()));
    }

    #[test]
    fn the_hash_is_sha256_in_lowercase_hex() {
        assert_eq!(hash_token("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn a_token_hashes_like_its_raw_value() {
        let token = Token::generate();
        assert_eq!(token.hash(), hash_token(token.as_str()));
        assert_ne!(token.hash(), token.as_str());
    }

    #[test]
    fn constant_time_eq_tells_equal_from_different_strings() {
        assert!(constant_time_eq("same", "same"));
        assert!(constant_time_eq("", ""));
        assert!(!constant_time_eq("same", "sane"));
        assert!(!constant_time_eq("same", "same-but-longer"));
    }
}
