//! Typed settings, layered from `config/default.toml` (built in), an optional local file
//! and the environment, then checked once at start-up. Settings are passed in, never
//! read from a global.

use std::path::{Path, PathBuf};

use figment::{
    Figment,
    providers::{Env, Format, Toml},
};
use serde::Deserialize;
use url::Url;

use crate::{
    db::DatabaseUrl,
    domain::security_txt::{self, SecurityTxt},
};

const DEFAULTS: &str = include_str!("../config/default.toml");
const LOCAL_FILE: &str = "config/local.toml";

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub log: LogSettings,
    pub auth: AuthSettings,
    pub mail: MailSettings,
    pub registry: RegistrySettings,
    pub privacy: PrivacySettings,
    pub security_txt: SecurityTxtSettings,
    pub materials: MaterialSettings,
    pub api: ApiSettings,
    pub endorsement: EndorsementSettings,
    pub directory: DirectorySettings,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndorsementSettings {
    /// Days after which a contact who has not answered gets the one reminder; 0: none.
    pub reminder_after_days: u32,
}

/// The attendee directory of a meeting (`routes::attendees`): its page, keyring and vCard.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectorySettings {
    /// Whole months after a meeting's last day during which its approved attendees may
    /// still read its directory; then it closes (410).
    pub readable_months_after: u32,
}

/// The JSON API under `/api/v1/` (`routes::api`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiSettings {
    /// Requests one token may make in a minute (a burst of this many, refilled evenly).
    pub requests_per_minute: u32,
}

/// Files shared on a session's page (`domain::material`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaterialSettings {
    /// The largest file accepted, in bytes.
    pub max_bytes: u64,
}

/// `/.well-known/security.txt` (RFC 9116); see `domain::security_txt`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityTxtSettings {
    pub contact: Vec<String>,
    pub expires: String,
    pub encryption: String,
    pub policy: String,
    pub preferred_languages: String,
}

