//! Personal API tokens (issue 18): what a token may reach (`Scope`), who may make one of
//! which scope, its name and expiry as typed on `/me/security`, when a token still opens
//! the API and when its "last used" is worth writing again. The secret itself is a
//! [`super::token::Token`], shown once and stored as its SHA-256.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

use super::{states::Role, text, words::word_enum};

word_enum!(
    /// What a token opens: an attendee's own meeting, or the organizers' work.
    Scope, "an API token scope" {
        Attendee => "attendee", "attendee: my meeting's agenda, my registration and my picks";
        Organizer => "organizer", "organizer: registrations, decisions, teams and invitations";
    }
);

/// The longest name a token may have, in characters.
pub const NAME_MAX: usize = 80;

/// The prefix of every API token, so that a leaked one is recognisable (and secret
/// scanners can look for it); the rest is a [`super::token::Token`].
pub const PREFIX: &str = "cm_";

/// How often "last used" is written at most: a script polling every second writes once an
/// hour.
pub const LAST_USED_EVERY: TimeDelta = TimeDelta::hours(1);

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum TokenInputError {
    #[error("Give the token a name, so you know later where it is used.")]
    NameMissing,
    #[error("Keep the name to {NAME_MAX} characters.")]
    NameTooLong,
    #[error("{0}")]
    NameText(text::TextError),
    #[error("Give the expiry as a date, like 2027-06-30.")]
    ExpiryNotADate,
    #[error("Choose today or a later day as the expiry.")]
    ExpiryPast,
    #[error("Choose an expiry at most a year ahead (by {0}); make a new token then.")]
    ExpiryTooFar(NaiveDate),
    #[error("Choose a scope: attendee or organizer.")]
    ScopeUnknown,
    #[error("Only organizers may make a token with the organizer scope.")]
    OrganizerOnly,
    #[error("Set up two-step sign-in before you make an organizer token.")]
    SecondFactorNeeded,
}

/// The name as typed: one line, trimmed, 1 to [`NAME_MAX`] characters.
pub fn name(raw: &str) -> Result<String, TokenInputError> {
    let name = text::single_line(raw).map_err(TokenInputError::NameText)?;
    match name.chars().count() {
        0 => Err(TokenInputError::NameMissing),
        n if n > NAME_MAX => Err(TokenInputError::NameTooLong),
        _ => Ok(name),
    }
}

/// How far ahead an expiry may be: a token that outlives a year is one nobody remembers.
pub const EXPIRY_MAX_DAYS: u64 = 366;

/// The optional expiry as typed (`YYYY-MM-DD`, empty for none): the token works through
/// that day (UTC) and stops at its end. It must be `today` or later, at most
/// [`EXPIRY_MAX_DAYS`] ahead (a far date also has no place in PostgreSQL's timestamps).
pub fn expiry(raw: &str, today: NaiveDate) -> Result<Option<NaiveDateTime>, TokenInputError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let day = NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| TokenInputError::ExpiryNotADate)?;
    if day < today {
        return Err(TokenInputError::ExpiryPast);
    }
    let last = today + chrono::Days::new(EXPIRY_MAX_DAYS);
    if day > last {
        return Err(TokenInputError::ExpiryTooFar(last));
    }
    let end = day.succ_opt().ok_or(TokenInputError::ExpiryNotADate)?;
    Ok(Some(end.and_time(chrono::NaiveTime::MIN)))
}

/// The scope as chosen, if this account may make a token of it: the organizer scope only
/// for organizers with their second factor set up (as every organizer action asks).
pub fn scope(raw: &str, role: Role, has_second_factor: bool) -> Result<Scope, TokenInputError> {
    let scope: Scope = raw.parse().map_err(|_| TokenInputError::ScopeUnknown)?;
    may_hold(scope, role, has_second_factor)?;
    Ok(scope)
}

/// Whether an account may hold (make, or go on using) a token of `scope`. Checked when the
/// token is made and on every request, so an organizer who lost the role or the second
/// factor cannot go on with an older token.
pub fn may_hold(scope: Scope, role: Role, has_second_factor: bool) -> Result<(), TokenInputError> {
    match scope {
        Scope::Attendee => Ok(()),
        Scope::Organizer if role != Role::Organizer => Err(TokenInputError::OrganizerOnly),
        Scope::Organizer if !has_second_factor => Err(TokenInputError::SecondFactorNeeded),
        Scope::Organizer => Ok(()),
    }
}

