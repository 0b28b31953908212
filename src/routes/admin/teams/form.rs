//! The team form: what an organizer typed, and its parsing into [`TeamFields`] with a
//! message next to each field that needs correcting.

use serde::{Deserialize, Serialize};

use crate::{
    domain::{
        team_domain::{self, TeamDomain},
        team_import::is_country_code,
    },
    models::team::{Team, TeamFields},
};

const MAX_NAME: usize = 200;
const MAX_SHORT_NAME: usize = 50;

/// The form as typed, kept to show it again with the messages.
#[derive(Deserialize, Serialize, Default, Debug, Clone)]
pub struct TeamForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub short_name: String,
    #[serde(default)]
    pub country_code: String,
    #[serde(default)]
    pub website: String,
    /// Separated by spaces, commas, semicolons or line breaks.
    #[serde(default)]
    pub domains: String,
    #[serde(default)]
    pub cap: String,
}

/// One message per field (several for the domains), shown next to the field.
#[derive(Serialize, Default, Debug)]
pub struct FieldErrors {
    pub name: Option<String>,
    pub short_name: Option<String>,
    pub country_code: Option<String>,
    pub website: Option<String>,
    pub domains: Vec<String>,
    pub cap: Option<String>,
}

impl FieldErrors {
    pub fn is_empty(&self) -> bool {
        self.summary().is_empty()
    }

    /// (field id, message) in the order of the form, for the summary at its top.
    pub fn summary(&self) -> Vec<(&'static str, String)> {
        let mut all: Vec<(&'static str, String)> = [
            ("name", &self.name),
            ("short_name", &self.short_name),
            ("country_code", &self.country_code),
            ("website", &self.website),
        ]
        .into_iter()
        .filter_map(|(id, message)| message.clone().map(|m| (id, m)))
        .collect();
        all.extend(self.domains.iter().map(|m| ("domains", m.clone())));
        all.extend(self.cap.clone().map(|m| ("cap", m)));
        all
    }
}

impl TeamForm {
    /// The form of a registered team.
    pub fn of(team: &Team, domains: &[String]) -> Self {
        TeamForm {
            name: team.name.clone(),
            short_name: team.short_name.clone(),
            country_code: team.country_code.clone(),
            website: team.website.clone(),
            domains: domains.join("\n"),
            cap: team.cap_override.map(|c| c.to_string()).unwrap_or_default(),
        }
    }

    /// The fields to store, or every problem found.
    pub fn parse(&self, free_mail: &[String]) -> Result<TeamFields, Box<FieldErrors>> {
        let mut errors = FieldErrors::default();
        let name = required(&self.name, MAX_NAME, "the team's full name", &mut errors.name);
        let short_name = required(
            &self.short_name,
            MAX_SHORT_NAME,
            "the short name, like CERT.at",
            &mut errors.short_name,
        );
        let country_code = self.country_code.trim().to_ascii_uppercase();
        if country_code.is_empty() {
            errors.country_code = Some("Enter the country code, like AT.".to_owned());
        } else if !is_country_code(&country_code) {
            errors.country_code = Some(format!(
                "“{country_code}” is not an ISO 3166-1 alpha-2 country code. Use two letters, like AT."
            ));
        }
        let website = team_domain::parse_hostname(&self.website)
            .map_err(|e| errors.website = Some(e.to_string()))
            .unwrap_or_default();
        let mut domains: Vec<String> = Vec::new();
        for raw in self.domains.split(|c: char| c.is_whitespace() || c == ',' || c == ';') {
            if raw.is_empty() {
                continue;
            }
            match TeamDomain::parse(raw, free_mail) {
                Ok(d) if domains.iter().any(|known| known == d.as_str()) => {}
                Ok(d) => domains.push(d.as_str().to_owned()),
                Err(e) => errors.domains.push(e.to_string()),
            }
        }
        let cap = self.cap.trim();
        let cap_override = match cap.parse::<i32>() {
            _ if cap.is_empty() => None,
            Ok(n) if n >= 0 => Some(n),
            _ => {
                errors.cap = Some(
                    "Enter a whole number, 0 or more, or leave it empty to use the meeting's default."
                        .to_owned(),
                );
                None
            }
        };
        if !errors.is_empty() {
            return Err(Box::new(errors));
        }
        Ok(TeamFields { name, short_name, country_code, website, cap_override, domains })
    }
}

fn required(raw: &str, max: usize, what: &str, error: &mut Option<String>) -> String {
    let value = raw.trim().to_owned();
    if value.is_empty() {
        *error = Some(format!("Enter {what}."));
    } else if value.chars().count() > max {
        *error = Some(format!("This can be at most {max} characters long."));
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::team_domain::default_free_mail;

    fn form(domains: &str, cap: &str) -> TeamForm {
        TeamForm {
            name: " CERT Polska ".into(),
            short_name: "CERT Polska".into(),
            country_code: "pl".into(),
            website: "cert.pl".into(),
            domains: domains.into(),
            cap: cap.into(),
        }
    }

    #[test]
    fn domains_split_on_spaces_commas_and_lines_and_lose_duplicates() {
        let fields = form("cert.pl, @CERT.pl\nnask.pl;  ", " 3 ").parse(&default_free_mail()).expect("valid");
        assert_eq!(fields.domains, ["cert.pl", "nask.pl"]);
        assert_eq!((fields.name.as_str(), fields.country_code.as_str()), ("CERT Polska", "PL"));
        assert_eq!(fields.cap_override, Some(3));
    }

    #[test]
    fn no_domain_and_no_cap_are_allowed() {
        let fields = form("", "").parse(&default_free_mail()).expect("valid");
        assert!(fields.domains.is_empty());
        assert_eq!(fields.cap_override, None);
    }

    #[test]
    fn every_field_gets_its_own_message() {
        let bad = TeamForm {
            name: " ".into(),
            short_name: "x".repeat(51),
            country_code: "UK".into(),
            website: "https://cert.example/".into(),
            domains: "gmail.com gov.il".into(),
            cap: "-1".into(),
        };
        let errors = bad.parse(&default_free_mail()).expect_err("refused");
        let ids: Vec<&str> = errors.summary().into_iter().map(|(id, _)| id).collect();
        assert_eq!(ids, ["name", "short_name", "country_code", "website", "domains", "domains", "cap"]);
        assert!(errors.country_code.as_deref().is_some_and(|m| m.contains("“UK”")));
    }

    #[test]
    fn a_cap_must_be_a_whole_number() {
        for cap in ["2.5", "many", "99999999999"] {
            assert!(form("", cap).parse(&default_free_mail()).is_err(), "{cap}");
        }
        assert_eq!(form("", "0").parse(&default_free_mail()).expect("valid").cap_override, Some(0));
    }
}
