//! Email domains that prove membership of a national team: a team's own registrable domain
//! (or a subdomain of one), never a public suffix such as `gov.il` nor a free-mail service.

use std::fmt;

use serde::Serialize;
use unicode_security::{GeneralSecurityProfile as _, MixedScript as _, skeleton};

use super::text;

/// The DNS limit for a whole name, without the trailing dot (RFC 1035 §2.3.4).
pub const MAX_LEN: usize = 253;
/// The DNS limit for one label (RFC 1035 §2.3.4).
pub const MAX_LABEL_LEN: usize = 63;

/// Free-mail services whose addresses anyone can get, so they prove nothing about a team.
/// Subdomains count too. Deployments can extend this list in their settings.
pub const DEFAULT_FREE_MAIL: &[&str] = &[
    "126.com",
    "163.com",
    "abv.bg",
    "aol.com",
    "bk.ru",
    "daum.net",
    "disroot.org",
    "fastmail.com",
    "free.fr",
    "gmail.com",
    "gmx.at",
    "gmx.ch",
    "gmx.com",
    "gmx.de",
    "gmx.net",
    "googlemail.com",
    "hanmail.net",
    "hotmail.co.uk",
    "hotmail.com",
    "hotmail.de",
    "hotmail.fr",
    "hushmail.com",
    "icloud.com",
    "inbox.ru",
    "interia.pl",
    "laposte.net",
    "libero.it",
    "list.ru",
    "live.com",
    "mac.com",
    "mail.com",
    "mail.ru",
    "mailbox.org",
    "me.com",
    "msn.com",
    "naver.com",
    "o2.pl",
    "onet.pl",
    "outlook.com",
    "pm.me",
    "posteo.de",
    "proton.me",
    "protonmail.ch",
    "protonmail.com",
    "qq.com",
    "rediffmail.com",
    "rocketmail.com",
    "seznam.cz",
    "sina.com",
    "t-online.de",
    "tuta.io",
    "tutanota.com",
    "tutanota.de",
    "ukr.net",
    "web.de",
    "wp.pl",
    "ya.ru",
    "yahoo.co.uk",
    "yahoo.com",
    "yahoo.fr",
    "yandex.com",
    "yandex.ru",
    "ymail.com",
    "zoho.com",
];

/// [`DEFAULT_FREE_MAIL`] in the owned form [`TeamDomain::parse`] takes, for settings
/// defaults and tests.
pub fn default_free_mail() -> Vec<String> {
    DEFAULT_FREE_MAIL.iter().map(|domain| (*domain).to_owned()).collect()
}

/// A domain whose addresses belong to one team: lowercase, without a leading `@`, a valid
/// host name at or below a registrable domain. Serializes as a plain string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct TeamDomain(String);

/// Why a domain was refused, worded for the organizer who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("Enter a domain, like cert.example.")]
    Empty,
    #[error("Enter only the domain, like cert.at, without https://, a path or a port.")]
    NotJustADomain,
    #[error("Enter only the part after the @, like cert.at.")]
    ContainsLocalPart,
    #[error("A domain name can be at most {} characters long.", MAX_LEN)]
    TooLong,
    #[error("{0} is not a full domain name; it needs a dot, like cert.at.")]
    MissingDot(String),
    #[error("{0} has an empty part between dots. Check it for typos.")]
    EmptyLabel(String),
    #[error("{domain}: each part between dots can be at most {} characters long.", MAX_LABEL_LEN)]
    LabelTooLong { domain: String },
    #[error("{0} can only hold letters, digits, hyphens and dots.")]
    InvalidCharacter(String),
    #[error("{0} is not a valid internationalized domain name (UTS 46). Check it for typos.")]
    InvalidInternational(String),
    #[error(
        "{domain}: the part “{label}” mixes writing systems (or holds a symbol), as lookalikes \
         of other domains do. Each part must be written in one script."
    )]
    MixedScript { domain: String, label: String },
    #[error("{0}: a part between dots cannot start or end with a hyphen.")]
    HyphenAtEdge(String),
    #[error("{0} is not a domain name: its last part cannot be a number.")]
    NumericTopLevel(String),
    #[error(
        "{0} is a public suffix shared by many organizations; enter your team's own domain, \
         like cert.{0}."
    )]
    PublicSuffix(String),
    #[error("{0} is a free-mail service; enter your team's own domain.")]
    FreeMail(String),
}

