//! The organizer's personal note on an invitation: one to a few lines that the mail quotes
//! as the organizer's words. It follows the multi-line input rule (`domain::text`) and,
//! because it goes out by email as it is, also refuses tabs: the only control character
//! it may hold is the line break.

use crate::domain::text::{self, TextError};

/// The longest note, in characters.
pub const MAX_NOTE: usize = 1000;

/// Why a note was refused, worded for the organizer who typed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NoteError {
    #[error("{0}")]
    Text(#[from] TextError),
    #[error("Remove the tab (U+0009); a note may hold only text and line breaks.")]
    Tab,
    #[error("Keep the note to {MAX_NOTE} characters; it has {0}.")]
    TooLong(usize),
}

/// The note as stored: line breaks made `\n`, blank lines around it dropped; empty for none.
pub fn parse(raw: &str) -> Result<String, NoteError> {
    let note = text::multi_line(raw)?;
    if note.contains('\t') {
        return Err(NoteError::Tab);
    }
    let length = note.chars().count();
    if length > MAX_NOTE {
        return Err(NoteError::TooLong(length));
    }
    Ok(note)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_lines_are_kept_with_their_breaks_made_plain() {
        assert_eq!(
            parse("  Dear Ana,\r\nsee you in Vienna!  \r\n\r\n").as_deref(),
            Ok("Dear Ana,\nsee you in Vienna!")
        );
        assert_eq!(parse("").as_deref(), Ok(""));
    }

    #[test]
    fn control_characters_other_than_line_breaks_are_refused() {
        assert_eq!(parse("Hello\u{1b}[31m"), Err(NoteError::Text(TextError::Control(0x1b))));
        assert_eq!(parse("Hello\u{0}"), Err(NoteError::Text(TextError::Control(0))));
        assert_eq!(parse("Hello\tthere"), Err(NoteError::Tab));
        assert_eq!(parse("evil\u{202e}txt"), Err(NoteError::Text(TextError::Invisible(0x202e))));
    }

    #[test]
    fn a_note_longer_than_the_limit_is_refused_with_its_length() {
        assert_eq!(parse(&"é".repeat(MAX_NOTE)).map(|n| n.chars().count()), Ok(MAX_NOTE));
        let refused = parse(&"é".repeat(MAX_NOTE + 1)).expect_err("too long");
        assert_eq!(refused, NoteError::TooLong(MAX_NOTE + 1));
        assert_eq!(refused.to_string(), "Keep the note to 1000 characters; it has 1001.");
    }
}
