//! The name printed on an attendee's badge: chosen by the approved attendee, or the
//! account's name when they leave it empty.

use crate::domain::text::{self, TextError};

/// Longest badge name: what fits on two lines of a 90 mm badge in large type.
pub const MAX_CHARS: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadgeNameError {
    #[error(transparent)]
    Text(#[from] TextError),
    #[error("Keep the badge name to at most {MAX_CHARS} characters: it must fit on the badge.")]
    TooLong,
}

/// The badge name typed on the form: `None` when empty (the badge shows the account's
/// name), refused when it is too long or holds a line break, control or invisible
/// character (`domain::text`).
pub fn parse(raw: &str) -> Result<Option<String>, BadgeNameError> {
    let name = text::single_line(raw)?;
    if name.is_empty() {
        return Ok(None);
    }
    if name.chars().count() > MAX_CHARS {
        return Err(BadgeNameError::TooLong);
    }
    Ok(Some(name))
}

/// What the badge shows: the chosen name, else the account's.
pub fn shown<'a>(chosen: Option<&'a str>, account_name: &'a str) -> &'a str {
    chosen.filter(|n| !n.is_empty()).unwrap_or(account_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_badge_name_means_the_accounts_name() {
        assert_eq!(parse("   "), Ok(None));
        assert_eq!(shown(None, "Ana Example"), "Ana Example");
    }

    #[test]
    fn a_badge_name_is_trimmed_and_kept() {
        assert_eq!(parse("  Ana  "), Ok(Some("Ana".to_owned())));
        assert_eq!(shown(Some("Ana"), "Ana Example"), "Ana");
    }

    #[test]
    fn the_length_counts_characters_not_bytes() {
        assert_eq!(parse(&"é".repeat(MAX_CHARS)).map(|n| n.map(|n| n.chars().count())), Ok(Some(MAX_CHARS)));
        assert_eq!(parse(&"é".repeat(MAX_CHARS + 1)), Err(BadgeNameError::TooLong));
    }

    #[test]
    fn control_and_invisible_characters_are_refused() {
        assert_eq!(parse("Ana\nB"), Err(BadgeNameError::Text(TextError::LineBreak)));
        assert_eq!(parse("Ana\u{7}"), Err(BadgeNameError::Text(TextError::Control(7))));
        assert_eq!(parse("Ana\u{202e}"), Err(BadgeNameError::Text(TextError::Invisible(0x202e))));
    }
}
