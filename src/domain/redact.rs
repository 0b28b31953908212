//! `Debug` output for structs that hold secrets: SMTP credentials, the database URL,
//! password hashes, TOTP secrets, tokens and their hashes, CSRF tokens, and mail bodies that
//! carry links with tokens. A `{:?}` reaches logs, panic messages and error chains; the
//! structs that hold such a value write their `Debug` by hand with these helpers, so the
//! value prints as `[redacted]` and the rest of the struct stays readable.

use std::fmt;

/// What a secret prints as.
pub const REDACTED: &str = "[redacted]";

/// A secret field's stand-in: `field("password_hash", &Redacted)` prints `[redacted]`.
#[derive(Clone, Copy)]
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// A hand `Debug` for a struct with secret fields: the fields listed first print as they
/// are, those after `secret:` as `[redacted]`, and a field listed in neither not at all (a
/// new field stays out of logs until someone decides which list it belongs to).
///
/// ```ignore
/// debug_redacted!(User { id, email } secret: { password_hash, totp_secret });
/// ```
macro_rules! debug_redacted {
    ($ty:ident $(<$lt:lifetime>)? { $($field:ident),* $(,)? } secret: { $($secret:ident),* $(,)? }) => {
        impl $(<$lt>)? ::std::fmt::Debug for $ty $(<$lt>)? {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($ty))
                    $(.field(stringify!($field), &self.$field))*
                    $(.field(stringify!($secret), &$crate::domain::redact::Redacted))*
                    .finish_non_exhaustive()
            }
        }
    };
}
pub(crate) use debug_redacted;

/// A URL that may carry a password (`postgres://user:password@host:5432/db?…`) as its
/// scheme and host only: `postgres://host:5432/[redacted]`. Without `://` (a SQLite file
/// path) the value is a path, which holds no credentials, and is shown as it is.
pub fn url(raw: &str) -> String {
    let Some((scheme, rest)) = raw.split_once("://") else { return raw.to_owned() };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    // The user information ends at the last `@` of the authority; a password may hold `@`s
    // only percent-encoded, but a careless one must not show either.
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let tail = if rest.len() > authority.len() || authority.contains('@') { "/[redacted]" } else { "" };
    format!("{scheme}://{host}{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Login<'a> {
        name: &'a str,
        password: String,
        unlisted: u8,
    }
    debug_redacted!(Login<'a> { name } secret: { password });

    #[test]
    fn a_secret_field_prints_as_redacted_and_the_others_as_they_are() {
        assert_eq!(format!("{Redacted:?}"), "[redacted]");
        let login = Login { name: "jane", password: "CANARY".into(), unlisted: 7 };
        assert_eq!(format!("{login:?}"), r#"Login { name: "jane", password: [redacted], .. }"#);
        assert_eq!((login.password.len(), login.unlisted), (6, 7));
    }

    #[test]
    fn a_url_keeps_its_scheme_and_host_only() {
        assert_eq!(
            url("postgres://app:CANARY@db.example.org:5432/meet"),
            "postgres://db.example.org:5432/[redacted]"
        );
        assert_eq!(url("postgresql://app:p@ss@db/meet?sslmode=require"), "postgresql://db/[redacted]");
        assert_eq!(url("postgres://user:CANARY@db"), "postgres://db/[redacted]");
        assert_eq!(url("postgres://db.example.org"), "postgres://db.example.org");
        assert_eq!(url("var/csirt-meet.db"), "var/csirt-meet.db");
        for raw in ["postgres://u:CANARY@h/d", "postgres://h/d?password=CANARY", "sqlite://x?key=CANARY"] {
            assert!(!url(raw).contains("CANARY"), "{raw}");
        }
    }
}
