//! The registration state machine (who may move a registration where) and the per-team
//! cap on approved attendees.

use std::str::FromStr;

use chrono::NaiveDate;
use serde::Serialize;

use super::words::word_enum;

word_enum!(
    /// Where a registration stands. Stored as [`Status::as_str`]; shown as [`Status::label`].
    Status, "a registration status" {
        /// Registered, but the address is not confirmed yet.
        PendingVerification => "pending_verification", "email not yet confirmed";
        /// Confirmed and waiting for an organizer.
        Pending => "pending", "pending review";
        Approved => "approved", "approved";
        Waitlisted => "waitlisted", "waitlisted";
        Rejected => "rejected", "rejected";
        Withdrawn => "withdrawn", "withdrawn";
        Revoked => "revoked", "revoked";
    }
);

/// What an organizer decides about a registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approve,
    Waitlist,
    Reject,
    Revoke,
}

/// Why a transition was refused, worded for the organizer (or attendee) who asked for it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("A registration cannot go from “{}” to “{}”.", .from.label(), .to.label())]
    NotAllowed { from: Status, to: Status },
    #[error("{}", cap_message(*.cap))]
    CapReached { cap: i64 },
}

/// A form value that names no decision.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{0}” is not a registration decision.")]
pub struct UnknownValue(pub String);

impl Status {
    /// Whether the registration waits for an organizer's decision: the queue shows these
    /// first.
    pub fn needs_decision(self) -> bool {
        self == Self::Pending
    }

    /// What happens next for a registration in this status, in the words of the
    /// attendee's page and of the decision email.
    pub fn next_step(self) -> &'static str {
        match self {
            Status::PendingVerification => "Confirm your email address with the link we sent you.",
            Status::Pending => {
                "The organizers review your registration. You will receive an email when they decide."
            }
            Status::Approved => "You are confirmed to attend. The agenda and the calendar links follow here.",
            Status::Waitlisted => {
                "Your team has reached its number of places. If a place becomes free, the organizers approve you and send an email."
            }
            Status::Rejected | Status::Revoked => {
                "You cannot attend this meeting. Write to the organizers if you have questions."
            }
            Status::Withdrawn => "You withdrew. Nothing more happens.",
        }
    }
}

impl Decision {
    pub const ALL: [Decision; 4] =
        [Decision::Approve, Decision::Waitlist, Decision::Reject, Decision::Revoke];

    /// The form value.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::Waitlist => "waitlist",
            Decision::Reject => "reject",
            Decision::Revoke => "revoke",
        }
    }

    /// The status a registration takes when the decision goes through.
    pub fn target(self) -> Status {
        match self {
            Decision::Approve => Status::Approved,
            Decision::Waitlist => Status::Waitlisted,
            Decision::Reject => Status::Rejected,
            Decision::Revoke => Status::Revoked,
        }
    }
}

impl FromStr for Decision {
    type Err = UnknownValue;

    fn from_str(raw: &str) -> Result<Decision, UnknownValue> {
        Decision::ALL
            .into_iter()
            .find(|decision| decision.as_str() == raw)
            .ok_or_else(|| UnknownValue(raw.to_owned()))
    }
}

/// Applies an organizer's `decision` to a registration in status `from`.
/// `approved_in_team` counts the team's approved registrations for this meeting, this one
/// excluded; an approval needs it below `cap`.
pub fn decide(
    from: Status,
    decision: Decision,
    approved_in_team: i64,
    cap: i64,
) -> Result<Status, TransitionError> {
    let to = decision.target();
    let allowed = matches!(
        (from, decision),
        (Status::Pending | Status::Waitlisted, Decision::Approve)
            | (Status::Pending, Decision::Waitlist)
            | (Status::Pending | Status::Waitlisted, Decision::Reject)
            | (Status::Approved, Decision::Revoke)
    );
    if !allowed {
        return Err(TransitionError::NotAllowed { from, to });
    }
    if decision == Decision::Approve && approved_in_team >= cap {
        return Err(TransitionError::CapReached { cap });
    }
    Ok(to)
}

