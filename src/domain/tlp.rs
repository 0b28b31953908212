//! Traffic Light Protocol 2.0 labels on sessions, and the one rule (docs/CALENDAR.md T1) of
//! what a labelled session may carry out of the app: into feeds, emails, `.ics` downloads,
//! exports, the audit log, logs and page titles (which browsers keep in their history and
//! sync), all of which end up with providers, in spreadsheets or on other machines.

use super::words::word_enum;

word_enum!(
    /// A TLP 2.0 label, written exactly as FIRST spells it (T2), from the least to the
    /// most restricted. Only the exact spellings parse: a label is a promise to the people
    /// who shared the material, so "tlp:red" or "RED" from an import is refused rather than
    /// guessed.
    Tlp, "a TLP label; use TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT or TLP:RED" {
        Clear => "TLP:CLEAR", "TLP:CLEAR";
        Green => "TLP:GREEN", "TLP:GREEN";
        Amber => "TLP:AMBER", "TLP:AMBER";
        AmberStrict => "TLP:AMBER+STRICT", "TLP:AMBER+STRICT";
        Red => "TLP:RED", "TLP:RED";
    }
);

impl Tlp {
    /// A session's label unless the organizer chooses another.
    pub const DEFAULT: Tlp = Tlp::Amber;

    /// The stylesheet class that colours the label on pages (T2, `assets/style.css`).
    pub fn css_class(self) -> &'static str {
        match self {
            Tlp::Clear => "tlp-clear",
            Tlp::Green => "tlp-green",
            Tlp::Amber => "tlp-amber",
            Tlp::AmberStrict => "tlp-amber-strict",
            Tlp::Red => "tlp-red",
        }
    }

    /// A label read back from the database. One that does not parse counts as TLP:RED, the
    /// most careful reading: a stored row never widens what leaves the app. The only place
    /// that rule lives: every stored label is read through it (`models::stored`).
    pub fn stored(raw: &str) -> Tlp {
        raw.parse().unwrap_or(Tlp::Red)
    }
}

/// The highest label among `labels` (`None` for none): what a printout of them carries on
/// every page, and a day's heading for that day's sessions. Labels come from the database
/// through [`Tlp::stored`], so an unknown one is already TLP:RED here.
pub fn highest(labels: impl IntoIterator<Item = Tlp>) -> Option<Tlp> {
    labels.into_iter().max()
}

/// What stands in for the title of a TLP:RED session wherever it leaves the app.
pub const RED_PLACEHOLDER: &str = "TLP:RED session — details in the agenda";

/// The parts of a session that may leave the app under its label (T1). Time, room and
/// track always may; the caller adds them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outside<'a> {
    /// The title, or for TLP:RED the fixed [`RED_PLACEHOLDER`].
    pub title: &'a str,
    /// The abstract, only for TLP:CLEAR and TLP:GREEN.
    pub abstract_text: Option<&'a str>,
    /// Whether the session's kind (talk, workshop…) may be shown: not for TLP:RED, where
    /// T1 allows only time, room and track.
    pub kind: bool,
}

/// T1: what of a session with this label may be handed to anything outside the app.
pub fn outside<'a>(label: Tlp, title: &'a str, abstract_text: &'a str) -> Outside<'a> {
    match label {
        Tlp::Clear | Tlp::Green => Outside { title, abstract_text: Some(abstract_text), kind: true },
        Tlp::Amber | Tlp::AmberStrict => Outside { title, abstract_text: None, kind: true },
        Tlp::Red => Outside { title: RED_PLACEHOLDER, abstract_text: None, kind: false },
    }
}

/// T1 for a session named without its abstract: the title, or for TLP:RED the placeholder.
/// What a page's `<title>` and a confirmation's heading in the browser's history may say.
pub fn title_outside(label: Tlp, title: &str) -> &str {
    outside(label, title, "").title
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_parses_back_from_its_exact_spelling() {
        for label in Tlp::ALL {
            assert_eq!(label.as_str().parse::<Tlp>(), Ok(label));
            assert_eq!(label.to_string(), label.as_str());
        }
        assert_eq!(Tlp::AmberStrict.to_string(), "TLP:AMBER+STRICT");
    }

    #[test]
    fn the_default_label_is_amber_and_each_label_has_its_class() {
        assert_eq!(Tlp::DEFAULT, Tlp::Amber);
        assert_eq!(Tlp::AmberStrict.css_class(), "tlp-amber-strict");
        assert_eq!(serde_json::to_string(&Tlp::Red).expect("serializable"), "\"TLP:RED\"");
    }

    #[test]
    fn other_spellings_are_refused() {
        for bad in ["tlp:red", "RED", "TLP:WHITE", "TLP: RED", " TLP:RED", "TLP:AMBER STRICT", ""] {
            assert!(bad.parse::<Tlp>().is_err(), "{bad:?}");
        }
        assert_eq!(
            "TLP:WHITE".parse::<Tlp>().expect_err("refused").to_string(),
            "“TLP:WHITE” is not a TLP label; use TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT \
             or TLP:RED."
        );
    }

    #[test]
    fn the_highest_label_is_the_most_restricted_one_and_an_unknown_stored_label_counts_as_red() {
        use Tlp::*;
        assert_eq!(highest([]), None);
        assert_eq!(highest([Clear]), Some(Clear));
        assert_eq!(highest([Green, Red, Amber]), Some(Red));
        assert_eq!(highest([Amber, AmberStrict, Clear]), Some(AmberStrict));
        assert_eq!(highest([Green, Clear]), Some(Green));
        assert_eq!(highest([Clear, Tlp::stored("tlp:white")]), Some(Red));
    }

    #[test]
    fn clear_and_green_sessions_carry_title_and_abstract() {
        for label in [Tlp::Clear, Tlp::Green] {
            let out = outside(label, "Title", "Abstract");
            assert_eq!(out, Outside { title: "Title", abstract_text: Some("Abstract"), kind: true });
        }
    }

    #[test]
    fn amber_sessions_carry_the_title_only() {
        for label in [Tlp::Amber, Tlp::AmberStrict] {
            let out = outside(label, "Title", "Secret abstract");
            assert_eq!(out, Outside { title: "Title", abstract_text: None, kind: true });
        }
    }

    #[test]
    fn red_sessions_carry_neither_title_nor_abstract() {
        let out = outside(Tlp::Red, "Secret title", "Secret abstract");
        assert_eq!(out.title, "TLP:RED session — details in the agenda");
        assert_eq!(out.abstract_text, None);
        assert!(!out.kind);
    }

    #[test]
    fn only_a_red_title_is_replaced_when_a_session_is_named_alone() {
        for label in [Tlp::Clear, Tlp::Green, Tlp::Amber, Tlp::AmberStrict] {
            assert_eq!(title_outside(label, "Phishing kits"), "Phishing kits", "{label}");
        }
        assert_eq!(title_outside(Tlp::Red, "Secret title"), RED_PLACEHOLDER);
    }

    #[test]
    fn a_stored_label_that_does_not_parse_counts_as_red() {
        for label in Tlp::ALL {
            assert_eq!(Tlp::stored(label.as_str()), label);
        }
        for bad in ["", "amber", "TLP:WHITE"] {
            assert_eq!(Tlp::stored(bad), Tlp::Red, "{bad:?}");
            assert_eq!(outside(Tlp::stored(bad), "Title", "Abstract").title, RED_PLACEHOLDER);
        }
    }
}
