//! The one input rule for text typed into a form: which characters a single-line field
//! (a name, a title, an address) and a multi-line one (an abstract, a reason) may hold.
//!
//! Control characters never belong in stored text: a NUL is refused by PostgreSQL (a 500)
//! and stored by SQLite, and a line break in a one-line value can split a header or a
//! calendar line. Invisible format characters (bidi overrides and isolates, zero-width
//! spaces, the byte-order mark, tag characters) make text read differently from what it
//! is ("Trojan Source"), so they are refused too. Zero-width joiner and non-joiner stay
//! allowed: Persian and Indic spellings and emoji sequences need them, and they reorder
//! nothing.

/// Why a field's text was refused, worded for the person who typed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("Keep this on one line: remove the line break or tab.")]
    LineBreak,
    #[error("Remove the control character (U+{0:04X}); it cannot be stored.")]
    Control(u32),
    #[error(
        "Remove the invisible formatting character (U+{0:04X}); it can make the text read \
         differently from what it is."
    )]
    Invisible(u32),
}

/// A line break of any kind a pasted text may carry (CR, LF, VT, FF, NEL, LS, PS).
fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// An invisible format character (Unicode general category Cf) that can hide or reorder
/// text, ZWJ and ZWNJ excepted (see the module note).
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{ad}'                        // soft hyphen
        | '\u{600}'..='\u{605}'         // Arabic number signs
        | '\u{61c}'                     // Arabic letter mark (bidi)
        | '\u{6dd}' | '\u{70f}' | '\u{890}'..='\u{891}' | '\u{8e2}'
        | '\u{180e}'                    // Mongolian vowel separator
        | '\u{200b}'                    // zero-width space
        | '\u{200e}'..='\u{200f}'       // left-to-right and right-to-left marks
        | '\u{202a}'..='\u{202e}'       // bidi embeddings and overrides
        | '\u{2060}'..='\u{2064}'       // word joiner, invisible operators
        | '\u{2066}'..='\u{206f}'       // bidi isolates, deprecated format characters
        | '\u{feff}'                    // byte-order mark
        | '\u{fff9}'..='\u{fffb}'       // interlinear annotation
        | '\u{110bd}' | '\u{110cd}'
        | '\u{13430}'..='\u{1343f}'
        | '\u{1bca0}'..='\u{1bca3}'
        | '\u{1d173}'..='\u{1d17a}'
        | '\u{e0001}' | '\u{e0020}'..='\u{e007f}' // tag characters
    )
}

/// The first character of `text` that no field may hold, whatever its kind: a control
/// character other than tab and the line breaks, which multi-line fields turn into `\n`.
/// The form backstop (`input_guard`) refuses a request that carries one.
pub fn never_allowed(text: &str) -> Option<char> {
    text.chars().find(|&c| c.is_control() && c != '\t' && !is_line_break(c))
}

/// The text of a single-line field, trimmed; refused if it holds a line break, a tab, a
/// control character or an invisible format character.
pub fn single_line(raw: &str) -> Result<String, TextError> {
    for c in raw.trim().chars() {
        if is_line_break(c) || c == '\t' {
            return Err(TextError::LineBreak);
        }
        check_char(c)?;
    }
    Ok(raw.trim().to_owned())
}

/// The text of a multi-line field: every kind of line break becomes `\n`, trailing spaces
/// of each line and blank lines around the text go; refused if it holds a control
/// character (tab excepted) or an invisible format character.
pub fn multi_line(raw: &str) -> Result<String, TextError> {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            continue;
        }
        if is_line_break(c) {
            trim_line_end(&mut out);
            out.push('\n');
        } else if c == '\t' {
            out.push(c);
        } else {
            check_char(c)?;
            out.push(c);
        }
    }
    trim_line_end(&mut out);
    Ok(out.trim_matches(|c: char| c == '\n' || c.is_whitespace()).to_owned())
}

/// A secret (a password, a code): kept exactly as typed, spaces included, but refused if
/// it holds a control character, which no keyboard types and no database should get.
pub fn secret(raw: &str) -> Result<&str, TextError> {
    match raw.chars().find(|c| c.is_control()) {
        Some(c) => Err(TextError::Control(c as u32)),
        None => Ok(raw),
    }
}

fn check_char(c: char) -> Result<(), TextError> {
    if c.is_control() {
        Err(TextError::Control(c as u32))
    } else if is_invisible(c) {
        Err(TextError::Invisible(c as u32))
    } else {
        Ok(())
    }
}