/// The attendee withdraws: possible until the registration is closed by a decision other
/// than approval.
pub fn withdraw(from: Status) -> Result<Status, TransitionError> {
    match from {
        Status::PendingVerification | Status::Pending | Status::Waitlisted | Status::Approved => {
            Ok(Status::Withdrawn)
        }
        Status::Rejected | Status::Withdrawn | Status::Revoked => {
            Err(TransitionError::NotAllowed { from, to: Status::Withdrawn })
        }
    }
}

/// Whether the attendee may still change their answers: while the registration is open
/// (not closed by a decision or a withdrawal) and before the meeting's first day begins in
/// the meeting's own zone (`local_today`).
pub fn details_editable(status: Status, local_today: NaiveDate, first_day: NaiveDate) -> bool {
    let open = matches!(
        status,
        Status::PendingVerification | Status::Pending | Status::Waitlisted | Status::Approved
    );
    open && local_today < first_day
}

/// Whether the organizer must give a reason: the attendee is told why they cannot come.
pub fn reason_required(decision: Decision) -> bool {
    matches!(decision, Decision::Reject | Decision::Revoke)
}

/// How many registrations of a team may be approved for a meeting: the team's own override
/// when set, the meeting's default otherwise. A negative value counts as 0.
pub fn effective_cap(team_override: Option<i32>, meeting_default: i32) -> i64 {
    i64::from(team_override.unwrap_or(meeting_default)).max(0)
}

