//! The attendee's side of the call for contributions (`/meetings/{slug}/proposals`): the
//! call and the person's own proposals, a new proposal, editing and withdrawing one, and a
//! co-speaker's confirmation by the mailed link (`/speakers/{token}`).
//!
//! Who may propose: an approved attendee of the meeting, or one whose registration waits
//! for review when the organizers allow it on the call. Organizers and reviewers propose
//! nothing here (they have no registration); everyone else gets 403.

mod co_speakers;
pub mod confirm;
mod edit;
mod form;
pub(crate) mod mail;
mod submit;

use chrono_tz::Tz;
use serde::Serialize;

pub use co_speakers::remove as remove_speaker;
pub use edit::{show, update, withdraw};
pub use submit::{create, list};

use crate::{
    auth::guard::SignedIn,
    domain::{local_time::parse_zone, proposal::DEFAULT_KINDS, registration::Status, schedule::long_time},
    error::AppError,
    models::{
        agenda::track::{self, Track},
        meeting::{self, Meeting},
        proposal::{
            call::{self, Call},
            speakers::{self, Candidate},
        },
        registration::{self, Registration},
    },
    state::AppState,
};

/// A person who may propose for `meeting`, with what the form offers them.
pub struct Proposer {
    pub meeting: Meeting,
    pub zone: Tz,
    pub call: Option<Call>,
    pub registration: Registration,
    pub tracks: Vec<Track>,
    pub candidates: Vec<Candidate>,
}

impl Proposer {
    /// The call's kinds, or the default ones while there is no call.
    pub fn kinds(&self) -> Vec<String> {
        self.call.as_ref().map_or_else(|| DEFAULT_KINDS.map(str::to_owned).to_vec(), Call::kinds)
    }

    pub fn is_open(&self, now: chrono::NaiveDateTime) -> bool {
        self.call.as_ref().is_some_and(|c| c.window().is_open(now))
    }
}

/// The call as pages show it, in the meeting's zone.
#[derive(Serialize)]
pub struct CallView {
    pub opens: String,
    pub closes: String,
    pub open: bool,
    pub pending_may_propose: bool,
}

impl CallView {
    pub fn new(call: &Call, zone: Tz, now: chrono::NaiveDateTime) -> Self {
        CallView {
            opens: long_time(call.opens_at, zone),
            closes: long_time(call.closes_at, zone),
            open: call.window().is_open(now),
            pending_may_propose: call.pending_may_propose,
        }
    }
}

/// Whether a registration in `status` may propose under `call`.
fn may_propose(status: Status, call: Option<&Call>) -> bool {
    status == Status::Approved || (status == Status::Pending && call.is_some_and(|c| c.pending_may_propose))
}

/// The access rule of every proposer page: the person's registration for the meeting of
/// `slug` must allow proposing (403 otherwise; 404 for no such meeting).
pub async fn proposer(state: &AppState, who: &SignedIn, slug: String) -> Result<Proposer, AppError> {
    let user_id = who.0.user.id;
    let found = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &slug)?;
            let own = registration::of_user_for_meeting(c, m.id, user_id)?;
            let call = call::of_meeting(c, m.id)?;
            let Some(own) = own.filter(|r| may_propose(r.status, call.as_ref())) else {
                return Ok(None);
            };
            let tracks = track::for_meeting(c, m.id)?;
            // The listing consent covers approved attendees' eyes only: a pending proposer
            // names co-speakers by address.
            let candidates = match own.status {
                Status::Approved => speakers::candidates(c, m.id, own.id)?,
                _ => Vec::new(),
            };
            Ok(Some((m, call, own, tracks, candidates)))
        })
        .await?;
    let Some((meeting, call, registration, tracks, candidates)) = found else {
        return Err(AppError::Forbidden);
    };
    let zone = parse_zone(&meeting.time_zone).map_err(|e| AppError::Unexpected(e.into()))?;
    Ok(Proposer { meeting, zone, call, registration, tracks, candidates })
}

/// The choices a proposal form offers.
#[derive(Serialize)]
pub struct Choices {
    pub kinds: Vec<String>,
    pub tracks: Vec<(i64, String)>,
    pub durations: Vec<i32>,
    pub labels: Vec<&'static str>,
    pub candidates: Vec<Candidate>,
}

impl Choices {
    pub fn of(p: &Proposer) -> Self {
        Choices {
            kinds: p.kinds(),
            tracks: p.tracks.iter().map(|t| (t.id, t.name.clone())).collect(),
            durations: crate::domain::proposal::DURATIONS.to_vec(),
            labels: crate::domain::tlp::Tlp::ALL.iter().map(|t| t.as_str()).collect(),
            candidates: p.candidates.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(pending: bool) -> Call {
        let at = chrono::NaiveDateTime::default();
        Call {
            meeting_id: 1,
            opens_at: at,
            closes_at: at,
            pending_may_propose: pending,
            kinds: String::new(),
            updated_by: None,
            updated_at: at,
        }
    }

    #[test]
    fn approved_attendees_propose_and_pending_ones_only_when_the_call_allows() {
        assert!(may_propose(Status::Approved, None));
        assert!(!may_propose(Status::Pending, None));
        assert!(!may_propose(Status::Pending, Some(&call(false))));
        assert!(may_propose(Status::Pending, Some(&call(true))));
        for s in [Status::Waitlisted, Status::Rejected, Status::Withdrawn, Status::Revoked, Status::Offered] {
            assert!(!may_propose(s, Some(&call(true))), "{s}");
        }
    }
}