/// Whether a token with these dates still opens the API at `now`.
pub fn is_live(
    expires_at: Option<NaiveDateTime>,
    revoked_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> bool {
    revoked_at.is_none() && expires_at.is_none_or(|end| now < end)
}

/// Whether "last used" should be written for a use at `now`.
pub fn should_note_use(last_used_at: Option<NaiveDateTime>, now: NaiveDateTime) -> bool {
    last_used_at.is_none_or(|last| now - last >= LAST_USED_EVERY)
}

/// The raw token as a `Bearer` value carries it, without the prefix; `None` for anything
/// that cannot be a token (so it is refused without a database query).
pub fn from_bearer(value: &str) -> Option<&str> {
    let (kind, rest) = value.split_once(' ')?;
    if !kind.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let raw = rest.trim().strip_prefix(PREFIX)?;
    (raw.len() == 64 && raw.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))).then_some(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("a time")
    }

    #[test]
    fn a_name_is_one_trimmed_line_of_at_most_80_characters() {
        assert_eq!(name("  registration sync "), Ok("registration sync".into()));
        assert_eq!(name("   "), Err(TokenInputError::NameMissing));
        assert_eq!(name(&"é".repeat(80)).map(|n| n.chars().count()), Ok(80));
        assert_eq!(name(&"é".repeat(81)), Err(TokenInputError::NameTooLong));
        assert!(matches!(name("two\nlines"), Err(TokenInputError::NameText(_))));
    }

    #[test]
    fn an_expiry_is_an_optional_day_within_a_year_that_lasts_through_its_end() {
        let today = day("2026-12-06");
        assert_eq!(expiry("", today), Ok(None));
        assert_eq!(expiry("2026-12-07", today), Ok(Some(at("2026-12-08 00:00"))));
        assert_eq!(expiry("2026-12-06", today), Ok(Some(at("2026-12-07 00:00"))), "today: until its end");
        assert_eq!(expiry("2026-12-05", today), Err(TokenInputError::ExpiryPast));
        assert_eq!(expiry("2027-12-07", today), Ok(Some(at("2027-12-08 00:00"))), "366 days ahead");
        assert_eq!(expiry("2027-12-08", today), Err(TokenInputError::ExpiryTooFar(day("2027-12-07"))));
        assert_eq!(expiry("9999-12-31", today), Err(TokenInputError::ExpiryTooFar(day("2027-12-07"))));
        assert_eq!(expiry("next week", today), Err(TokenInputError::ExpiryNotADate));
    }

    #[test]
    fn the_organizer_scope_needs_an_organizer_with_a_second_factor() {
        assert_eq!(scope("attendee", Role::Member, false), Ok(Scope::Attendee));
        assert_eq!(scope("organizer", Role::Organizer, true), Ok(Scope::Organizer));
        assert_eq!(scope("organizer", Role::Organizer, false), Err(TokenInputError::SecondFactorNeeded));
        assert_eq!(scope("organizer", Role::Reviewer, true), Err(TokenInputError::OrganizerOnly));
        assert_eq!(scope("organizer", Role::Member, true), Err(TokenInputError::OrganizerOnly));
        assert_eq!(scope("admin", Role::Organizer, true), Err(TokenInputError::ScopeUnknown));
    }

    #[test]
    fn a_token_is_live_until_revoked_or_past_its_end() {
        let now = at("2026-12-06 12:00");
        assert!(is_live(None, None, now));
        assert!(is_live(Some(at("2026-12-06 12:01")), None, now));
        assert!(!is_live(Some(now), None, now));
        assert!(!is_live(None, Some(at("2026-12-01 00:00")), now));
    }

    #[test]
    fn last_use_is_noted_at_most_hourly() {
        let now = at("2026-12-06 12:00");
        assert!(should_note_use(None, now));
        assert!(!should_note_use(Some(at("2026-12-06 11:01")), now));
        assert!(should_note_use(Some(at("2026-12-06 11:00")), now));
    }

    #[test]
    fn a_bearer_value_gives_the_raw_token_only_in_the_right_shape() {
        let raw = "a".repeat(64);
        assert_eq!(from_bearer(&format!("Bearer cm_{raw}")), Some(raw.as_str()));
        assert_eq!(from_bearer(&format!("bearer cm_{raw}")), Some(raw.as_str()));
        assert_eq!(from_bearer(&format!("Bearer {raw}")), None);
        assert_eq!(from_bearer(&format!("Basic cm_{raw}")), None);
        assert_eq!(from_bearer(&format!("Bearer cm_{}", "A".repeat(64))), None);
        assert_eq!(from_bearer("Bearer cm_abc"), None);
    }
}
