//! Email addresses as the system keys accounts by: trimmed, lowercased, and checked well
//! enough that every stored address is one the mailer can send to.

use std::{fmt, str::FromStr};

use lettre::address::AddressError;
use serde::Serialize;

/// The SMTP limit for a forward path (RFC 5321 §4.5.3.1.3), in bytes.
pub const MAX_LEN: usize = 254;

/// A normalized email address. Serializes as a plain string.
///
/// Lowercasing the local part is not strictly what RFC 5321 allows, but no mail system our
/// users rely on treats `Name@` and `name@` as different people, and one account per
/// address matters more here than that corner of the standard.
#[derive(Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Email(String);

/// Why an address was refused, worded for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("Enter an email address, like name@cert.example.")]
    Empty,
    #[error("An email address can be at most 254 characters long.")]
    TooLong,
    #[error("Remove the spaces from the email address.")]
    ContainsWhitespace,
    #[error("Remove the invisible characters from the email address.")]
    ContainsControlCharacter,
    #[error("An email address needs an @, like name@cert.example.")]
    MissingAt,
    #[error("An email address has only one @.")]
    SeveralAts,
    #[error("Put the name before the @, like name@cert.example.")]
    MissingLocalPart,
    #[error("The part after the @ needs a full domain name, like cert.example.")]
    IncompleteDomain,
    #[error("This is not an address we can send mail to. Check it for typos.")]
    Undeliverable(#[source] AddressError),
}

impl Email {
    /// Trims and lowercases `raw`, then checks it.
    pub fn parse(raw: &str) -> Result<Email, EmailError> {
        // Lowercase first: a few characters grow when lowercased, so the checks must see
        // exactly what will be stored.
        let normalized = raw.trim().to_lowercase();
        if normalized.is_empty() {
            return Err(EmailError::Empty);
        }
        if normalized.len() > MAX_LEN {
            return Err(EmailError::TooLong);
        }
        if normalized.chars().any(char::is_whitespace) {
            return Err(EmailError::ContainsWhitespace);
        }
        // Format characters (zero-width spaces, bidi overrides) count too: they make two
        // addresses that look identical on screen differ in the database.
        if normalized.chars().any(is_invisible) {
            return Err(EmailError::ContainsControlCharacter);
        }
        let (local, domain) = normalized.split_once('@').ok_or(EmailError::MissingAt)?;
        if domain.contains('@') {
            return Err(EmailError::SeveralAts);
        }
        if local.is_empty() {
            return Err(EmailError::MissingLocalPart);
        }
        if !domain.contains('.') || domain.split('.').any(str::is_empty) {
            return Err(EmailError::IncompleteDomain);
        }
        // lettre has the last word: an address it refuses would only fail later, at send time.
        lettre::Address::from_str(&normalized).map_err(EmailError::Undeliverable)?;
        Ok(Email(normalized))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after the `@`, e.g. to match an address against a team's domains.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or(self.0.as_str(), |(_, domain)| domain)
    }
}

fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{00AD}')
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Shows only the domain: logs must never carry a full address, and `{:?}` is how values
/// usually reach them.
impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Email(\"…@{}\")", self.domain())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_trimmed_and_lowercased() {
        let email = Email::parse("  Alice.Doe@CERT.Example \n").expect("valid address");
        assert_eq!(email.as_str(), "alice.doe@cert.example");
        assert_eq!(email.to_string(), "alice.doe@cert.example");
    }

    #[test]
    fn the_domain_is_the_part_after_the_at() {
        let email = Email::parse("soc+oncall@csirt.gov.example").expect("valid address");
        assert_eq!(email.domain(), "csirt.gov.example");
    }

    #[test]
    fn an_empty_address_is_refused() {
        assert_eq!(Email::parse(""), Err(EmailError::Empty));
        assert_eq!(Email::parse("   "), Err(EmailError::Empty));
    }

    #[test]
    fn an_address_without_an_at_is_refused() {
        assert_eq!(Email::parse("cert.example"), Err(EmailError::MissingAt));
    }

    #[test]
    fn an_address_with_two_ats_is_refused() {
        assert_eq!(Email::parse("a@b@cert.example"), Err(EmailError::SeveralAts));
    }

    #[test]
    fn an_address_without_a_local_part_is_refused() {
        assert_eq!(Email::parse("@cert.example"), Err(EmailError::MissingLocalPart));
    }

    #[test]
    fn a_domain_without_a_dot_is_refused() {
        assert_eq!(Email::parse("root@localhost"), Err(EmailError::IncompleteDomain));
        assert_eq!(Email::parse("name@"), Err(EmailError::IncompleteDomain));
    }

    #[test]
    fn a_domain_with_an_empty_label_is_refused() {
        for raw in ["a@.example", "a@cert.", "a@cert..example"] {
            assert_eq!(Email::parse(raw), Err(EmailError::IncompleteDomain), "{raw}");
        }
    }

    #[test]
    fn spaces_inside_an_address_are_refused() {
        assert_eq!(Email::parse("alice doe@cert.example"), Err(EmailError::ContainsWhitespace));
        assert_eq!(Email::parse("alice@cert\t.example"), Err(EmailError::ContainsWhitespace));
    }

    #[test]
    fn control_and_invisible_characters_are_refused() {
        for raw in ["al\u{0}ice@cert.example", "al\u{200B}ice@cert.example"] {
            assert_eq!(Email::parse(raw), Err(EmailError::ContainsControlCharacter), "{raw:?}");
        }
    }

    #[test]
    fn an_address_of_254_characters_is_accepted_and_one_more_is_refused() {
        // Labels over 63 characters and local parts over 64 are refused for other
        // reasons, so the length comes from many short labels.
        let domain = format!("{}.example", ["label"; 40].join("."));
        let longest = format!("abcdef@{domain}");
        assert_eq!(longest.len(), MAX_LEN);
        assert!(Email::parse(&longest).is_ok());
        assert_eq!(Email::parse(&format!("abcdefg@{domain}")), Err(EmailError::TooLong));
    }

    #[test]
    fn an_address_the_mailer_cannot_use_is_refused() {
        assert!(matches!(Email::parse("a@-cert.example"), Err(EmailError::Undeliverable(_))));
        for raw in ["a..b@cert.example", "a@cert!.example", "(a)@cert.example"] {
            assert!(matches!(Email::parse(raw), Err(EmailError::Undeliverable(_))), "{raw}");
        }
    }

    #[test]
    fn it_serializes_as_a_plain_string() {
        let email = Email::parse("alice@cert.example").expect("valid address");
        assert_eq!(serde_json::to_string(&email).expect("serializable"), "\"alice@cert.example\"");
    }

    #[test]
    fn debug_output_hides_the_local_part() {
        let email = Email::parse("alice@cert.example").expect("valid address");
        assert_eq!(format!("{email:?}"), "Email(\"…@cert.example\")");
    }
}