fn trim_line_end(out: &mut String) {
    let kept = out.trim_end_matches([' ', '\t']).len();
    out.truncate(kept);
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_plain_name_is_trimmed_and_kept() {
        assert_eq!(single_line("  Zoë O'Brien-Łukasz  ").as_deref(), Ok("Zoë O'Brien-Łukasz"));
        assert_eq!(single_line("محمد\u{200c}رضا").as_deref(), Ok("محمد\u{200c}رضا"), "ZWNJ stays");
        assert_eq!(single_line("👩\u{200d}💻").as_deref(), Ok("👩\u{200d}💻"), "ZWJ stays");
    }

    #[test]
    fn a_nul_or_escape_in_a_single_line_field_is_refused() {
        assert_eq!(single_line("Alice\0"), Err(TextError::Control(0)));
        assert_eq!(single_line("a\u{1b}[31m"), Err(TextError::Control(0x1b)));
        assert_eq!(single_line("a\u{7f}"), Err(TextError::Control(0x7f)));
        assert_eq!(single_line("a\u{9b}"), Err(TextError::Control(0x9b)));
    }

    #[test]
    fn a_line_break_or_tab_inside_a_single_line_field_is_refused() {
        for raw in ["a\nb", "a\r\nb", "a\rb", "a\tb", "a\u{2028}b", "a\u{85}b", "a\u{0b}b"] {
            assert_eq!(single_line(raw), Err(TextError::LineBreak), "{raw:?}");
        }
        assert_eq!(single_line(" a \n").as_deref(), Ok("a"), "around the text it is trimmed");
    }

    #[test]
    fn bidi_and_invisible_characters_are_refused_in_both_kinds_of_field() {
        for c in ['\u{202e}', '\u{2066}', '\u{200f}', '\u{200b}', '\u{feff}', '\u{61c}', '\u{e0041}'] {
            let raw = format!("cert{c}.at");
            assert_eq!(single_line(&raw), Err(TextError::Invisible(c as u32)), "{c:?}");
            assert_eq!(multi_line(&raw), Err(TextError::Invisible(c as u32)), "{c:?}");
        }
    }

    #[test]
    fn a_multi_line_text_gets_plain_newlines() {
        assert_eq!(
            multi_line("\r\n  First line  \r\nsecond\rthird\u{2028}fourth\u{0b}fifth \n\n").as_deref(),
            Ok("First line\nsecond\nthird\nfourth\nfifth")
        );
        assert_eq!(multi_line("a\tb").as_deref(), Ok("a\tb"));
        assert_eq!(multi_line("a\0b"), Err(TextError::Control(0)));
    }

    #[test]
    fn a_secret_is_kept_as_typed_unless_it_holds_a_control_character() {
        assert_eq!(secret(" pass word "), Ok(" pass word "));
        assert_eq!(secret("pass\0word"), Err(TextError::Control(0)));
        assert_eq!(secret("pass\nword"), Err(TextError::Control(10)));
    }

    #[test]
    fn the_backstop_spares_tabs_and_line_breaks_only() {
        assert_eq!(never_allowed("a\r\n\tb\u{0b}\u{0c}\u{85}"), None);
        assert_eq!(never_allowed("a\0"), Some('\0'));
        assert_eq!(never_allowed("a\u{1}"), Some('\u{1}'));
        assert_eq!(never_allowed("a\u{9f}"), Some('\u{9f}'));
    }

    fn accepted_char(c: char) -> bool {
        !c.is_control() && !is_invisible(c)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

        #[test]
        fn single_line_never_panics_and_what_it_accepts_is_clean_and_stable(raw in any::<String>()) {
            if let Ok(clean) = single_line(&raw) {
                prop_assert!(clean.chars().all(accepted_char), "{clean:?}");
                prop_assert!(!clean.chars().any(is_line_break));
                prop_assert_eq!(clean.trim(), clean.as_str());
                prop_assert_eq!(single_line(&clean), Ok(clean.clone()), "cleaning twice changes nothing");
                prop_assert_eq!(clean.as_str(), raw.trim());
            } else {
                prop_assert!(raw.trim().chars().any(|c| !accepted_char(c) || c == '\t' || is_line_break(c)));
            }
        }

        #[test]
        fn multi_line_never_panics_and_keeps_only_plain_newlines(raw in any::<String>()) {
            if let Ok(clean) = multi_line(&raw) {
                prop_assert!(clean.chars().all(|c| c == '\n' || c == '\t' || accepted_char(c)), "{clean:?}");
                prop_assert!(!clean.contains('\r'));
                prop_assert_eq!(multi_line(&clean), Ok(clean.clone()), "cleaning twice changes nothing");
            }
        }

        #[test]
        fn multi_line_keeps_every_line_of_clean_text(lines in prop::collection::vec("[a-zA-Zé€ 0-9]{0,20}", 0..8)) {
            let joined = lines.join("\r\n");
            let expected: Vec<&str> = lines.iter().map(|l| l.trim_end()).collect();
            let expected = expected.join("\n");
            let expected = expected.trim_matches(|c: char| c == '\n' || c.is_whitespace());
            prop_assert_eq!(multi_line(&joined), Ok(expected.to_owned()));
        }

        #[test]
        fn a_clean_text_with_one_forbidden_character_is_refused(
            before in "[a-z ]{0,10}", after in "[a-z ]{0,10}",
            bad in prop::sample::select(vec!['\0', '\u{1}', '\u{1b}', '\u{7f}', '\u{202e}', '\u{2067}', '\u{200b}', '\u{feff}']),
        ) {
            let raw = format!("x{before}{bad}{after}x");
            prop_assert!(single_line(&raw).is_err());
            prop_assert!(multi_line(&raw).is_err());
        }
    }
}
