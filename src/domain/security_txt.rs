//! RFC 9116 `security.txt`: where to report a vulnerability in this installation. The
//! fields are parsed once from configuration (a bad value stops start-up) and written out
//! line by line, so no configured value can add a field of its own.

use chrono::{DateTime, Utc};
use url::Url;

/// A valid file: at least one contact and an expiry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityTxt {
    contact: Vec<Url>,
    expires: DateTime<Utc>,
    encryption: Option<Url>,
    policy: Option<Url>,
    preferred_languages: Vec<String>,
}

/// The configured fields, as written in the settings.
pub struct Fields<'a> {
    pub contact: &'a [String],
    pub expires: &'a str,
    pub encryption: &'a str,
    pub policy: &'a str,
    pub preferred_languages: &'a str,
}

/// Which field is wrong, and how to write it instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct Invalid {
    pub field: &'static str,
    pub problem: String,
}

fn invalid<T>(field: &'static str, problem: String) -> Result<T, Invalid> {
    Err(Invalid { field, problem })
}

/// A URI of one of `schemes`, without control characters (they could end the line).
fn uri(field: &'static str, raw: &str, schemes: &[&str]) -> Result<Url, Invalid> {
    if raw.chars().any(char::is_control) {
        return invalid(field, format!("{raw:?} holds a control character"));
    }
    match Url::parse(raw.trim()) {
        Ok(u) if schemes.contains(&u.scheme()) => Ok(u),
        Ok(_) | Err(_) => {
            invalid(field, format!("{raw:?} is not a URI starting with {}:", schemes.join(":, ")))
        }
    }
}

fn optional_https(field: &'static str, raw: &str) -> Result<Option<Url>, Invalid> {
    if raw.trim().is_empty() { Ok(None) } else { uri(field, raw, &["https"]).map(Some) }
}

impl SecurityTxt {
    /// The file the fields describe; `None` when no contact is given (RFC 9116 makes
    /// Contact required, so there is no file to serve).
    pub fn parse(f: &Fields<'_>) -> Result<Option<SecurityTxt>, Invalid> {
        if f.contact.is_empty() {
            return Ok(None);
        }
        // Web contacts must be https (RFC 9116 §2.5.3); mail and telephone are URIs too.
        let contact = f
            .contact
            .iter()
            .map(|c| uri("contact", c, &["mailto", "https", "tel"]))
            .collect::<Result<_, _>>()?;
        let expires = match DateTime::parse_from_rfc3339(f.expires.trim()) {
            Ok(at) => at.with_timezone(&Utc),
            Err(_) => {
                return invalid(
                    "expires",
                    format!("{:?} is not an RFC 3339 date and time such as 2027-06-30T00:00:00Z", f.expires),
                );
            }
        };
        let mut preferred_languages = Vec::new();
        for tag in f.preferred_languages.split(',').map(str::trim).filter(|t| !t.is_empty()) {
            if tag.len() > 35 || !tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                return invalid(
                    "preferred_languages",
                    format!("{tag:?} is not a language tag such as en or de-AT"),
                );
            }
            preferred_languages.push(tag.to_owned());
        }
        Ok(Some(SecurityTxt {
            contact,
            expires,
            encryption: optional_https("encryption", f.encryption)?,
            policy: optional_https("policy", f.policy)?,
            preferred_languages,
        }))
    }

    /// Whether the file has passed its expiry at `now` (readers then treat it as stale).
    pub fn expired(&self, now: DateTime<Utc>) -> bool {
        self.expires <= now
    }

    /// The file's text; `canonical` is the address it is served at.
    pub fn render(&self, canonical: &str) -> String {
        let mut out = String::from("# Where to report a vulnerability in this installation (RFC 9116).\n");
        for c in &self.contact {
            out.push_str(&format!("Contact: {c}\n"));
        }
        out.push_str(&format!("Expires: {}\n", self.expires.format("%Y-%m-%dT%H:%M:%SZ")));
        if let Some(e) = &self.encryption {
            out.push_str(&format!("Encryption: {e}\n"));
        }
        if let Some(p) = &self.policy {
            out.push_str(&format!("Policy: {p}\n"));
        }
        if !self.preferred_languages.is_empty() {
            out.push_str(&format!("Preferred-Languages: {}\n", self.preferred_languages.join(", ")));
        }
        out.push_str(&format!("Canonical: {canonical}\n"));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields<'a>(contact: &'a [String], expires: &'a str) -> Fields<'a> {
        Fields { contact, expires, encryption: "", policy: "", preferred_languages: "en" }
    }

    #[test]
    fn no_contact_means_no_file() {
        assert_eq!(SecurityTxt::parse(&fields(&[], "")), Ok(None));
    }

    #[test]
    fn the_file_lists_each_contact_the_expiry_and_the_optional_fields() {
        let contact = ["mailto:security@cert.example".to_owned(), "https://cert.example/report".to_owned()];
        let f = Fields {
            encryption: "https://cert.example/pgp.asc",
            policy: "https://cert.example/disclosure",
            preferred_languages: "en, de-AT",
            ..fields(&contact, "2027-06-30T12:00:00+02:00")
        };
        let txt = SecurityTxt::parse(&f).expect("valid").expect("a file");
        assert_eq!(
            txt.render("https://meet.example.org/.well-known/security.txt"),
            "# Where to report a vulnerability in this installation (RFC 9116).\n\
             Contact: mailto:security@cert.example\n\
             Contact: https://cert.example/report\n\
             Expires: 2027-06-30T10:00:00Z\n\
             Encryption: https://cert.example/pgp.asc\n\
             Policy: https://cert.example/disclosure\n\
             Preferred-Languages: en, de-AT\n\
             Canonical: https://meet.example.org/.well-known/security.txt\n"
        );
        assert!(!txt.expired("2027-06-30T09:59:59Z".parse().expect("time")));
        assert!(txt.expired("2027-06-30T10:00:00Z".parse().expect("time")));
    }

    #[test]
    fn bad_values_are_refused_with_the_field_they_are_in() {
        let field_of = |contact: &str, expires: &str, policy: &str, languages: &str| {
            let contact = [contact.to_owned()];
            let f = Fields { policy, preferred_languages: languages, ..fields(&contact, expires) };
            SecurityTxt::parse(&f).expect_err("refused").field
        };
        let ok = "2027-01-01T00:00:00Z";
        assert_eq!(field_of("security@cert.example", ok, "", ""), "contact", "an address is not a URI");
        assert_eq!(field_of("http://cert.example/report", ok, "", ""), "contact", "web contacts are https");
        assert_eq!(field_of("mailto:a@cert.example\nPolicy: x", ok, "", ""), "contact");
        assert_eq!(field_of("mailto:a@cert.example", "", "", ""), "expires", "a contact needs an expiry");
        assert_eq!(field_of("mailto:a@cert.example", "2027-01-01", "", ""), "expires");
        assert_eq!(field_of("mailto:a@cert.example", ok, "http://cert.example/p", ""), "policy");
        assert_eq!(field_of("mailto:a@cert.example", ok, "", "en; de"), "preferred_languages");
    }
}
