//! The call for contributions and its proposals: the call's window and kinds, what a
//! proposal may hold (title, abstract, kind, duration, label), its states, the organizers'
//! scores, and how a proposal is named wherever it leaves the app (T1, like a session).

use chrono::NaiveDateTime;

use super::{
    agenda::Kind,
    registration::Status,
    text::{self, TextError},
    tlp::Tlp,
    words::word_enum,
};

/// The kinds a call offers until the organizers change them (issue 17).
pub const DEFAULT_KINDS: [&str; 5] =
    ["Presentation", "Team update", "Case study", "Panel proposal", "Lightning talk"];

/// The durations a proposer may ask for, in minutes.
pub const DURATIONS: [i32; 7] = [10, 15, 20, 30, 45, 60, 90];

pub const TITLE_MAX: usize = 200;
pub const ABSTRACT_MAX: usize = 5000;
const KIND_MAX: usize = 60;
const KINDS_MAX: usize = 20;
/// An organizer's comment or a decision's message.
pub const MESSAGE_MAX: usize = 4000;

word_enum!(
    /// Where a proposal stands. The proposer edits it while it is `submitted` (call open)
    /// or `changes_requested` (until they answer); a decision moves it on.
    State, "a proposal state" {
        Submitted => "submitted", "submitted";
        ChangesRequested => "changes_requested", "changes requested";
        Accepted => "accepted", "accepted";
        Rejected => "rejected", "rejected";
        Withdrawn => "withdrawn", "withdrawn";
    }
);

word_enum!(
    /// What an organizer decides on a proposal.
    Decision, "a decision on a proposal" {
        Accept => "accept", "Accept";
        Reject => "reject", "Reject";
        AskForChanges => "ask_for_changes", "Ask for changes";
    }
);

impl Decision {
    /// The state the decision moves a proposal to.
    pub fn state(self) -> State {
        match self {
            Decision::Accept => State::Accepted,
            Decision::Reject => State::Rejected,
            Decision::AskForChanges => State::ChangesRequested,
        }
    }

    /// Which states it may be taken from: no decision on a withdrawn proposal, and an
    /// accepted one (its session exists) is not decided again.
    pub fn allowed_from(self, from: State) -> bool {
        matches!(from, State::Submitted | State::ChangesRequested)
            || (from == State::Rejected && self != Decision::Reject)
    }
}

/// The statuses of a registration whose person can be named a co-speaker: everyone still
/// registered (not rejected, withdrawn, revoked, nor an unconfirmed address).
pub const SPEAKER_STATUSES: [Status; 4] =
    [Status::Pending, Status::Approved, Status::Waitlisted, Status::Offered];

/// Why a co-speaker's link, valid as a link, confirms nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ConfirmRefusal {
    #[error(
        "The organizers have already decided on this proposal, so confirming now would change \
         nothing. If you are to speak, ask the organizers to list you on the session."
    )]
    Decided,
    #[error("The proposal was withdrawn: there is nothing to confirm.")]
    Withdrawn,
    #[error("Your registration for this meeting is {0}, so you cannot be listed as a speaker.")]
    NotRegistered(&'static str),
}

/// Whether a co-speaker may still confirm: while the proposal waits for a decision, and
/// while their own registration stands.
pub fn may_confirm(proposal: State, speaker: Status) -> Result<(), ConfirmRefusal> {
    match proposal {
        State::Accepted | State::Rejected => return Err(ConfirmRefusal::Decided),
        State::Withdrawn => return Err(ConfirmRefusal::Withdrawn),
        State::Submitted | State::ChangesRequested => {}
    }
    if !SPEAKER_STATUSES.contains(&speaker) {
        return Err(ConfirmRefusal::NotRegistered(speaker.label()));
    }
    Ok(())
}

/// The open and close instants of a call, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub opens_at: NaiveDateTime,
    pub closes_at: NaiveDateTime,
}

impl Window {
    /// Open from `opens_at` (inclusive) until `closes_at` (exclusive).
    pub fn is_open(&self, now: NaiveDateTime) -> bool {
        self.opens_at <= now && now < self.closes_at
    }
}

/// Whether the proposer may still change their proposal: while the call is open and it
/// waits for a decision, or after the organizers asked for changes (their request
/// reopens it, even once the call closed).
pub fn editable(state: State, window: Option<Window>, now: NaiveDateTime) -> bool {
    match state {
        State::Submitted => window.is_some_and(|w| w.is_open(now)),
        State::ChangesRequested => true,
        State::Accepted | State::Rejected | State::Withdrawn => false,
    }
}

/// Whether the proposer may withdraw it: any time, unless it is withdrawn already.
pub fn withdrawable(state: State) -> bool {
    state != State::Withdrawn
}

