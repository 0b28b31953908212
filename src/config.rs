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

use crate::db::DatabaseUrl;

const DEFAULTS: &str = include_str!("../config/default.toml");
const LOCAL_FILE: &str = "config/local.toml";

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub log: LogSettings,
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

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    pub url: String,
    pub pool_size: u32,
    pub connect_timeout_secs: u64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    pub filter: String,
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
        if let Err(e) = self.log.filter.parse::<tracing_subscriber::EnvFilter>() {
            return invalid("log.filter", e.to_string());
        }
        Ok(())
    }

    /// The public URL, parsed (valid: checked at load).
    pub fn public_url(&self) -> Url {
        parse_public_url(&self.server.public_url)
            .unwrap_or_else(|_| Url::parse("http://127.0.0.1:8080").expect("a constant URL parses"))
    }

    pub fn is_https(&self) -> bool {
        self.public_url().scheme() == "https"
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
    fn https_public_url_is_detected() {
        let s = with("[server]\npublic_url = \"https://meet.example.org\"").expect("valid");
        assert!(s.is_https());
    }
}