fn cap_message(cap: i64) -> String {
    let attendees = if cap == 1 { "attendee" } else { "attendees" };
    format!(
        "This team already has {cap} approved {attendees}, its cap for this meeting; \
         waitlist the registration or raise the team's cap."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every (from, decision) pair `decide` accepts, with room under the cap.
    const ALLOWED: [(Status, Decision, Status); 6] = [
        (Status::Pending, Decision::Approve, Status::Approved),
        (Status::Waitlisted, Decision::Approve, Status::Approved),
        (Status::Pending, Decision::Waitlist, Status::Waitlisted),
        (Status::Pending, Decision::Reject, Status::Rejected),
        (Status::Waitlisted, Decision::Reject, Status::Rejected),
        (Status::Approved, Decision::Revoke, Status::Revoked),
    ];

    #[test]
    fn every_allowed_decision_reaches_its_status() {
        for (from, decision, to) in ALLOWED {
            assert_eq!(decide(from, decision, 0, 3), Ok(to), "{from:?} + {decision:?}");
        }
    }

    #[test]
    fn every_other_decision_is_refused() {
        for from in Status::ALL {
            for decision in Decision::ALL {
                if ALLOWED.iter().any(|(f, d, _)| (*f, *d) == (from, decision)) {
                    continue;
                }
                assert_eq!(
                    decide(from, decision, 0, 3),
                    Err(TransitionError::NotAllowed { from, to: decision.target() }),
                    "{from:?} + {decision:?}"
                );
            }
        }
    }

    #[test]
    fn a_refused_transition_names_both_states_as_people_see_them() {
        let err = decide(Status::Withdrawn, Decision::Approve, 0, 3).expect_err("refused");
        assert_eq!(err.to_string(), "A registration cannot go from “withdrawn” to “approved”.");
        let err = decide(Status::PendingVerification, Decision::Approve, 0, 3).expect_err("refused");
        assert_eq!(err.to_string(), "A registration cannot go from “email not yet confirmed” to “approved”.");
    }

    #[test]
    fn approving_below_the_team_cap_is_allowed() {
        assert_eq!(decide(Status::Pending, Decision::Approve, 2, 3), Ok(Status::Approved));
    }

    #[test]
    fn approving_past_the_team_cap_is_refused() {
        assert_eq!(
            decide(Status::Pending, Decision::Approve, 3, 3),
            Err(TransitionError::CapReached { cap: 3 })
        );
        assert_eq!(
            decide(Status::Waitlisted, Decision::Approve, 4, 3),
            Err(TransitionError::CapReached { cap: 3 })
        );
        assert_eq!(
            TransitionError::CapReached { cap: 3 }.to_string(),
            "This team already has 3 approved attendees, its cap for this meeting; waitlist the \
             registration or raise the team's cap."
        );
        assert!(TransitionError::CapReached { cap: 1 }.to_string().contains("1 approved attendee,"));
    }

    #[test]
    fn a_cap_of_zero_allows_no_approval() {
        assert_eq!(
            decide(Status::Pending, Decision::Approve, 0, 0),
            Err(TransitionError::CapReached { cap: 0 })
        );
    }

    #[test]
    fn the_cap_only_limits_approvals() {
        assert_eq!(decide(Status::Pending, Decision::Waitlist, 9, 3), Ok(Status::Waitlisted));
        assert_eq!(decide(Status::Pending, Decision::Reject, 9, 3), Ok(Status::Rejected));
        assert_eq!(decide(Status::Approved, Decision::Revoke, 9, 3), Ok(Status::Revoked));
    }

    #[test]
    fn a_refused_transition_wins_over_a_full_cap() {
        assert_eq!(
            decide(Status::Approved, Decision::Approve, 3, 3),
            Err(TransitionError::NotAllowed { from: Status::Approved, to: Status::Approved })
        );
    }

    #[test]
    fn an_open_or_approved_registration_can_be_withdrawn() {
        for from in [Status::PendingVerification, Status::Pending, Status::Waitlisted, Status::Approved] {
            assert_eq!(withdraw(from), Ok(Status::Withdrawn), "{from:?}");
        }
    }

    #[test]
    fn a_closed_registration_cannot_be_withdrawn() {
        for from in [Status::Rejected, Status::Withdrawn, Status::Revoked] {
            assert_eq!(
                withdraw(from),
                Err(TransitionError::NotAllowed { from, to: Status::Withdrawn }),
                "{from:?}"
            );
        }
    }

    #[test]
    fn rejecting_and_revoking_need_a_reason() {
        assert!(reason_required(Decision::Reject));
        assert!(reason_required(Decision::Revoke));
        assert!(!reason_required(Decision::Approve));
        assert!(!reason_required(Decision::Waitlist));
    }

    #[test]
    fn the_team_override_wins_over_the_meeting_default() {
        assert_eq!(effective_cap(Some(5), 3), 5);
        assert_eq!(effective_cap(Some(0), 3), 0);
        assert_eq!(effective_cap(None, 3), 3);
        assert_eq!(effective_cap(Some(-1), 3), 0);
    }

    #[test]
    fn a_status_round_trips_through_its_stored_form() {
        for status in Status::ALL {
            assert_eq!(status.as_str().parse::<Status>(), Ok(status));
            assert_eq!(status.to_string(), status.as_str());
            assert_eq!(
                serde_json::to_string(&status).expect("serializable"),
                format!("\"{}\"", status.as_str())
            );
        }
        assert!("Approved".parse::<Status>().is_err(), "the label is not the stored word");
    }

    #[test]
    fn statuses_are_labelled_in_plain_words() {
        let labels: Vec<&str> = Status::ALL.iter().map(|status| status.label()).collect();
        assert_eq!(
            labels,
            [
                "email not yet confirmed",
                "pending review",
                "approved",
                "waitlisted",
                "rejected",
                "withdrawn",
                "revoked"
            ]
        );
    }

    #[test]
    fn a_decision_round_trips_through_its_form_value() {
        for decision in Decision::ALL {
            assert_eq!(decision.as_str().parse::<Decision>(), Ok(decision));
        }
        assert!("delete".parse::<Decision>().is_err());
    }

    #[test]
    fn details_can_change_until_the_first_day_of_the_meeting() {
        let first = NaiveDate::from_ymd_opt(2026, 6, 20).expect("date");
        let eve = NaiveDate::from_ymd_opt(2026, 6, 19).expect("date");
        assert!(details_editable(Status::Approved, eve, first));
        assert!(!details_editable(Status::Approved, first, first));
        assert!(!details_editable(Status::Approved, first.succ_opt().expect("date"), first));
    }

    #[test]
    fn a_closed_registration_cannot_change_its_details() {
        let first = NaiveDate::from_ymd_opt(2026, 6, 20).expect("date");
        let early = NaiveDate::from_ymd_opt(2026, 5, 1).expect("date");
        for status in Status::ALL {
            let open = !matches!(status, Status::Rejected | Status::Withdrawn | Status::Revoked);
            assert_eq!(details_editable(status, early, first), open, "{status}");
        }
    }
}
