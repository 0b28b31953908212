//! Traffic Light Protocol 2.0 labels on sessions: written exactly as TLP 2.0 writes them,
//! never translated, and shown as coloured text on black (`CALENDAR.md` T2).

use std::{fmt, str::FromStr};

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tlp {
    Clear,
    Green,
    Amber,
    AmberStrict,
    Red,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{0}” is not a TLP label; use TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT or TLP:RED.")]
pub struct UnknownLabel(pub String);

impl Tlp {
    /// From the least to the most restricted.
    pub const ALL: [Tlp; 5] = [Tlp::Clear, Tlp::Green, Tlp::Amber, Tlp::AmberStrict, Tlp::Red];

    /// A session's label unless the organizer chooses another.
    pub const DEFAULT: Tlp = Tlp::Amber;

    pub fn as_str(self) -> &'static str {
        match self {
            Tlp::Clear => "TLP:CLEAR",
            Tlp::Green => "TLP:GREEN",
            Tlp::Amber => "TLP:AMBER",
            Tlp::AmberStrict => "TLP:AMBER+STRICT",
            Tlp::Red => "TLP:RED",
        }
    }

    /// The stylesheet class that colours the label (`assets/style.css`).
    pub fn css_class(self) -> &'static str {
        match self {
            Tlp::Clear => "tlp-clear",
            Tlp::Green => "tlp-green",
            Tlp::Amber => "tlp-amber",
            Tlp::AmberStrict => "tlp-amber-strict",
            Tlp::Red => "tlp-red",
        }
    }
}

impl FromStr for Tlp {
    type Err = UnknownLabel;

    fn from_str(raw: &str) -> Result<Tlp, UnknownLabel> {
        Tlp::ALL.into_iter().find(|t| t.as_str() == raw.trim()).ok_or_else(|| UnknownLabel(raw.to_owned()))
    }
}

impl fmt::Display for Tlp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Tlp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_written_exactly_as_tlp_2_writes_them() {
        let written: Vec<&str> = Tlp::ALL.iter().map(|t| t.as_str()).collect();
        assert_eq!(written, ["TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED"]);
        for t in Tlp::ALL {
            assert_eq!(t.as_str().parse::<Tlp>(), Ok(t));
            assert_eq!(t.to_string(), t.as_str());
        }
    }

    #[test]
    fn other_spellings_are_refused() {
        for raw in ["TLP:WHITE", "tlp:red", "AMBER", "TLP:AMBER STRICT", ""] {
            assert!(raw.parse::<Tlp>().is_err(), "{raw}");
        }
    }

    #[test]
    fn the_default_label_is_amber() {
        assert_eq!(Tlp::DEFAULT, Tlp::Amber);
    }
}
