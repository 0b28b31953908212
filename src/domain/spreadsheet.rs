//! Cells for spreadsheets: a CSV cell that starts with `=`, `+`, `-` or `@` (or a tab or
//! carriage return, which some programs skip before reading one) is run as a formula when
//! the file is opened, so attendee-typed text gets a leading apostrophe (OWASP's advice).

/// `value` safe to put in a spreadsheet cell.
pub fn neutralise(value: &str) -> String {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn a_cell_that_starts_a_formula_is_quoted() {
        for raw in ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"] {
            assert_eq!(neutralise(raw), format!("'{raw}"), "{raw:?}");
        }
    }

    #[test]
    fn other_cells_are_kept_as_they_are() {
        for raw in ["", "Vegetarian", "CERT.at", "a=b", " =1", "1-2"] {
            assert_eq!(neutralise(raw), raw, "{raw:?}");
        }
    }
}
