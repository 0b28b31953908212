//! Vetting evidence: what an organizer weighs before deciding about a registration. How
//! the person came (invited by whom and when, or registered by themselves from which
//! domain), whether the address is at one of the team's domains, how many of the team are
//! approved against its cap, and the earlier meetings the person attended.

use chrono::NaiveDateTime;
use serde::Serialize;

use super::team_domain::is_covered_by;

/// How a registration came.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// Through an invitation: sent by `by` (`None`: the organizer's account is gone) at `at`.
    Invited { by: Option<String>, at: NaiveDateTime },
    /// The person registered with an address at `domain`.
    SelfRegistered { domain: String },
}

impl Origin {
    /// One line for the registration's page: "Invited by Ana Organizer on Mon 1 Feb 2027".
    pub fn summary(&self) -> String {
        match self {
            Self::Invited { by: Some(by), at } => format!("Invited by {by} on {}", at.format("%a %-d %b %Y")),
            Self::Invited { by: None, at } => {
                format!("Invited on {} by an organizer whose account is gone", at.format("%a %-d %b %Y"))
            }
            Self::SelfRegistered { domain } => {
                format!("Registered by themselves with an address at {domain}")
            }
        }
    }

    /// The queue's one word.
    pub fn short(&self) -> &'static str {
        match self {
            Self::Invited { .. } => "invited",
            Self::SelfRegistered { .. } => "self-registered",
        }
    }
}

/// Where an address stands against its team's domains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DomainFit {
    /// At a confirmed domain of the team, or below one.
    Team,
    /// Only at a domain an import took from the team's website, not confirmed yet.
    Unconfirmed,
    /// At none of the team's domains.
    Outside,
}

impl DomainFit {
    /// Where an address at `email_domain` stands against the team's `(domain, confirmed)`.
    pub fn of(email_domain: &str, team_domains: &[(String, bool)]) -> Self {
        let covering = |confirmed: bool| {
            team_domains.iter().any(|(d, c)| *c == confirmed && is_covered_by(email_domain, d))
        };
        if covering(true) {
            Self::Team
        } else if covering(false) {
            Self::Unconfirmed
        } else {
            Self::Outside
        }
    }

    /// Whether an organizer should look twice.
    pub fn flagged(self) -> bool {
        self != Self::Team
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Team => "at one of the team's domains",
            Self::Unconfirmed => "at an unconfirmed domain of the team (taken from its website)",
            Self::Outside => "outside the team's domains",
        }
    }
}

/// The domain part of an address (what follows the last `@`), lowercased.
pub fn domain_of(address: &str) -> String {
    address.rsplit_once('@').map_or("", |(_, d)| d).trim().to_lowercase()
}

/// Everything the review shows about one registration.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    pub origin: Origin,
    pub origin_summary: String,
    pub origin_short: &'static str,
    pub email_domain: String,
    pub fit: DomainFit,
    pub fit_label: &'static str,
    /// The address is not at a confirmed domain of the team.
    pub flagged: bool,
    /// Approved registrations of the team for this meeting, and its cap.
    pub approved: i64,
    pub cap: i64,
    pub cap_reached: bool,
    /// Earlier meetings the person was approved for, newest first.
    pub attended: Vec<String>,
}

impl Evidence {
    pub fn new(
        origin: Origin,
        address: &str,
        team_domains: &[(String, bool)],
        (approved, cap): (i64, i64),
        attended: Vec<String>,
    ) -> Self {
        let email_domain = domain_of(address);
        let fit = DomainFit::of(&email_domain, team_domains);
        Self {
            origin_summary: origin.summary(),
            origin_short: origin.short(),
            origin,
            email_domain,
            fit,
            fit_label: fit.label(),
            flagged: fit.flagged(),
            approved,
            cap,
            cap_reached: approved >= cap,
            attended,
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn domains() -> Vec<(String, bool)> {
        vec![("cert.at".into(), true), ("argentina.gob.ar".into(), false)]
    }

    fn at(day: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2027, 2, day).and_then(|d| d.and_hms_opt(9, 30, 0)).expect("date")
    }

    #[test]
    fn an_address_at_or_below_a_confirmed_domain_fits_the_team() {
        assert_eq!(DomainFit::of("cert.at", &domains()), DomainFit::Team);
        assert_eq!(DomainFit::of("SOC.cert.at", &domains()), DomainFit::Team);
        assert!(!DomainFit::Team.flagged());
    }

    #[test]
    fn an_unconfirmed_domain_and_any_other_are_flagged() {
        assert_eq!(DomainFit::of("argentina.gob.ar", &domains()), DomainFit::Unconfirmed);
        assert_eq!(DomainFit::of("mail.argentina.gob.ar", &domains()), DomainFit::Unconfirmed);
        assert_eq!(DomainFit::of("gmail.com", &domains()), DomainFit::Outside);
        assert_eq!(
            DomainFit::of("notcert.at", &domains()),
            DomainFit::Outside,
            "a suffix is not a subdomain"
        );
        assert_eq!(DomainFit::of("cert.at", &[]), DomainFit::Outside, "a team without domains");
        assert!(DomainFit::Unconfirmed.flagged() && DomainFit::Outside.flagged());
    }

    #[test]
    fn the_origin_says_who_invited_and_when_or_from_which_domain() {
        let invited = Origin::Invited { by: Some("Olga Organizer".into()), at: at(1) };
        assert_eq!(invited.summary(), "Invited by Olga Organizer on Mon 1 Feb 2027");
        assert_eq!(invited.short(), "invited");
        let gone = Origin::Invited { by: None, at: at(2) };
        assert!(gone.summary().contains("Tue 2 Feb 2027") && gone.summary().contains("account is gone"));
        let own = Origin::SelfRegistered { domain: "cert.at".into() };
        assert_eq!(own.summary(), "Registered by themselves with an address at cert.at");
        assert_eq!(own.short(), "self-registered");
    }

    #[test]
    fn the_evidence_flags_an_outside_address_and_a_full_team() {
        let origin = Origin::Invited { by: Some("Olga".into()), at: at(1) };
        let e =
            Evidence::new(origin.clone(), "Ana@Gmail.com", &domains(), (2, 2), vec!["NatCSIRT 2025".into()]);
        assert_eq!(e.email_domain, "gmail.com");
        assert!(e.flagged && e.cap_reached);
        assert_eq!(e.attended, ["NatCSIRT 2025"]);
        let fine = Evidence::new(origin, "ana@cert.at", &domains(), (1, 2), Vec::new());
        assert!(!fine.flagged && !fine.cap_reached);
    }

    #[test]
    fn the_domain_of_an_address_is_what_follows_the_last_at() {
        assert_eq!(domain_of("a@b@CERT.at"), "cert.at");
        assert_eq!(domain_of("no-at"), "");
    }
}
