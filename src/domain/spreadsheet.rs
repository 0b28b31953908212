//! Cells for spreadsheets: a CSV cell that starts with `=`, `+`, `-` or `@` (or a tab or
//! carriage return, which some programs skip before reading one) is run as a formula when
//! the file is opened, so attendee-typed text gets a leading apostrophe (OWASP's advice).
//!
//! A file that is read back (the team registry) needs the apostrophe to come off again,
//! and only the one that was added: [`neutralise_reversibly`] also quotes a value that
//! already starts with apostrophes before a formula character, so that [`restore`], which
//! takes one apostrophe off exactly such cells, gives back every value unchanged.

/// Whether a cell starting with `value` is read as a formula.
fn starts_a_formula(value: &str) -> bool {
    matches!(value.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r'))
}

/// `value` safe to put in a spreadsheet cell.
pub fn neutralise(value: &str) -> String {
    if starts_a_formula(value) { format!("'{value}") } else { value.to_owned() }
}

/// `value` safe to put in a spreadsheet cell, in a form [`restore`] undoes: a value that
/// starts a formula after any apostrophes of its own gets one more.
pub fn neutralise_reversibly(value: &str) -> String {
    if starts_a_formula(value.trim_start_matches('\'')) { format!("'{value}") } else { value.to_owned() }
}

/// The value [`neutralise_reversibly`] made `cell` from: one leading apostrophe off a
/// cell that starts a formula after its apostrophes; any other cell as it is. This is also
/// what a spreadsheet's own leading apostrophe ("text, not a formula") means.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if starts_a_formula(rest.trim_start_matches('\'')) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::{neutralise, neutralise_reversibly, restore};

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

    #[test]
    fn reversible_cells_read_back_as_the_value_they_were_made_from() {
        for raw in ["=1", "+43 1", "-CERT", "@home", "'=1", "''-x", "'plain", "plain", "", "'", "a=b"] {
            let cell = neutralise_reversibly(raw);
            assert!(!matches!(cell.chars().next(), Some('=' | '+' | '-' | '@')), "{cell:?}");
            assert_eq!(restore(&cell), raw, "{raw:?} as {cell:?}");
        }
        assert_eq!(neutralise_reversibly("'=1"), "''=1");
        assert_eq!(neutralise_reversibly("'plain"), "'plain", "no formula: left as it is");
    }

    #[test]
    fn restoring_takes_off_only_an_apostrophe_before_a_formula() {
        assert_eq!(restore("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(restore("''=SUM(A1)"), "'=SUM(A1)");
        for kept in ["'CERT", "'", "CERT", "=x"] {
            assert_eq!(restore(kept), kept);
        }
    }
}
