//! The team form: what an organizer typed, and its parsing into [`TeamFields`] with a
//! message next to each field that needs correcting.

use serde::{Deserialize, Serialize};

use crate::{
    domain::{
        endorsement::parse_contacts,
        team_domain::{self, TeamDomain},
        team_import::is_country_code,
    },
    models::team::{Team, TeamFields},
    routes::form_errors::FormErrors,
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
    /// The points of contact, `Name <address>`, one a line (or separated by `;`).
    #[serde(default)]
    pub contacts: String,
}

impl TeamForm {
    /// The form of a registered team.
    pub fn of(team: &Team, domains: &[String], contacts: &[(String, String)]) -> Self {
        TeamForm {
            name: team.name.clone(),
            short_name: team.short_name.clone(),
            country_code: team.country_code.clone(),
            website: team.website.clone(),
            domains: domains.join("\n"),
            cap: team.cap_override.map(|c| c.to_string()).unwrap_or_default(),
            contacts: contacts.iter().map(|(n, e)| format!("{n} <{e}>")).collect::<Vec<_>>().join("\n"),
        }
    }

    /// The fields to store, or every problem found, in the order of the form.
    pub fn parse(&self, free_mail: &[String]) -> Result<TeamFields, FormErrors> {
        let mut errors = FormErrors::default();
        let name = errors.required_line("name", &self.name, MAX_NAME, "the team's full name");
        let short_name = errors.required_line(
            "short_name",
            &self.short_name,
            MAX_SHORT_NAME,
            "the short name, like CERT.at",
        );
        let country_code = self.country_code.trim().to_ascii_uppercase();
        if country_code.is_empty() {
            errors.field("country_code", "Enter the country code, like AT.");
        } else if !is_country_code(&country_code) {
            errors.field(
                "country_code",
                format!(
                    "“{country_code}” is not an ISO 3166-1 alpha-2 country code. Use two letters, like AT."
                ),
            );
        }
        let website = team_domain::parse_hostname(&self.website)
            .map_err(|e| errors.field("website", e.to_string()))
            .unwrap_or_default();
        let mut domains: Vec<String> = Vec::new();
        let mut refused = Vec::new();
        for raw in self.domains.split(|c: char| c.is_whitespace() || c == ',' || c == ';') {
            if raw.is_empty() {
                continue;
            }
            match TeamDomain::parse(raw, free_mail) {
                Ok(d) if domains.iter().any(|known| known == d.as_str()) => {}
                Ok(d) => domains.push(d.as_str().to_owned()),
                Err(e) => refused.push(e.to_string()),
            }
        }
        domains_refused(&mut errors, &refused);
        let cap = self.cap.trim();
        let cap_override = match cap.parse::<i32>() {
            _ if cap.is_empty() => None,
            Ok(n) if n >= 0 => Some(n),
            _ => {
                errors.field(
                    "cap",
                    "Enter a whole number, 0 or more, or leave it empty to use the meeting's default.",
                );
                None
            }
        };
        let contacts = parse_contacts(&self.contacts)
            .map_err(|refused| {
                let messages: Vec<String> = refused.iter().map(ToString::to_string).collect();
                errors.field("contacts", messages.join(" "));
            })
            .unwrap_or_default();
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(TeamFields {
            name,
            short_name,
            country_code,
            website,
            cap_override,
            domains,
            derived_domains: false,
            unconfirmed_domains: None,
            contacts: Some(contacts),
        })
    }
}

/// Notes every refused domain, one sentence after another, as the message of the domains
/// field (a field has one message).
pub fn domains_refused(errors: &mut FormErrors, messages: &[String]) {
    if !messages.is_empty() {
        errors.field("domains", messages.join(" "));
    }
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
            contacts: String::new(),
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
            contacts: "Ana <ana@>".into(),
        };
        let errors =
            serde_json::to_value(bad.parse(&default_free_mail()).expect_err("refused")).expect("json");
        let ids: Vec<_> =
            errors["summary"].as_array().expect("a list").iter().map(|e| e["field"].clone()).collect();
        assert_eq!(ids, ["name", "short_name", "country_code", "website", "domains", "cap", "contacts"]);
        assert!(errors["country_code"].as_str().is_some_and(|m| m.contains("“UK”")));
        let domains = errors["domains"].as_str().expect("one message for the domains");
        assert!(domains.contains("gmail.com") && domains.contains("gov.il"), "{domains}");
    }

    #[test]
    fn a_cap_must_be_a_whole_number() {
        for cap in ["2.5", "many", "99999999999"] {
            assert!(form("", cap).parse(&default_free_mail()).is_err(), "{cap}");
        }
        assert_eq!(form("", "0").parse(&default_free_mail()).expect("valid").cap_override, Some(0));
    }
}