/// A refused value of a proposal or of a call, with the message shown beside its field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProposalError {
    #[error("{0}")]
    Text(#[from] TextError),
    #[error("Enter a title.")]
    NoTitle,
    #[error("The title can be at most {TITLE_MAX} characters long.")]
    LongTitle,
    #[error("The abstract can be at most {ABSTRACT_MAX} characters long.")]
    LongAbstract,
    #[error("Choose one of the kinds of this call.")]
    Kind,
    #[error("Choose one of the durations offered: 10, 15, 20, 30, 45, 60 or 90 minutes.")]
    Duration,
    #[error("Choose one of the five TLP labels.")]
    Label,
    #[error("List at least one kind, one per line.")]
    NoKinds,
    #[error("List at most {KINDS_MAX} kinds.")]
    ManyKinds,
    #[error("A kind can be at most {KIND_MAX} characters long; “{0}” is longer.")]
    LongKind(String),
    #[error("“{0}” is listed twice.")]
    SameKind(String),
    #[error("Give a score from 1 to 5.")]
    Score,
    #[error("The call must close after it opens.")]
    ClosesBeforeOpening,
}

pub fn parse_title(raw: &str) -> Result<String, ProposalError> {
    let title = text::single_line(raw)?;
    if title.is_empty() {
        Err(ProposalError::NoTitle)
    } else if title.chars().count() > TITLE_MAX {
        Err(ProposalError::LongTitle)
    } else {
        Ok(title)
    }
}

pub fn parse_abstract(raw: &str) -> Result<String, ProposalError> {
    let text = text::multi_line(raw)?;
    if text.chars().count() > ABSTRACT_MAX { Err(ProposalError::LongAbstract) } else { Ok(text) }
}

/// One of the call's `kinds`, exactly as listed.
pub fn parse_kind(raw: &str, kinds: &[String]) -> Result<String, ProposalError> {
    kinds.iter().find(|k| *k == raw.trim()).cloned().ok_or(ProposalError::Kind)
}

/// One of [`DURATIONS`].
pub fn parse_minutes(raw: &str) -> Result<i32, ProposalError> {
    raw.trim().parse::<i32>().ok().filter(|m| DURATIONS.contains(m)).ok_or(ProposalError::Duration)
}

/// One of the five labels, exactly spelled (T2).
pub fn parse_label(raw: &str) -> Result<Tlp, ProposalError> {
    raw.parse().map_err(|_| ProposalError::Label)
}

/// A score from 1 to 5.
pub fn parse_score(raw: &str) -> Result<i32, ProposalError> {
    raw.trim().parse::<i32>().ok().filter(|s| (1..=5).contains(s)).ok_or(ProposalError::Score)
}

/// The call's kinds as the organizer lists them, one per line: blank lines skipped, each
/// trimmed, no duplicates.
pub fn parse_kinds(raw: &str) -> Result<Vec<String>, ProposalError> {
    let mut kinds: Vec<String> = Vec::new();
    for line in raw.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let kind = text::single_line(line)?;
        if kind.chars().count() > KIND_MAX {
            return Err(ProposalError::LongKind(kind));
        }
        if kinds.iter().any(|k| k.eq_ignore_ascii_case(&kind)) {
            return Err(ProposalError::SameKind(kind));
        }
        kinds.push(kind);
    }
    match kinds.len() {
        0 => Err(ProposalError::NoKinds),
        n if n > KINDS_MAX => Err(ProposalError::ManyKinds),
        _ => Ok(kinds),
    }
}

/// The call's kinds as stored, one per line.
pub fn stored_kinds(stored: &str) -> Vec<String> {
    stored.lines().map(str::to_owned).collect()
}

/// The agenda kind an accepted proposal's session gets: the default kinds map to their
/// slot; a kind the organizers added is a talk until they change it in the editor.
pub fn session_kind(kind: &str) -> Kind {
    match kind.to_lowercase().as_str() {
        "team update" => Kind::TeamUpdate,
        "panel proposal" | "panel" => Kind::Panel,
        _ => Kind::Talk,
    }
}

