//! What a new password must satisfy: length (NIST SP 800-63B style, no composition rules),
//! not a well-known weak password, and not built from the account's own email address.
//!
//! The list in `assets/common-passwords.txt` was written by hand from commonly published
//! weak-password patterns; it only holds entries long enough to pass the length rule,
//! since shorter ones are refused anyway.

use std::{collections::HashSet, fmt, sync::LazyLock};

/// Shortest accepted password, in characters.
pub const MIN_CHARS: usize = 12;
/// Longest accepted password, in characters: generous for passphrases and password
/// managers, small enough that hashing it is not a denial-of-service lever.
pub const MAX_CHARS: usize = 1024;

/// The shortest local part we look for inside a password: shorter ones ("bob", "it")
/// would refuse innocent passwords by coincidence.
const MIN_LOCAL_PART_CHARS: usize = 4;

static COMMON_PASSWORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../assets/common-passwords.txt")
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect()
});

/// A password that passed the policy, kept exactly as typed (never trimmed or truncated,
/// so what the user types at login is what was hashed).
pub struct NewPassword(String);

/// Why a new password was refused, worded for the person choosing it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("Use at least {} characters.", MIN_CHARS)]
    TooShort,
    #[error("Use at most {} characters.", MAX_CHARS)]
    TooLong,
    #[error("This password is on a list of common passwords. Choose another one.")]
    Common,
    #[error("Do not use your email address in your password.")]
    ContainsEmail,
    #[error("Use only characters you can see and spaces: no line breaks, tabs or control characters.")]
    ControlCharacter,
}

impl NewPassword {
    /// Checks `raw` against the policy. `email` is the account's address, when known.
    pub fn parse(raw: &str, email: Option<&str>) -> Result<NewPassword, PasswordError> {
        // Refused first: nothing that holds one may reach a hash, a log or a database.
        if crate::domain::text::secret(raw).is_err() {
            return Err(PasswordError::ControlCharacter);
        }
        let chars = raw.chars().count();
        if chars < MIN_CHARS {
            return Err(PasswordError::TooShort);
        }
        if chars > MAX_CHARS {
            return Err(PasswordError::TooLong);
        }
        let lowered = raw.to_lowercase();
        if is_common(&lowered) {
            return Err(PasswordError::Common);
        }
        if let Some(local) = email.map(local_part)
            && local.chars().count() >= MIN_LOCAL_PART_CHARS
            && lowered.contains(&local.to_lowercase())
        {
            return Err(PasswordError::ContainsEmail);
        }
        Ok(NewPassword(raw.to_owned()))
    }

    /// The password itself, for hashing. Nothing else should need it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

fn is_common(lowered: &str) -> bool {
    COMMON_PASSWORDS.contains(lowered) || COMMON_PASSWORDS.contains(lowered.trim())
}

/// The part before the last `@`; the whole input if there is none, so that a malformed
/// address still counts against the password rather than being ignored.
fn local_part(email: &str) -> &str {
    email.rsplit_once('@').map_or(email, |(local, _)| local)
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "velvet-harbour-71-quiet";

    #[test]
    fn a_long_uncommon_password_is_accepted_as_typed() {
        let password = NewPassword::parse(" Velvet harbour 71 ", None).expect("acceptable");
        assert_eq!(password.expose(), " Velvet harbour 71 ");
    }

    #[test]
    fn a_password_holding_a_control_character_is_refused() {
        for raw in ["violet-harbour\0-lantern", "violet-harbour\n-lantern", "violet\u{1b}harbour-lantern"] {
            assert_eq!(NewPassword::parse(raw, None).err(), Some(PasswordError::ControlCharacter), "{raw:?}");
        }
    }

    #[test]
    fn a_password_of_eleven_characters_is_refused() {
        assert_eq!(NewPassword::parse("velvet-harb", None).err(), Some(PasswordError::TooShort));
    }

    #[test]
    fn length_is_counted_in_characters_not_bytes() {
        // Eleven characters, but 22 bytes in UTF-8.
        assert_eq!(NewPassword::parse("ééééééééééé", None).err(), Some(PasswordError::TooShort));
        assert!(NewPassword::parse(&"é".repeat(MAX_CHARS), None).is_ok());
    }

    #[test]
    fn a_password_of_exactly_twelve_characters_is_accepted() {
        assert!(NewPassword::parse("tqv8-mzr4-kx", None).is_ok());
    }

    #[test]
    fn a_password_over_the_maximum_is_refused_not_truncated() {
        assert!(NewPassword::parse(&"x7".repeat(MAX_CHARS / 2), None).is_ok());
        assert_eq!(NewPassword::parse(&"x".repeat(MAX_CHARS + 1), None).err(), Some(PasswordError::TooLong));
    }

    #[test]
    fn a_common_password_is_refused_whatever_its_case() {
        for raw in ["password1234", "Password1234", "CorrectHorseBatteryStaple"] {
            assert_eq!(NewPassword::parse(raw, None).err(), Some(PasswordError::Common), "{raw}");
        }
    }

    #[test]
    fn a_common_password_is_refused_even_with_surrounding_spaces() {
        assert_eq!(NewPassword::parse("  1qaz2wsx3edc  ", None).err(), Some(PasswordError::Common));
    }

    #[test]
    fn a_password_containing_the_email_local_part_is_refused() {
        assert_eq!(
            NewPassword::parse("my-Alice.Doe-secret-9", Some("alice.doe@cert.example")).err(),
            Some(PasswordError::ContainsEmail)
        );
    }

    #[test]
    fn a_short_local_part_does_not_restrict_the_password() {
        assert!(NewPassword::parse("bobsled-velvet-harbour", Some("bob@cert.example")).is_ok());
    }

    #[test]
    fn a_password_unrelated_to_the_email_is_accepted() {
        assert!(NewPassword::parse(GOOD, Some("alice.doe@cert.example")).is_ok());
    }

    #[test]
    fn debug_output_does_not_reveal_the_password() {
        let password = NewPassword::parse(GOOD, None).expect("acceptable");
        assert_eq!(format!("{password:?}"), "NewPassword(…)");
    }

    #[test]
    fn the_common_list_is_long_lowercase_and_only_holds_passwords_the_length_rule_allows() {
        let raw = include_str!("../../assets/common-passwords.txt");
        let lines: Vec<&str> = raw.lines().filter(|line| !line.is_empty()).collect();
        assert!(lines.len() >= 150, "only {} entries", lines.len());
        assert_eq!(COMMON_PASSWORDS.len(), lines.len(), "duplicate entries");
        for line in lines {
            assert_eq!(line, line.trim(), "{line:?} has surrounding spaces");
            assert_eq!(line, line.to_lowercase(), "{line:?} is not lowercase");
            let chars = line.chars().count();
            assert!((MIN_CHARS..=MAX_CHARS).contains(&chars), "{line:?} is never reachable");
        }
    }
}