impl TeamDomain {
    /// Normalizes `raw` (trims, lowercases, drops a leading `@` and a trailing dot) and
    /// checks it: a valid host name, not a free-mail domain from `free_mail` nor a
    /// subdomain of one, and at or below a registrable domain.
    pub fn parse(raw: &str, free_mail: &[String]) -> Result<TeamDomain, DomainError> {
        let trimmed = raw.trim();
        let without_at = trimmed.strip_prefix('@').unwrap_or(trimmed);
        let domain = parse_hostname(without_at)?;
        if free_mail.iter().any(|free| covers(&normalize(free), &domain)) {
            return Err(DomainError::FreeMail(domain));
        }
        // `domain` is `None` exactly when the whole name is a suffix (ICANN or private
        // section alike: `github.io` is as shared as `gov.il`). Names under a top-level
        // domain the list does not know fall back to its implicit `*` rule, so
        // `cert.example` is registrable.
        if psl::domain(domain.as_bytes()).is_none() {
            return Err(DomainError::PublicSuffix(domain));
        }
        Ok(TeamDomain(domain))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `domain` is this domain or a subdomain of it.
    pub fn covers(&self, domain: &str) -> bool {
        covers(&self.0, &normalize(domain))
    }
}

impl fmt::Display for TeamDomain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether an address at `email_domain` belongs to a team with `team_domains`: the same
/// domain or a subdomain of one (`soc.cert.at` is covered by `cert.at`).
pub fn address_matches(email_domain: &str, team_domains: &[TeamDomain]) -> bool {
    let domain = normalize(email_domain);
    !domain.is_empty() && team_domains.iter().any(|team| covers(&team.0, &domain))
}

/// Whether an address at `email_domain` is at the stored team domain `team_domain` or
/// below it.
pub fn is_covered_by(email_domain: &str, team_domain: &str) -> bool {
    covers(&normalize(team_domain), &normalize(email_domain))
}

/// The team an address at `email_domain` belongs to, among the registry's `(team id,
/// domain)` pairs: the most specific domain that covers it. A free-mail or public-suffix
/// domain is refused with its own reason; `Ok(None)` means no team has it.
pub fn team_for_address(
    email_domain: &str,
    free_mail: &[String],
    registry: &[(i64, String)],
) -> Result<Option<i64>, DomainError> {
    let domain = TeamDomain::parse(email_domain, free_mail)?;
    Ok(registry
        .iter()
        .filter(|(_, d)| covers(&normalize(d), domain.as_str()))
        .max_by_key(|(_, d)| d.len())
        .map(|(id, _)| *id))
}

/// Normalizes and checks a host name (a website's, say) without the membership rules:
/// trimmed, lowercased, one trailing dot dropped, labels of 1–63 characters of `a-z0-9-`
/// not starting or ending with a hyphen, at least two labels, at most 253 characters.
pub fn parse_hostname(raw: &str) -> Result<String, DomainError> {
    let name = normalize(raw);
    if name.is_empty() {
        return Err(DomainError::Empty);
    }
    if name.contains(['/', ':', '?', '#']) {
        return Err(DomainError::NotJustADomain);
    }
    if name.contains('@') {
        return Err(DomainError::ContainsLocalPart);
    }
    // An internationalized name is checked by UTS 46 and kept in its xn-- form; each of its
    // parts must be in one script, so `cеrt.at` with a Cyrillic `е` is refused.
    let name = if name.is_ascii() && !name.split('.').any(|label| label.starts_with("xn--")) {
        name
    } else {
        international(&name)?
    };
    if name.len() > MAX_LEN {
        return Err(DomainError::TooLong);
    }
    if !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.') {
        return Err(DomainError::InvalidCharacter(name));
    }
    if !name.contains('.') {
        return Err(DomainError::MissingDot(name));
    }
    let labels: Vec<&str> = name.split('.').collect();
    if labels.iter().any(|label| label.is_empty()) {
        return Err(DomainError::EmptyLabel(name));
    }
    if labels.iter().any(|label| label.len() > MAX_LABEL_LEN) {
        return Err(DomainError::LabelTooLong { domain: name });
    }
    if labels.iter().any(|label| label.starts_with('-') || label.ends_with('-')) {
        return Err(DomainError::HyphenAtEdge(name));
    }
    // An IPv4 address passes every check above; RFC 3696 §2 rules out all-numeric TLDs.
    if labels.last().is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit())) {
        return Err(DomainError::NumericTopLevel(name));
    }
    Ok(name)
}

