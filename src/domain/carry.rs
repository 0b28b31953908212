//! Carrying a meeting's words into the next year: "NatCSIRT 2026" becomes "NatCSIRT 2027".

/// `text` with each standalone `from` year replaced by `to`; a number that merely contains
/// the year (a room "12026") is left alone. Text without the year is returned unchanged.
pub fn move_year(text: &str, from: i32, to: i32) -> String {
    let (from, to) = (from.to_string(), to.to_string());
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(&from) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + from.len()..].chars().next();
        out.push_str(&rest[..at]);
        let standalone =
            !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit());
        out.push_str(if standalone { &to } else { &from });
        rest = &rest[at + from.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::move_year;

    #[test]
    fn the_year_moves_in_titles_and_short_names() {
        assert_eq!(move_year("NatCSIRT 2026 — Annual meeting", 2026, 2027), "NatCSIRT 2027 — Annual meeting");
        assert_eq!(move_year("natcsirt-2026", 2026, 2027), "natcsirt-2027");
    }

    #[test]
    fn numbers_that_only_contain_the_year_stay() {
        assert_eq!(move_year("Room 120261, 2026", 2026, 2027), "Room 120261, 2027");
    }

    #[test]
    fn text_without_the_year_is_unchanged() {
        assert_eq!(move_year("Annual meeting", 2026, 2027), "Annual meeting");
    }
}