/// T1 for a proposal: how mail, audit rows, logs and page titles name it. The title when
/// its label lets a title out (all but TLP:RED), otherwise the neutral "proposal #id".
pub fn name_outside(id: i64, label: Tlp, title: &str) -> String {
    if label == Tlp::Red { format!("proposal #{id} (TLP:RED)") } else { format!("“{title}”") }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    #[test]
    fn a_co_speaker_confirms_only_before_the_decision_and_while_registered() {
        assert_eq!(may_confirm(State::Submitted, Status::Approved), Ok(()));
        assert_eq!(may_confirm(State::ChangesRequested, Status::Pending), Ok(()));
        assert_eq!(may_confirm(State::Accepted, Status::Approved), Err(ConfirmRefusal::Decided));
        assert_eq!(may_confirm(State::Rejected, Status::Approved), Err(ConfirmRefusal::Decided));
        assert_eq!(may_confirm(State::Withdrawn, Status::Approved), Err(ConfirmRefusal::Withdrawn));
        for gone in [Status::Withdrawn, Status::Revoked, Status::Rejected, Status::PendingVerification] {
            assert_eq!(may_confirm(State::Submitted, gone), Err(ConfirmRefusal::NotRegistered(gone.label())));
        }
        let refusal = may_confirm(State::Submitted, Status::Withdrawn).unwrap_err().to_string();
        assert!(refusal.contains("is withdrawn"), "{refusal}");
    }

    fn at(h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, 1).and_then(|d| d.and_hms_opt(h, 0, 0)).expect("valid")
    }

    #[test]
    fn a_call_is_open_from_its_opening_until_just_before_its_close() {
        let w = Window { opens_at: at(9), closes_at: at(17) };
        assert!(!w.is_open(at(8)));
        assert!(w.is_open(at(9)));
        assert!(w.is_open(at(16)));
        assert!(!w.is_open(at(17)));
    }

    #[test]
    fn a_proposal_is_edited_while_the_call_is_open_or_after_a_request_for_changes() {
        let w = Some(Window { opens_at: at(9), closes_at: at(17) });
        assert!(editable(State::Submitted, w, at(10)));
        assert!(!editable(State::Submitted, w, at(17)), "closed");
        assert!(!editable(State::Submitted, None, at(10)), "no call");
        assert!(editable(State::ChangesRequested, w, at(20)));
        for s in [State::Accepted, State::Rejected, State::Withdrawn] {
            assert!(!editable(s, w, at(10)), "{s}");
        }
        assert!(withdrawable(State::Accepted));
        assert!(!withdrawable(State::Withdrawn));
    }

    #[test]
    fn decisions_move_a_proposal_on_but_never_from_withdrawn_or_accepted() {
        assert_eq!(Decision::AskForChanges.state(), State::ChangesRequested);
        for d in Decision::ALL {
            assert!(d.allowed_from(State::Submitted));
            assert!(!d.allowed_from(State::Withdrawn));
            assert!(!d.allowed_from(State::Accepted));
        }
        assert!(Decision::Accept.allowed_from(State::Rejected));
        assert!(!Decision::Reject.allowed_from(State::Rejected));
    }

    #[test]
    fn only_the_offered_choices_are_taken() {
        let kinds: Vec<String> = DEFAULT_KINDS.iter().map(|k| (*k).to_owned()).collect();
        assert_eq!(parse_kind("Case study", &kinds), Ok("Case study".into()));
        assert_eq!(parse_kind("Keynote", &kinds), Err(ProposalError::Kind));
        assert_eq!(parse_minutes("45"), Ok(45));
        for bad in ["0", "25", "600", "-10", "half an hour", ""] {
            assert_eq!(parse_minutes(bad), Err(ProposalError::Duration), "{bad}");
        }
        assert_eq!(parse_label("TLP:AMBER+STRICT"), Ok(Tlp::AmberStrict));
        assert_eq!(parse_label("TLP:WHITE"), Err(ProposalError::Label));
        assert_eq!(parse_score("5"), Ok(5));
        assert_eq!(parse_score("6"), Err(ProposalError::Score));
        assert_eq!(parse_score("0"), Err(ProposalError::Score));
    }

    #[test]
    fn a_title_is_required_one_line_and_bounded() {
        assert_eq!(parse_title("  Sharing at scale "), Ok("Sharing at scale".into()));
        assert_eq!(parse_title("   "), Err(ProposalError::NoTitle));
        assert_eq!(parse_title(&"x".repeat(TITLE_MAX + 1)), Err(ProposalError::LongTitle));
        assert!(parse_title("two\nlines").is_err());
        assert!(parse_abstract(&"y".repeat(ABSTRACT_MAX + 1)).is_err());
        assert_eq!(parse_abstract("Line one\nLine two"), Ok("Line one\nLine two".into()));
    }

    #[test]
    fn kinds_are_read_one_per_line_without_duplicates() {
        assert_eq!(parse_kinds("Talk\n\n  Demo \n"), Ok(vec!["Talk".into(), "Demo".into()]));
        assert_eq!(parse_kinds(" \n"), Err(ProposalError::NoKinds));
        assert_eq!(parse_kinds("Talk\ntalk"), Err(ProposalError::SameKind("talk".into())));
        assert!(matches!(parse_kinds(&"k".repeat(61)), Err(ProposalError::LongKind(_))));
        assert_eq!(stored_kinds("Talk\nDemo"), ["Talk", "Demo"]);
    }

    #[test]
    fn the_default_kinds_map_to_agenda_slots() {
        assert_eq!(session_kind("Team update"), Kind::TeamUpdate);
        assert_eq!(session_kind("Panel proposal"), Kind::Panel);
        assert_eq!(session_kind("Case study"), Kind::Talk);
        assert_eq!(session_kind("Tabletop exercise"), Kind::Talk);
    }

    #[test]
    fn a_red_proposal_is_named_outside_by_its_number_only() {
        assert_eq!(name_outside(7, Tlp::Red, "Secret op"), "proposal #7 (TLP:RED)");
        assert_eq!(name_outside(7, Tlp::AmberStrict, "Ops"), "“Ops”");
        for word in State::ALL {
            assert_eq!(word.as_str().parse::<State>(), Ok(word));
        }
    }
}