/// The xn-- form of an internationalized name, refused unless UTS 46 (with the STD3 rules
/// and DNS lengths) accepts it and every part is single-script, made of characters that
/// UTS 39 allows in identifiers.
fn international(name: &str) -> Result<String, DomainError> {
    let invalid = || DomainError::InvalidInternational(name.to_owned());
    if name.contains(|c: char| c.is_control() || text::is_invisible(c)) {
        return Err(invalid());
    }
    let ascii = idna::domain_to_ascii_strict(name).map_err(|_| invalid())?;
    let (unicode, checked) = idna::domain_to_unicode(&ascii);
    checked.map_err(|_| invalid())?;
    for label in unicode.split('.').filter(|label| !label.is_ascii()) {
        let allowed = label.chars().all(|c| c == '-' || c.identifier_allowed());
        if !allowed || !label.is_single_script() {
            return Err(DomainError::MixedScript { domain: unicode.clone(), label: label.to_owned() });
        }
    }
    Ok(ascii)
}

/// The Unicode form of a domain with xn-- parts, to show beside it; `None` when the
/// domain has none (or they do not decode).
pub fn unicode_form(domain: &str) -> Option<String> {
    if !domain.split('.').any(|label| label.starts_with("xn--")) {
        return None;
    }
    match idna::domain_to_unicode(domain) {
        (unicode, Ok(())) if unicode != domain => Some(unicode),
        _ => None,
    }
}

/// Whether `a` and `b` differ but look alike (their UTS 39 confusable skeletons match),
/// when at least one is internationalized: `аре.at` in Cyrillic for `ape.at`. Pairs of
/// plain ASCII names are not compared, so `cert1.at` and `certl.at` can both be teams'.
pub fn looks_like(a: &str, b: &str) -> bool {
    let shown = |d: &str| unicode_form(d).unwrap_or_else(|| d.to_owned());
    let (a, b) = (shown(a), shown(b));
    a != b && !(a.is_ascii() && b.is_ascii()) && skeleton(&a).eq(skeleton(&b))
}

/// Trimmed, lowercased, one trailing dot dropped: `CERT.at.` and `cert.at` are one name.
fn normalize(raw: &str) -> String {
    let lowered = raw.trim().to_lowercase();
    match lowered.strip_suffix('.') {
        Some(stripped) => stripped.to_owned(),
        None => lowered,
    }
}

