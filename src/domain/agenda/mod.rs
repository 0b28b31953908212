//! The agenda's vocabulary: session kinds and statuses, the default tracks a meeting starts
//! with and the colours a track may take. Conflicts, release change lists and the day's
//! grid scaled to time are in the submodules.

pub mod changes;
pub mod conflicts;
pub mod grid;

use super::words::word_enum;

word_enum!(
    /// What sort of slot a session is.
    Kind, "a kind of session" {
        Talk => "talk", "Talk";
        Panel => "panel", "Panel";
        TeamUpdate => "team_update", "Team update";
        Breakout => "breakout", "Breakout";
        Break => "break", "Break";
        Meal => "meal", "Meal";
        Social => "social", "Social event";
    }
);

impl Kind {
    /// Whether an attendee picks it into their agenda: breaks and meals are everyone's,
    /// there is nothing to choose, so the pages offer no button for them.
    pub fn is_pickable(self) -> bool {
        !matches!(self, Kind::Break | Kind::Meal)
    }

    /// The rule behind the missing button, for a pick that comes anyway (an old page, a
    /// hand-made request): refused, and nothing written. Taking one off is always allowed.
    pub fn may_pick(self) -> Result<(), NotPickable> {
        if self.is_pickable() { Ok(()) } else { Err(NotPickable(self)) }
    }
}

/// A break or a meal sent to "add to my agenda".
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "A {} is for everyone, so it is not added to an agenda: it is on every attendee's \
     program already. Nothing was changed.",
    .0.label().to_lowercase()
)]
pub struct NotPickable(pub Kind);

word_enum!(
    /// Whether a session takes place.
    SessionStatus, "a session status" {
        Scheduled => "scheduled", "scheduled";
        Cancelled => "cancelled", "cancelled";
    }
);

word_enum!(
    /// The colours a track may take; each is a class in the stylesheet, because the CSP
    /// forbids inline styles.
    Colour, "a track colour" {
        Blue => "blue", "Blue";
        Teal => "teal", "Teal";
        Green => "green", "Green";
        Purple => "purple", "Purple";
        Orange => "orange", "Orange";
        Pink => "pink", "Pink";
        Grey => "grey", "Grey";
    }
);

impl Colour {
    pub fn css_class(self) -> String {
        format!("track-{}", self.as_str())
    }
}

/// The tracks every meeting starts with: (name, colour, description).
pub const DEFAULT_TRACKS: [(&str, Colour, &str); 4] = [
    ("Information Sharing", Colour::Blue, "How national teams exchange information, and what stops them."),
    ("Technical Exchange", Colour::Teal, "Tools, techniques and incidents, from team to team."),
    ("Capability Development", Colour::Green, "Building and growing a national CSIRT."),
    ("The Future of National CSIRTs", Colour::Purple, "Where national teams are going, together."),
];

/// Speakers as an organizer types them, one per line: "Name (Team)" or just "Name".
/// Returns (name, team) pairs; blank lines are skipped.
pub fn parse_speakers(text: &str) -> Result<Vec<(String, String)>, String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| {
            let (name, team) = match line.strip_suffix(')').and_then(|l| l.rsplit_once('(')) {
                Some((name, team)) => (name.trim(), team.trim()),
                None => (line, ""),
            };
            if name.is_empty() || name.contains(['(', ')']) || team.contains(['(', ')']) {
                return Err(format!("Write each speaker as “Name (Team)” on its own line; “{line}” is not."));
            }
            if name.chars().count() > 120 || team.chars().count() > 120 {
                return Err(format!("“{line}” is too long for a speaker."));
            }
            Ok((name.to_owned(), team.to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speakers_are_read_one_per_line_with_an_optional_team() {
        let list = parse_speakers("Ana Silva (CERT.br)\n\n  Bo Lind \nKim (KrCERT/CC)\n").expect("valid");
        assert_eq!(
            list,
            [
                ("Ana Silva".to_owned(), "CERT.br".to_owned()),
                ("Bo Lind".to_owned(), String::new()),
                ("Kim".to_owned(), "KrCERT/CC".to_owned())
            ]
        );
        assert_eq!(parse_speakers("  \n"), Ok(vec![]));
    }

    #[test]
    fn a_speaker_line_with_stray_brackets_is_refused() {
        assert!(parse_speakers("Ana (CERT.br").is_err());
        assert!(parse_speakers("(CERT.br)").is_err());
        assert!(parse_speakers("Ana ((x))").is_err());
    }

    #[test]
    fn every_word_round_trips_through_its_stored_form() {
        for k in Kind::ALL {
            assert_eq!(k.as_str().parse::<Kind>(), Ok(k));
        }
        for s in SessionStatus::ALL {
            assert_eq!(s.as_str().parse::<SessionStatus>(), Ok(s));
        }
        for c in Colour::ALL {
            assert_eq!(c.as_str().parse::<Colour>(), Ok(c));
        }
        let err = "keynote".parse::<Kind>().expect_err("not a kind");
        assert_eq!(err.to_string(), "“keynote” is not a kind of session.");
        assert!("Talk".parse::<Kind>().is_err(), "a label is not a stored word");
    }

    #[test]
    fn breaks_and_meals_are_not_picked() {
        let pickable: Vec<Kind> = Kind::ALL.into_iter().filter(|k| k.is_pickable()).collect();
        assert_eq!(pickable, [Kind::Talk, Kind::Panel, Kind::TeamUpdate, Kind::Breakout, Kind::Social]);
        for k in Kind::ALL {
            assert_eq!(k.may_pick().is_ok(), k.is_pickable(), "{k:?}");
        }
        assert_eq!(
            Kind::Meal.may_pick().expect_err("refused").to_string(),
            "A meal is for everyone, so it is not added to an agenda: it is on every attendee's \
             program already. Nothing was changed."
        );
        assert!(
            Kind::Break.may_pick().expect_err("refused").to_string().starts_with("A break is for everyone")
        );
    }

    #[test]
    fn a_meeting_starts_with_the_four_tracks_of_the_natcsirt_meeting() {
        let names: Vec<&str> = DEFAULT_TRACKS.iter().map(|t| t.0).collect();
        assert_eq!(
            names,
            [
                "Information Sharing",
                "Technical Exchange",
                "Capability Development",
                "The Future of National CSIRTs"
            ]
        );
        assert_eq!(Colour::Teal.css_class(), "track-teal");
    }
}