impl SecurityTxtSettings {
    /// The file to serve, `None` without a contact (checked at load: never an error then).
    pub fn file(&self) -> Result<Option<SecurityTxt>, security_txt::Invalid> {
        SecurityTxt::parse(&security_txt::Fields {
            contact: &self.contact,
            expires: &self.expires,
            encryption: &self.encryption,
            policy: &self.policy,
            preferred_languages: &self.preferred_languages,
        })
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacySettings {
    pub purge_answers_after_days: u32,
    pub security_log_months: u32,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistrySettings {
    pub free_mail_domains: Vec<String>,
    pub max_gap_days: i64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    pub setup_link: bool,
    pub session_idle_minutes: i64,
    pub session_absolute_hours: i64,
    pub hash_concurrency: usize,
    pub hash_wait_secs: u64,
    pub ip_failures_per_5min: u32,
    pub account_failures_before_delay: i32,
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    pub host: String,
    pub port: u16,
    pub public_url: String,
    pub shutdown_timeout_secs: u64,
    pub workers: usize,
    pub templates_dir: PathBuf,
    pub assets_dir: PathBuf,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    pub url: String,
    pub pool_size: u32,
    pub connect_timeout_secs: u64,
    pub lock_timeout_ms: u64,
    pub unhealthy_after_write_failure_secs: u64,
}

/// The URL may hold a password: its scheme and host only.
impl std::fmt::Debug for DatabaseSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseSettings")
            .field("url", &crate::domain::redact::url(&self.url))
            .field("pool_size", &self.pool_size)
            .field("connect_timeout_secs", &self.connect_timeout_secs)
            .field("lock_timeout_ms", &self.lock_timeout_ms)
            .field("unhealthy_after_write_failure_secs", &self.unhealthy_after_write_failure_secs)
            .finish()
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    pub filter: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailSettings {
    pub transport: TransportKind,
    pub file_dir: PathBuf,
    pub require_smtp: bool,
    pub from: String,
    pub reply_to: String,
    pub rate_per_minute: u32,
    pub max_attempts: i32,
    pub backoff_base_secs: u64,
    pub backoff_max_secs: u64,
    pub claim_timeout_secs: u64,
    pub poll_interval_secs: u64,
    pub batch_size: u32,
    /// An ASCII-armored OpenPGP secret key that signs encrypted announcements; empty: none,
    /// and the announce form offers no encryption. Loaded and checked at start-up
    /// (`email::openpgp::OrganizerKey::load`).
    pub openpgp_key_file: String,
    /// The name of the environment variable that holds the key's passphrase (an unset or
    /// empty variable: the key has none). The passphrase itself is never in a file.
    pub openpgp_passphrase_env: String,
    pub smtp: SmtpSettings,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum TransportKind {
    File,
    Smtp,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: String,
    pub password: String,
    pub timeout_secs: u64,
    pub pool_size: u32,
}

crate::domain::redact::debug_redacted!(SmtpSettings { host, port, security, timeout_secs, pool_size } secret: { username, password });

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    Starttls,
    Tls,
    None,
}

impl MailSettings {
    /// The sender (checked at load).
    pub fn from_mailbox(&self) -> lettre::message::Mailbox {
        self.from.parse().unwrap_or_else(|_| {
            "csirt-meet <csirt-meet@localhost>".parse().expect("a constant address parses")
        })
    }

    /// Where replies go: `reply_to`, or the sender.
    pub fn reply_to_mailbox(&self) -> lettre::message::Mailbox {
        self.reply_to.parse().unwrap_or_else(|_| self.from_mailbox())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0}")]
    Load(#[from] Box<figment::Error>),
    #[error("{key}: {problem}")]
    Invalid { key: &'static str, problem: String },
}

impl Settings {
    /// The built-in defaults only: what tests start from.
    pub fn defaults() -> Result<Self, ConfigError> {
        Self::from_figment(Figment::from(Toml::string(DEFAULTS)))
    }

    /// Defaults, then `file` (or `config/local.toml` when it exists), then the environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Toml::string(DEFAULTS));
        match file {
            Some(path) => {
                if !path.is_file() {
                    return Err(ConfigError::Invalid {
                        key: "--config",
                        problem: format!("no such file: {}", path.display()),
                    });
                }
                figment = figment.merge(Toml::file(path));
            }
            None => figment = figment.merge(Toml::file(LOCAL_FILE)),
        }
        let figment = figment
            .merge(Env::prefixed("CSIRT_MEET__").split("__"))
            .merge(Env::raw().only(&["DATABASE_URL"]).map(|_| "database.url".into()));
        Self::from_figment(figment)
    }

    fn from_figment(figment: Figment) -> Result<Self, ConfigError> {
        let settings: Settings = figment.extract().map_err(Box::new)?;
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |key, problem: String| Err(ConfigError::Invalid { key, problem });
        if self.server.host.trim().is_empty() {
            return invalid("server.host", "must not be empty".into());
        }
        if let Err(problem) = parse_public_url(&self.server.public_url) {
            return invalid("server.public_url", problem);
        }
        if let Err(e) = DatabaseUrl::parse(&self.database.url) {
            return invalid("database.url", e.to_string());
        }
        if self.database.pool_size == 0 {
            return invalid("database.pool_size", "must be at least 1".into());
        }
        if self.database.connect_timeout_secs == 0 {
            return invalid("database.connect_timeout_secs", "must be at least 1".into());
        }
        if self.database.lock_timeout_ms == 0 {
            return invalid("database.lock_timeout_ms", "must be at least 1".into());
        }
        if let Err(e) = self.log.filter.parse::<tracing_subscriber::EnvFilter>() {
            return invalid("log.filter", e.to_string());
        }
        let auth = &self.auth;
        if auth.session_idle_minutes < 1 || auth.session_absolute_hours < 1 {
            return invalid("auth.session_idle_minutes", "session timeouts must be at least 1".into());
        }
        if auth.ip_failures_per_5min == 0 || auth.account_failures_before_delay < 1 {
            return invalid("auth.ip_failures_per_5min", "failure limits must be at least 1".into());
        }
        if self.endorsement.reminder_after_days > 60 {
            return invalid("endorsement.reminder_after_days", "must be between 0 and 60".into());
        }
        if self.registry.max_gap_days < 0 {
            return invalid("registry.max_gap_days", "must be 0 or more".into());
        }
        if self.materials.max_bytes == 0 || self.materials.max_bytes > 1 << 30 {
            return invalid("materials.max_bytes", "must be between 1 byte and 1 GiB".into());
        }
        if self.directory.readable_months_after > 120 {
            return invalid("directory.readable_months_after", "must be 120 months or fewer".into());
        }
        if self.api.requests_per_minute == 0 {
            return invalid("api.requests_per_minute", "must be at least 1".into());
        }
        if let Err(e) = self.security_txt.file() {
            let key = match e.field {
                "contact" => "security_txt.contact",
                "expires" => "security_txt.expires",
                "encryption" => "security_txt.encryption",
                "policy" => "security_txt.policy",
                _ => "security_txt.preferred_languages",
            };
            return invalid(key, e.problem);
        }
        self.validate_mail()
    }

    fn validate_mail(&self) -> Result<(), ConfigError> {
        let invalid = |key, problem: String| Err(ConfigError::Invalid { key, problem });
        let mail = &self.mail;
        if mail.require_smtp && mail.transport != TransportKind::Smtp {
            return invalid("mail.transport", "must be \"smtp\" because mail.require_smtp is true".into());
        }
        // Both are also the ORGANIZER of calendar invites, which must be a deliverable
        // address (docs/CALENDAR.md I4, I8): checked here, not when the first approval
        // needs it.
        let deliverable = |raw: &str| -> Result<lettre::message::Mailbox, String> {
            let mailbox = raw.parse::<lettre::message::Mailbox>().map_err(|e| e.to_string())?;
            crate::domain::email::Email::parse(mailbox.email.as_ref()).map_err(|e| e.to_string())?;
            Ok(mailbox)
        };
        let from = match deliverable(&mail.from) {
            Ok(from) => from,
            Err(e) => {
                return invalid(
                    "mail.from",
                    format!("not a deliverable email address ({e}): {:?}", mail.from),
                );
            }
        };
        if !mail.reply_to.is_empty() {
            match deliverable(&mail.reply_to) {
                Err(e) => {
                    return invalid(
                        "mail.reply_to",
                        format!("not a deliverable email address ({e}): {:?}", mail.reply_to),
                    );
                }
                Ok(r) if r.email.domain() != from.email.domain() => {
                    return invalid(
                        "mail.reply_to",
                        "must be on the domain of mail.from (docs/CALENDAR.md I8)".into(),
                    );
                }
                Ok(_) => {}
            }
        }
        if mail.max_attempts < 1 {
            return invalid("mail.max_attempts", "must be at least 1".into());
        }
        if mail.batch_size == 0 || mail.smtp.pool_size == 0 {
            return invalid("mail.batch_size", "batch_size and smtp.pool_size must be at least 1".into());
        }
        if mail.backoff_base_secs == 0 || mail.backoff_max_secs < mail.backoff_base_secs {
            return invalid(
                "mail.backoff_base_secs",
                "must be at least 1 and at most backoff_max_secs".into(),
            );
        }
        if mail.transport == TransportKind::Smtp && mail.smtp.host.trim().is_empty() {
            return invalid("mail.smtp.host", "must not be empty when mail.transport is \"smtp\"".into());
        }
        Ok(())
    }

    /// The public URL, parsed (valid: checked at load).
    pub fn public_url(&self) -> Url {
        parse_public_url(&self.server.public_url)
            .unwrap_or_else(|_| Url::parse("http://127.0.0.1:8080").expect("a constant URL parses"))
    }

    /// Read on every answer (HSTS): the scheme from the text, without parsing the URL, which
    /// `validate` has checked at start-up (a URL parser lowercases the scheme and trims
    /// leading spaces; so does this).
    pub fn is_https(&self) -> bool {
        let url = self.server.public_url.trim_start().as_bytes();
        url.get(..8).is_some_and(|scheme| scheme.eq_ignore_ascii_case(b"https://"))
    }

    /// `scheme://host[:port]` of the public URL, as browsers send it in `Origin`.
    pub fn public_origin(&self) -> String {
        self.public_url().origin().ascii_serialization()
    }

    /// The public URL of a path such as `/setup/abc`.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.public_origin())
    }
}

fn parse_public_url(raw: &str) -> Result<Url, String> {
    let url = Url::parse(raw).map_err(|e| format!("not a URL ({e}): {raw:?}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("must start with http:// or https://, got {raw:?}"));
    }
    if url.path() != "/" || url.query().is_some() {
        return Err(format!("must be an origin without a path, got {raw:?}"));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(toml: &str) -> Result<Settings, ConfigError> {
        Settings::from_figment(Figment::from(Toml::string(DEFAULTS)).merge(Toml::string(toml)))
    }

    #[test]
    fn debug_output_redacts_the_smtp_credentials_and_the_database_password() {
        let mut s = Settings::defaults().expect("defaults load");
        s.database.url = "postgres://app:CANARY-DB@db.example.org:5432/CANARY-NAME".into();
        s.mail.smtp.username = "CANARY-USER".into();
        s.mail.smtp.password = "CANARY-SMTP".into();
        let printed = format!("{s:?} {:#?}", s.database);
        assert!(!printed.contains("CANARY"), "{printed}");
        assert!(printed.contains("postgres://db.example.org:5432/[redacted]"), "scheme and host stay");
        assert!(printed.contains("password: [redacted]") && printed.contains("host: "));
    }

    #[test]
    fn the_built_in_defaults_are_valid() {
        let s = Settings::defaults().expect("defaults load");
        assert_eq!(s.server.port, 8080);
        assert_eq!(s.database.url, "sqlite://var/csirt-meet.db");
        assert!(!s.is_https());
    }

    #[test]
    fn a_wrongly_typed_value_names_its_key() {
        let err = with("[server]\nport = \"eighty\"").expect_err("refused").to_string();
        assert!(err.contains("server.port"), "{err}");
    }

    #[test]
    fn an_unknown_key_is_refused() {
        let err = with("[server]\nprot = 1").expect_err("refused").to_string();
        assert!(err.contains("prot"), "{err}");
    }

    #[test]
    fn a_public_url_with_a_path_is_refused() {
        let err =
            with("[server]\npublic_url = \"https://meet.example.org/app\"").expect_err("refused").to_string();
        assert!(err.starts_with("server.public_url:"), "{err}");
    }

    #[test]
    fn an_unknown_database_scheme_is_refused() {
        let err = with("[database]\nurl = \"mysql://localhost/x\"").expect_err("refused").to_string();
        assert!(err.starts_with("database.url:"), "{err}");
    }

    #[test]
    fn require_smtp_refuses_the_file_transport() {
        let err = with("[mail]\nrequire_smtp = true").expect_err("refused").to_string();
        assert!(err.starts_with("mail.transport:"), "{err}");
        with("[mail]\nrequire_smtp = true\ntransport = \"smtp\"").expect("smtp is accepted");
    }

    #[test]
    fn a_bad_sender_address_is_refused() {
        let err = with("[mail]\nfrom = \"not an address\"").expect_err("refused").to_string();
        assert!(err.starts_with("mail.from:"), "{err}");
        let err = with("[mail]\nfrom = \"x@localhost\"").expect_err("refused").to_string();
        assert!(err.starts_with("mail.from:"), "an undeliverable organizer of invites: {err}");
    }

    #[test]
    fn replies_go_to_the_senders_domain() {
        let err = with("[mail]\nfrom = \"a@cert.example\"\nreply_to = \"b@other.example\"")
            .expect_err("refused")
            .to_string();
        assert!(err.starts_with("mail.reply_to:"), "{err}");
        with("[mail]\nfrom = \"a@cert.example\"\nreply_to = \"Desk <b@cert.example>\"").expect("same domain");
    }

    #[test]
    fn a_negative_meeting_gap_is_refused() {
        let err = with("[registry]\nmax_gap_days = -1").expect_err("refused").to_string();
        assert!(err.starts_with("registry.max_gap_days:"), "{err}");
    }

    #[test]
    fn answers_are_purged_thirty_days_after_a_meeting_by_default() {
        let s = Settings::defaults().expect("defaults load");
        assert_eq!(s.privacy.purge_answers_after_days, 30);
        let err = with("[privacy]\npurge_answers_after_days = -1").expect_err("refused").to_string();
        assert!(err.contains("purge_answers_after_days"), "{err}");
    }

    #[test]
    fn the_default_free_mail_list_is_the_built_in_one() {
        let s = Settings::defaults().expect("defaults load");
        assert_eq!(s.registry.free_mail_domains, crate::domain::team_domain::default_free_mail());
    }

    #[test]
    fn security_txt_is_off_by_default_and_a_contact_needs_a_valid_expiry() {
        let s = Settings::defaults().expect("defaults load");
        assert_eq!(s.security_txt.file(), Ok(None));
        let err = with("[security_txt]\ncontact = [\"mailto:security@cert.example\"]")
            .expect_err("refused")
            .to_string();
        assert!(err.starts_with("security_txt.expires:"), "{err}");
        let s = with("[security_txt]\ncontact = [\"mailto:security@cert.example\"]\nexpires = \"2027-06-30T00:00:00Z\"")
            .expect("valid");
        assert!(s.security_txt.file().expect("valid").is_some());
    }

    #[test]
    fn https_public_url_is_detected() {
        let s = with("[server]\npublic_url = \"https://meet.example.org\"").expect("valid");
        assert!(s.is_https());
        // As a URL parser reads the scheme: any case, after leading spaces.
        let s = with("[server]\npublic_url = \" HTTPS://meet.example.org\"").expect("valid");
        assert!(s.is_https());
        for plain in ["http://meet.example.org", "http://https.example.org"] {
            let s = with(&format!("[server]\npublic_url = \"{plain}\"")).expect("valid");
            assert!(!s.is_https(), "{plain}");
        }
    }
}
