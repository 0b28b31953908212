//! The registration state machine (who may move a registration where), the per-team cap
//! on places (held by approved attendees and by open waitlist offers) and the rules of an
//! offer: who is next, until when it holds, whether it can still be accepted.

use std::str::FromStr;

use chrono::{Duration, NaiveDate, NaiveDateTime};
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
        /// A place of the team freed and is held for this waitlisted person until they
        /// answer or the offer's deadline passes.
        Offered => "offered", "offered a place";
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
    #[error(
        "This team's {cap} places are taken: an open waitlist offer holds one until the person \
         answers or the offer expires. Wait for the answer, or raise the team's cap."
    )]
    HeldByOffer { cap: i64 },
    /// The meeting requires endorsement by the team's contacts and the registration has
    /// none (`standing` says where it is): approving it needs a reason.
    #[error(
        "This meeting requires endorsement by the team's contacts, and this registration is \
         {standing}. To approve it anyway, give a reason: it is kept in the audit log."
    )]
    NotEndorsed { standing: String },
}

/// Why an offer cannot be accepted or declined, worded for the person it was made to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OfferError {
    #[error(
        "There is no open offer on this registration any more: it was answered, withdrawn or \
         passed on. Its status is below."
    )]
    NotOffered,
    #[error(
        "The deadline to answer this offer has passed: the place goes to the next person on \
         your team's waitlist, and you stay on the waitlist."
    )]
    Expired,
    #[error(
        "Your team's places for this meeting are all taken now (its cap is {cap}), so the \
         place cannot be given. Nothing changed; write to the organizers if you have questions."
    )]
    PlaceGone { cap: i64 },
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
                "Your team has reached its number of places. If a place becomes free, it is offered by email to the first person on your team's waitlist, with a deadline to accept."
            }
            Status::Offered => {
                "A place in your team is free and held for you until the deadline below. Accept it to attend, or decline it so that the next person on the waitlist can have it."
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
        (Status::Pending | Status::Waitlisted | Status::Offered, Decision::Approve)
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

/// [`decide`] with the team's places counted as they are held: `approved` registrations
/// and `offered` ones (open offers), this one excluded each time. A refusal that only an open
/// offer causes says so.
pub fn decide_held(
    from: Status,
    decision: Decision,
    (approved, offered): (i64, i64),
    cap: i64,
) -> Result<Status, TransitionError> {
    match decide(from, decision, approved + offered, cap) {
        Err(TransitionError::CapReached { cap }) if approved < cap => {
            Err(TransitionError::HeldByOffer { cap })
        }
        other => other,
    }
}

/// Whether a registration in `status` holds one of its team's places.
pub fn holds_place(status: Status) -> bool {
    matches!(status, Status::Approved | Status::Offered)
}

/// Whether a place held by a registration is given back by its move from `from` to `to`.
pub fn frees_place(from: Status, to: Status) -> bool {
    holds_place(from) && !holds_place(to)
}

/// Until when an offer made `now` holds, for a meeting that gives `hours` to answer.
pub fn offer_deadline(now: NaiveDateTime, hours: i32) -> NaiveDateTime {
    now + Duration::hours(i64::from(hours.max(1)))
}

/// Whether an offer with this deadline is over `now` (the deadline itself is too late).
pub fn offer_expired(deadline: Option<NaiveDateTime>, now: NaiveDateTime) -> bool {
    deadline.is_none_or(|d| now >= d)
}

/// Whether an offer on a registration in `from` can still be answered `now` (accepted or
/// declined): only an open offer before its deadline.
pub fn answer_offer(
    from: Status,
    deadline: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<(), OfferError> {
    if from != Status::Offered {
        return Err(OfferError::NotOffered);
    }
    if offer_expired(deadline, now) {
        return Err(OfferError::Expired);
    }
    Ok(())
}

/// How many places a change of the team's cap from `before` to `after` frees.
pub fn places_freed(before: i64, after: i64) -> i64 {
    (after - before).max(0)
}

/// The fewest and most hours a meeting may give to answer an offer.
pub const OFFER_HOURS: std::ops::RangeInclusive<i32> = 1..=720;

/// What a meeting gives when the organizer says nothing.
pub const DEFAULT_OFFER_HOURS: i32 = 72;

/// The attendee withdraws: possible until the registration is closed by a decision other
/// than approval.
pub fn withdraw(from: Status) -> Result<Status, TransitionError> {
    match from {
        Status::PendingVerification
        | Status::Pending
        | Status::Waitlisted
        | Status::Offered
        | Status::Approved => Ok(Status::Withdrawn),
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
        Status::PendingVerification
            | Status::Pending
            | Status::Waitlisted
            | Status::Offered
            | Status::Approved
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
    const ALLOWED: [(Status, Decision, Status); 7] = [
        (Status::Pending, Decision::Approve, Status::Approved),
        (Status::Waitlisted, Decision::Approve, Status::Approved),
        (Status::Offered, Decision::Approve, Status::Approved),
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
        for from in [
            Status::PendingVerification,
            Status::Pending,
            Status::Waitlisted,
            Status::Offered,
            Status::Approved,
        ] {
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
                "offered a place",
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

    fn at(hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 5, 1).and_then(|d| d.and_hms_opt(hour, 0, 0)).expect("time")
    }

    #[test]
    fn an_open_offer_holds_a_place_against_the_cap() {
        assert_eq!(
            decide_held(Status::Pending, Decision::Approve, (2, 1), 3),
            Err(TransitionError::HeldByOffer { cap: 3 })
        );
        assert_eq!(
            decide_held(Status::Pending, Decision::Approve, (3, 1), 3),
            Err(TransitionError::CapReached { cap: 3 })
        );
        assert_eq!(decide_held(Status::Pending, Decision::Approve, (1, 1), 3), Ok(Status::Approved));
        assert!(TransitionError::HeldByOffer { cap: 3 }.to_string().contains("open waitlist offer"));
    }

    #[test]
    fn accepting_an_offer_is_an_approval_that_counts_the_other_places() {
        assert_eq!(decide_held(Status::Offered, Decision::Approve, (2, 0), 3), Ok(Status::Approved));
        assert_eq!(
            decide_held(Status::Offered, Decision::Approve, (3, 0), 3),
            Err(TransitionError::CapReached { cap: 3 })
        );
    }

    #[test]
    fn approved_and_offered_registrations_hold_places() {
        for status in Status::ALL {
            assert_eq!(holds_place(status), matches!(status, Status::Approved | Status::Offered), "{status}");
        }
        assert!(frees_place(Status::Approved, Status::Withdrawn));
        assert!(frees_place(Status::Approved, Status::Revoked));
        assert!(frees_place(Status::Offered, Status::Waitlisted));
        assert!(!frees_place(Status::Offered, Status::Approved));
        assert!(!frees_place(Status::Waitlisted, Status::Withdrawn));
        assert!(!frees_place(Status::Pending, Status::Rejected));
    }

    #[test]
    fn an_offer_holds_for_the_meetings_hours_and_not_at_its_deadline() {
        let deadline = offer_deadline(at(9), 3);
        assert_eq!(deadline, at(12));
        assert!(!offer_expired(Some(deadline), at(11)));
        assert!(offer_expired(Some(deadline), at(12)));
        assert!(offer_expired(None, at(1)), "an offer without a deadline is over");
        assert_eq!(offer_deadline(at(9), 0), at(10), "at least one hour");
    }

    #[test]
    fn only_an_open_offer_before_its_deadline_can_be_answered() {
        let deadline = Some(at(12));
        assert_eq!(answer_offer(Status::Offered, deadline, at(11)), Ok(()));
        assert_eq!(answer_offer(Status::Offered, deadline, at(12)), Err(OfferError::Expired));
        for status in Status::ALL.into_iter().filter(|s| *s != Status::Offered) {
            assert_eq!(answer_offer(status, deadline, at(11)), Err(OfferError::NotOffered), "{status}");
        }
    }

    #[test]
    fn raising_a_cap_frees_the_difference_and_lowering_it_frees_nothing() {
        assert_eq!(places_freed(3, 5), 2);
        assert_eq!(places_freed(3, 3), 0);
        assert_eq!(places_freed(5, 3), 0);
    }
}
