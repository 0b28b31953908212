//! Content-line primitives where the `ics` crate falls short (docs/CALENDAR.md S1–S3, S5):
//! TEXT escaping, parameter quoting, folding, and the UTC and DATE value forms.

use chrono::{DateTime, NaiveDate, Utc};

/// RFC 5545 §3.1: "Lines of text SHOULD NOT be longer than 75 octets, excluding the line
/// break". A continuation's leading space counts, so it carries 74 octets of content.
pub const MAX_LINE_OCTETS: usize = 75;

/// A TEXT value (S2): `\` `;` `,` escaped, every newline (CRLF, CR or LF) written `\n`,
/// other control characters dropped except HTAB; `:` stays as it is.
pub fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value (S3): double quotes and control characters removed, then quoted when
/// it holds `:` `;` or `,`. Unquoted, `CN=Smith; John` makes parsers drop the attendee.
pub fn param(value: &str) -> String {
    let clean: String = value.chars().filter(|&c| c != '"' && !c.is_control()).collect();
    if clean.contains([':', ';', ',']) { format!("\"{clean}\"") } else { clean }
}

/// A UTC DATE-TIME value, `YYYYMMDDTHHMMSSZ` (S4, S5). Sub-second precision is dropped.
pub fn utc(instant: DateTime<Utc>) -> String {
    instant.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A DATE value, `YYYYMMDD`.
pub fn date(day: NaiveDate) -> String {
    day.format("%Y%m%d").to_string()
}

/// Rewrites serialized iCalendar so that every line ends in CRLF and is folded at 75
/// octets (S1). The `ics` crate's own folds (76 octets, possibly between `\` and the
/// character it escapes) are undone first; that is exact because no value we write holds
/// a raw CR or LF, so every CRLF followed by a space in its output is one of its folds.
pub fn refold(serialized: &str) -> String {
    let unfolded = serialized.replace("\r\n ", "");
    let mut out = String::with_capacity(unfolded.len() + unfolded.len() / 20);
    for line in unfolded.split("\r\n").filter(|line| !line.is_empty()) {
        fold_line(line, &mut out);
    }
    out
}

/// Writes one content line, folded, with its CRLF. A fold never splits a UTF-8 character
/// nor separates a backslash from the character it escapes: both are kept as one unit.
fn fold_line(line: &str, out: &mut String) {
    let mut room = MAX_LINE_OCTETS;
    let mut rest = line;
    while !rest.is_empty() {
        let unit = unit_len(rest);
        if unit > room {
            out.push_str("\r\n ");
            room = MAX_LINE_OCTETS - 1;
        }
        out.push_str(&rest[..unit]);
        room = room.saturating_sub(unit);
        rest = &rest[unit..];
    }
    out.push_str("\r\n");
}

/// Octets of the indivisible unit at the start of `s`: one character, or a backslash with
/// the character after it.
fn unit_len(s: &str) -> usize {
    let mut chars = s.chars();
    match chars.next() {
        Some('\\') => 1 + chars.next().map_or(0, char::len_utf8),
        Some(c) => c.len_utf8(),
        None => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn physical_lines(folded: &str) -> Vec<&str> {
        assert!(folded.ends_with("\r\n"), "the last line ends in CRLF too");
        folded.strip_suffix("\r\n").unwrap_or(folded).split("\r\n").collect()
    }

    fn assert_well_folded(folded: &str, original: &str) {
        for line in physical_lines(folded) {
            assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
            assert!(!line.ends_with('\\') || line.ends_with("\\\\"), "escape split: {line:?}");
        }
        assert!(!folded.replace("\r\n", "").contains('\r'));
        assert_eq!(folded.replace("\r\n ", ""), format!("{original}\r\n"), "unfolds to the original");
    }

    #[test]
    fn text_escapes_backslash_semicolon_comma_and_newlines_but_not_colons() {
        assert_eq!(text("a\\b;c,d:e"), "a\\\\b\\;c\\,d:e");
        assert_eq!(text("one\ntwo\r\nthree\rfour"), "one\\ntwo\\nthree\\nfour");
    }

    #[test]
    fn text_drops_control_characters_except_tab() {
        assert_eq!(text("a\u{0}b\u{7}c\u{1b}[31md\te\u{7f}\u{85}"), "abc[31md\te");
    }

    #[test]
    fn parameters_with_separators_are_quoted_and_lose_their_double_quotes() {
        assert_eq!(param("Doe, Jane"), "\"Doe, Jane\"");
        assert_eq!(param("Smith; John"), "\"Smith; John\"");
        assert_eq!(param("CERT: Ops"), "\"CERT: Ops\"");
        assert_eq!(param("Jane \"JD\" Doe"), "Jane JD Doe");
        assert_eq!(param("\"Doe, Jane\"\r\n"), "\"Doe, Jane\"");
        assert_eq!(param("Jane Doe"), "Jane Doe");
    }

    #[test]
    fn utc_stamps_and_dates_have_the_basic_format() {
        let instant = DateTime::parse_from_rfc3339("2026-10-25T01:30:05.250+00:00").map(|t| t.to_utc());
        assert_eq!(instant.map(utc), Ok("20261025T013005Z".to_owned()));
        assert_eq!(NaiveDate::from_ymd_opt(2026, 1, 2).map(date), Some("20260102".to_owned()));
    }

    #[test]
    fn short_lines_stay_whole_and_end_in_crlf() {
        assert_eq!(refold("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"), "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
        let exactly = format!("SUMMARY:{}", "x".repeat(67));
        assert_eq!(refold(&exactly), format!("{exactly}\r\n"));
    }

    #[test]
    fn long_lines_fold_at_75_octets_counting_the_leading_space() {
        let line = format!("DESCRIPTION:{}", "abcdefghij".repeat(30));
        let folded = refold(&line);
        assert_well_folded(&folded, &line);
        let lines = physical_lines(&folded);
        assert_eq!(lines[0].len(), 75);
        assert!(lines[1..lines.len() - 1].iter().all(|l| l.len() == 75 && l.starts_with(' ')));
    }

    #[test]
    fn folds_never_split_a_multibyte_character() {
        for shift in 0..4 {
            let line = format!("SUMMARY:{}{}", "x".repeat(shift), "€漢🦀ø".repeat(20));
            let folded = refold(&line);
            assert_well_folded(&folded, &line);
            for physical in physical_lines(&folded) {
                assert!(std::str::from_utf8(physical.as_bytes()).is_ok());
            }
        }
    }

    #[test]
    fn folds_never_separate_a_backslash_from_what_it_escapes() {
        for escape in ["\\,", "\\n", "\\;", "\\\\"] {
            for shift in 0..3 {
                // "DESCRIPTION:" is 12 octets: the escape straddles octet 75 for some shift.
                let line = format!("DESCRIPTION:{}{}", "y".repeat(61 + shift), escape.repeat(40));
                let folded = refold(&line);
                assert_well_folded(&folded, &line);
                for physical in physical_lines(&folded).iter().skip(1) {
                    let body = &physical[1..];
                    assert!(body.starts_with('\\') || body.starts_with('y'), "{body:?}");
                }
            }
        }
    }

    /// RFC 5545 §3.3.11 read back: what a parser makes of an escaped TEXT value.
    pub(super) fn unescape(value: &str) -> String {
        let mut out = String::new();
        let mut chars = value.chars();
        while let Some(c) = chars.next() {
            match (c, c == '\\') {
                (_, true) => match chars.next() {
                    Some('n') => out.push('\n'),
                    Some(other) => out.push(other),
                    None => panic!("a dangling backslash in {value:?}"),
                },
                (c, false) => out.push(c),
            }
        }
        out
    }

    #[test]
    fn any_text_survives_escaping_and_folding() {
        let alphabet = ['x', ' ', ':', ';', ',', '\\', '\n', '\r', '\t', '\u{7}', 'é', '漢', '🦀'];
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..2000 {
            let len = rng.usize(0..200);
            let original: String = (0..len).map(|_| alphabet[rng.usize(..alphabet.len())]).collect();
            let line = format!("DESCRIPTION:{}", text(&original));
            let folded = refold(&line);
            assert_well_folded(&folded, &line);
            for physical in physical_lines(&folded) {
                let trailing = physical.len() - physical.trim_end_matches('\\').len();
                assert!(trailing % 2 == 0, "an escape split at {physical:?}");
            }
            let unfolded = folded.replace("\r\n ", "");
            let value = unfolded.trim_end_matches("\r\n").trim_start_matches("DESCRIPTION:");
            let expected = original.replace("\r\n", "\n").replace('\r', "\n").replace('\u{7}', "");
            assert_eq!(unescape(value), expected);
        }
    }

    #[test]
    fn the_crates_own_folds_are_undone_before_folding_again() {
        let content = format!("DESCRIPTION:{}", "z".repeat(100));
        let crate_folded = format!("{}\r\n {}\r\nEND:VEVENT\r\n", &content[..76], &content[76..]);
        assert_eq!(
            refold(&crate_folded),
            format!("{}\r\n {}\r\nEND:VEVENT\r\n", &content[..75], &content[75..])
        );
    }
}

/// Generated text: thousands of values per run through escaping, quoting and folding, read
/// back with the test-only unfold and unescape above.
#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    /// What a TEXT value holds once a parser has read it back: line breaks as `\n`, other
    /// control characters gone, tabs kept.
    fn readable(original: &str) -> String {
        original
            .replace("\r\n", "\n")
            .replace('\r', "\n")
            .chars()
            .filter(|&c| c == '\n' || c == '\t' || !c.is_control())
            .collect()
    }

    fn unfold(folded: &str) -> String {
        folded.replace("\r\n ", "")
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

        #[test]
        fn any_text_is_escaped_folded_and_read_back_unchanged(original in any::<String>()) {
            let line = format!("DESCRIPTION:{}", text(&original));
            let folded = refold(&line);
            prop_assert!(folded.ends_with("\r\n"));
            for physical in folded.trim_end_matches("\r\n").split("\r\n") {
                prop_assert!(physical.len() <= MAX_LINE_OCTETS, "{} octets", physical.len());
                let trailing = physical.len() - physical.trim_end_matches('\\').len();
                prop_assert!(trailing % 2 == 0, "an escape split at {:?}", physical);
            }
            let value = unfold(&folded);
            let value = value.trim_end_matches("\r\n").trim_start_matches("DESCRIPTION:");
            prop_assert!(!value.contains(['\r', '\n']), "no raw line break survives escaping");
            prop_assert_eq!(tests::unescape(value), readable(&original));
        }

        #[test]
        fn any_content_line_folds_at_75_octets_and_unfolds_to_itself(line in "[^\r\n]{0,400}") {
            let folded = refold(&line);
            if line.is_empty() {
                prop_assert_eq!(folded, "");
            } else {
                prop_assert!(folded.trim_end_matches("\r\n").split("\r\n").all(|l| l.len() <= MAX_LINE_OCTETS));
                prop_assert_eq!(unfold(&folded), format!("{line}\r\n"));
            }
        }

        #[test]
        fn any_parameter_value_is_quoted_exactly_when_it_must_be(value in any::<String>()) {
            let written = param(&value);
            let inner = written.strip_prefix('"').and_then(|w| w.strip_suffix('"'));
            let bare = inner.unwrap_or(&written);
            prop_assert!(!bare.contains('"') && !bare.chars().any(char::is_control));
            prop_assert_eq!(inner.is_some(), bare.contains([':', ';', ',']));
            let kept: String = value.chars().filter(|&c| c != '"' && !c.is_control()).collect();
            prop_assert_eq!(bare, kept.as_str());
        }
    }
}
