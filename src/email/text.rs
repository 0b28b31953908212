//! The plain-text part's line length: templates write one paragraph per line, and the
//! text is wrapped here at word boundaries, so a long name or an organizer's free text
//! never makes a line longer than mail readers show without scrolling.

/// The longest line of a plain-text part (RFC 5322 §2.1.1 recommends 78 characters).
pub const MAX_LINE: usize = 78;

/// Wraps every line longer than [`MAX_LINE`] characters at spaces. A word longer than
/// that (a link) stands alone on its line, unbroken, so it stays clickable. Lines laid out
/// by hand stay exactly as written (see [`laid_out`]).
pub fn wrap(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / MAX_LINE);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if laid_out(line) {
            out.push_str(line);
        } else {
            wrap_line(line.trim_end(), &mut out);
        }
    }
    out
}

/// A line whose spacing carries meaning: indented (a list of indicators, code), quoted
/// (`>`), aligned with runs of spaces or tabs (a table), or part of a signed block. An
/// organizer's announcement may hold such lines; rewrapping would change them.
fn laid_out(line: &str) -> bool {
    line.starts_with([' ', '\t', '>'])
        || line.contains("  ")
        || line.contains('\t')
        || line.starts_with("-----BEGIN ")
        || line.starts_with("-----END ")
}

fn wrap_line(line: &str, out: &mut String) {
    if line.chars().count() <= MAX_LINE {
        out.push_str(line);
        return;
    }
    let mut width = 0;
    for word in line.split(' ').filter(|w| !w.is_empty()) {
        let len = word.chars().count();
        if width > 0 && width + 1 + len > MAX_LINE {
            out.push('\n');
            width = 0;
        }
        if width > 0 {
            out.push(' ');
            width += 1;
        }
        out.push_str(word);
        width += len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_and_blank_lines_stay_as_they_are() {
        assert_eq!(wrap("Hello Zoë,\n\nSee you.\n"), "Hello Zoë,\n\nSee you.\n");
    }

    #[test]
    fn a_long_paragraph_breaks_at_spaces_within_the_limit() {
        let paragraph = "word ".repeat(40);
        let wrapped = wrap(paragraph.trim_end());
        assert!(wrapped.lines().all(|l| l.chars().count() <= MAX_LINE), "{wrapped}");
        assert_eq!(wrapped.replace('\n', " "), paragraph.trim_end());
    }

    #[test]
    fn lines_laid_out_by_hand_stay_as_written() {
        let long = "x".repeat(30);
        for line in [
            format!("    {long} {long} {long}"),
            format!("> {long} {long} {long}"),
            format!("{long}  {long}  {long}"),
            format!("{long}\t{long}\t{long}"),
            "-----BEGIN PGP SIGNED MESSAGE----- with a very long armour header line that goes on".to_owned(),
        ] {
            assert_eq!(wrap(&line), line);
        }
        assert_ne!(wrap(&format!("{long} {long} {long}")), format!("{long} {long} {long}"), "prose wraps");
    }

    #[test]
    fn characters_are_counted_not_bytes() {
        let line = format!("{} end", "é".repeat(76));
        assert_eq!(wrap(&line), format!("{}\nend", "é".repeat(76)));
    }

    #[test]
    fn a_long_link_stands_alone_and_unbroken() {
        let link = format!("https://meet.example.org/invitations/{}", "a".repeat(64));
        let wrapped = wrap(&format!("Open this link: {link} within 30 days."));
        assert_eq!(wrapped, format!("Open this link:\n{link}\nwithin 30 days."));
    }
}