/// Whether `domain` is `parent` or lies below it; both already normalized.
fn covers(parent: &str, domain: &str) -> bool {
    !parent.is_empty()
        && (domain == parent
            || domain.strip_suffix(parent).is_some_and(|prefix| prefix.ends_with('.') && prefix.len() > 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Result<TeamDomain, DomainError> {
        TeamDomain::parse(raw, &default_free_mail())
    }

    fn domains(raw: &[&str]) -> Vec<TeamDomain> {
        raw.iter().map(|domain| parse(domain).expect("valid team domain")).collect()
    }

    #[test]
    fn a_registrable_domain_is_accepted() {
        for raw in ["cert.at", "govcert.bg", "circl.lu", "cisa.gov", "cert.example"] {
            assert_eq!(parse(raw).expect(raw).as_str(), raw);
        }
    }

    #[test]
    fn a_name_under_a_public_suffix_is_accepted() {
        for raw in ["csirt.gov.il", "ncsc.gov.uk", "jpcert.or.jp", "argentina.gob.ar", "cyber.gov.au"] {
            assert_eq!(parse(raw).expect(raw).as_str(), raw);
        }
    }

    #[test]
    fn a_subdomain_of_a_registrable_domain_is_accepted() {
        assert_eq!(parse("cert.ssi.gouv.fr").expect("valid").as_str(), "cert.ssi.gouv.fr");
        assert_eq!(parse("soc.cert.at").expect("valid").as_str(), "soc.cert.at");
    }

    #[test]
    fn a_domain_is_trimmed_lowercased_and_loses_a_leading_at_and_trailing_dot() {
        assert_eq!(parse("  @CERT.At \n").expect("valid").as_str(), "cert.at");
        assert_eq!(parse("cert.at.").expect("valid").as_str(), "cert.at");
        assert_eq!(parse("@Cert.Gov.IL").expect("valid").to_string(), "cert.gov.il");
    }

    #[test]
    fn a_public_suffix_is_refused_with_an_example_of_a_team_domain() {
        for raw in ["gov.il", "gob.mx", "co.uk", "com", "gouv.fr", "or.jp"] {
            let err = parse(raw).expect_err(raw);
            if raw.contains('.') {
                assert_eq!(err, DomainError::PublicSuffix(raw.to_owned()), "{raw}");
            } else {
                assert_eq!(err, DomainError::MissingDot(raw.to_owned()), "{raw}");
            }
        }
        assert_eq!(
            parse("gov.il").expect_err("suffix").to_string(),
            "gov.il is a public suffix shared by many organizations; enter your team's own domain, \
             like cert.gov.il."
        );
    }

    #[test]
    fn a_private_section_suffix_is_refused_too() {
        assert_eq!(parse("github.io"), Err(DomainError::PublicSuffix("github.io".to_owned())));
        assert!(parse("cert-example.github.io").is_ok());
    }

    #[test]
    fn a_free_mail_domain_is_refused() {
        assert_eq!(
            parse("gmail.com").expect_err("free mail").to_string(),
            "gmail.com is a free-mail service; enter your team's own domain."
        );
        assert_eq!(parse("@ProtonMail.com"), Err(DomainError::FreeMail("protonmail.com".to_owned())));
    }

    #[test]
    fn a_subdomain_of_a_free_mail_domain_is_refused() {
        assert_eq!(parse("eu.gmail.com"), Err(DomainError::FreeMail("eu.gmail.com".to_owned())));
    }

    #[test]
    fn a_domain_that_only_ends_like_a_free_mail_domain_is_accepted() {
        // `mail.com` is on the list; `gmail.com` must not be taken for a subdomain of it,
        // nor `notgmail.com` for one of `gmail.com`.
        let free = vec!["mail.com".to_owned()];
        assert!(TeamDomain::parse("gmail.com", &free).is_ok());
        assert!(parse("notgmail.com").is_ok());
    }

    #[test]
    fn the_free_mail_list_given_is_the_one_used_and_compared_without_case() {
        let free = vec![" Cert.Example ".to_owned()];
        assert_eq!(
            TeamDomain::parse("cert.example", &free),
            Err(DomainError::FreeMail("cert.example".to_owned()))
        );
        assert!(TeamDomain::parse("gmail.com", &[]).is_ok());
    }

    #[test]
    fn a_url_is_refused() {
        for raw in ["https://cert.at/", "cert.at/contact", "cert.at:443", "http://cert.at", "cert.at?x"] {
            assert_eq!(parse(raw), Err(DomainError::NotJustADomain), "{raw}");
        }
    }

    #[test]
    fn an_email_address_is_refused_with_a_hint() {
        assert_eq!(parse("alice@cert.at"), Err(DomainError::ContainsLocalPart));
    }

    #[test]
    fn an_empty_domain_is_refused() {
        for raw in ["", "  ", "@", "."] {
            assert_eq!(parse(raw), Err(DomainError::Empty), "{raw:?}");
        }
    }

    #[test]
    fn a_name_without_a_dot_is_refused() {
        assert_eq!(parse("localhost"), Err(DomainError::MissingDot("localhost".to_owned())));
    }

    #[test]
    fn characters_outside_letters_digits_and_hyphens_are_refused() {
        for raw in ["cert_at.example", "cert at.example", "*.cert.example"] {
            assert!(
                matches!(
                    parse(raw),
                    Err(DomainError::InvalidCharacter(_)) | Err(DomainError::InvalidInternational(_))
                ),
                "{raw}"
            );
        }
    }

    #[test]
    fn an_internationalized_name_is_kept_in_its_xn_form_and_shown_in_unicode() {
        assert_eq!(parse("xn--crt-bma.example").expect("valid").as_str(), "xn--crt-bma.example");
        assert_eq!(parse("CËRT.example").expect("valid").as_str(), "xn--crt-jma.example");
        assert_eq!(unicode_form("xn--crt-jma.example").as_deref(), Some("cërt.example"));
        assert_eq!(unicode_form("cert.at"), None);
        assert!(parse("ñic.cl").is_ok());
        assert!(parse("日本語.jp").is_ok(), "Han, Hiragana and Katakana count as one script");
    }

    #[test]
    fn an_invalid_xn_label_is_refused() {
        for raw in
            ["xn--.example", "xn--zz-.example", "xn--a.example", "xn--cert.at", "xn--80ak6aa92e.c\u{202e}om"]
        {
            assert!(
                matches!(parse(raw), Err(DomainError::InvalidInternational(_))),
                "{raw}: {:?}",
                parse(raw)
            );
        }
    }

    #[test]
    fn a_mixed_script_lookalike_of_cert_at_is_refused() {
        // "cеrt" with a Cyrillic е, typed and in its xn-- form.
        let typed = "c\u{435}rt.at";
        let ascii = idna::domain_to_ascii(typed).expect("encodes");
        for raw in [typed, ascii.as_str()] {
            assert!(matches!(parse(raw), Err(DomainError::MixedScript { .. })), "{raw}: {:?}", parse(raw));
        }
        assert!(
            matches!(parse("cert\u{2665}.at"), Err(DomainError::MixedScript { .. })),
            "a symbol is refused"
        );
    }

    #[test]
    fn a_whole_script_lookalike_looks_like_the_original_and_plain_names_do_not() {
        // "аре" is Cyrillic from end to end: single-script, so only the comparison with the
        // registered domains catches it.
        let cyrillic = idna::domain_to_ascii("\u{430}\u{440}\u{435}.at").expect("encodes");
        assert!(parse(&cyrillic).is_ok());
        assert!(looks_like(&cyrillic, "ape.at"));
        assert!(!looks_like("ape.at", "ape.at"));
        assert!(!looks_like("cert1.at", "certl.at"));
        assert!(!looks_like(&cyrillic, "cert.at"));
    }

    #[test]
    fn empty_labels_are_refused() {
        for raw in [".cert.at", "cert..at", "cert.at.."] {
            assert!(matches!(parse(raw), Err(DomainError::EmptyLabel(_))), "{raw}");
        }
    }

    #[test]
    fn a_label_of_63_characters_is_accepted_and_one_of_64_is_refused() {
        assert!(parse(&format!("{}.example", "a".repeat(63))).is_ok());
        assert!(matches!(
            parse(&format!("{}.example", "a".repeat(64))),
            Err(DomainError::LabelTooLong { .. })
        ));
    }

    #[test]
    fn a_name_of_253_characters_is_accepted_and_one_more_is_refused() {
        // 62 labels of three characters and the dots between them make 247 characters.
        let stem = ["abc"; 62].join(".");
        let longest = format!("{stem}.ab.at");
        assert_eq!(longest.len(), MAX_LEN);
        assert!(parse_hostname(&longest).is_ok());
        assert_eq!(parse_hostname(&format!("{stem}.abc.at")), Err(DomainError::TooLong));
    }

    #[test]
    fn a_label_starting_or_ending_with_a_hyphen_is_refused() {
        for raw in ["-cert.at", "cert-.at", "cert.-at"] {
            assert!(matches!(parse(raw), Err(DomainError::HyphenAtEdge(_))), "{raw}");
        }
        assert!(parse("sk-cert.sk").is_ok());
    }

    #[test]
    fn an_ip_address_is_refused() {
        assert_eq!(parse("192.0.2.1"), Err(DomainError::NumericTopLevel("192.0.2.1".to_owned())));
    }

    #[test]
    fn an_address_at_a_team_domain_or_below_it_matches() {
        let team = domains(&["cert.at", "govcert.gv.at"]);
        assert!(address_matches("cert.at", &team));
        assert!(address_matches("soc.cert.at", &team));
        assert!(address_matches(" GovCERT.gv.at ", &team));
    }

    #[test]
    fn an_address_elsewhere_does_not_match() {
        let team = domains(&["cert.at"]);
        for other in ["notcert.at", "at", "cert.at.evil.example", "", ".cert.at"] {
            assert!(!address_matches(other, &team), "{other:?}");
        }
        assert!(!address_matches("cert.at", &[]));
    }

    #[test]
    fn a_team_domain_covers_itself_and_its_subdomains() {
        let team = parse("cert.gov.il").expect("valid");
        assert!(team.covers("cert.gov.il"));
        assert!(team.covers("soc.cert.gov.il"));
        assert!(!team.covers("gov.il"));
    }

    #[test]
    fn it_serializes_as_a_plain_string() {
        let team = parse("cert.at").expect("valid");
        assert_eq!(serde_json::to_string(&team).expect("serializable"), "\"cert.at\"");
    }

    #[test]
    fn the_free_mail_list_is_sorted_lowercase_and_every_entry_is_a_registrable_domain() {
        let mut sorted = DEFAULT_FREE_MAIL.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, DEFAULT_FREE_MAIL, "unsorted or duplicated entries");
        for domain in DEFAULT_FREE_MAIL {
            // Without the list, each is a domain a team could own; with it, each is refused.
            assert_eq!(TeamDomain::parse(domain, &[]).expect(domain).as_str(), *domain);
            assert_eq!(parse(domain), Err(DomainError::FreeMail((*domain).to_owned())));
        }
        for required in
            ["gmail.com", "outlook.com", "proton.me", "qq.com", "163.com", "web.de", "tutanota.com"]
        {
            assert!(DEFAULT_FREE_MAIL.contains(&required), "{required}");
        }
    }

    #[test]
    fn an_address_belongs_to_the_team_with_the_most_specific_domain() {
        let registry = vec![(1, "cert.example".to_owned()), (2, "soc.cert.example".to_owned())];
        let free = default_free_mail();
        assert_eq!(team_for_address("cert.example", &free, &registry), Ok(Some(1)));
        assert_eq!(team_for_address("a.soc.cert.example", &free, &registry), Ok(Some(2)));
        assert_eq!(team_for_address("other.example", &free, &registry), Ok(None));
        assert_eq!(team_for_address("notcert.example", &free, &registry), Ok(None));
    }

    #[test]
    fn free_mail_and_public_suffix_addresses_belong_to_no_team() {
        let registry = vec![(1, "cert.example".to_owned())];
        let free = default_free_mail();
        assert!(matches!(team_for_address("gmail.com", &free, &registry), Err(DomainError::FreeMail(_))));
        assert!(matches!(team_for_address("gov.il", &free, &registry), Err(DomainError::PublicSuffix(_))));
    }
}
