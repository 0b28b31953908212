//! The meeting page's hub: where each of the organizer's pages for one meeting stands
//! (registrations by status, the draft agenda's state, the practical information), so
//! every one is a link away.

use serde::Serialize;

use crate::{
    domain::{local_time, registration::Status, schedule},
    error::AppError,
    models::{agenda::release, meeting::Meeting, practical_info, question, registration},
    routes::admin::agenda::{Draft, window},
    state::AppState,
};

/// How many registrations of the meeting have one status.
#[derive(Serialize)]
pub(super) struct StatusCount {
    status: &'static str,
    label: &'static str,
    count: usize,
}

#[derive(Serialize)]
pub(super) struct Hub {
    registrations: Vec<StatusCount>,
    sessions: usize,
    /// Sessions whose draft differs from what attendees see.
    unpublished: usize,
    /// Sessions the editor flags (a refusal or a warning), counted as the editor counts.
    conflicts: usize,
    /// When the practical information was last saved; `None` while nothing is written.
    practical_saved: Option<String>,
    /// Registration questions the form asks now, and those retired.
    questions: usize,
    retired_questions: usize,
    /// Some question is sensitive: the export may warn before downloading.
    sensitive: bool,
}

impl Hub {
    pub(super) async fn load(state: &AppState, m: &Meeting) -> Result<Hub, AppError> {
        let zone = local_time::parse_zone(&m.time_zone).map_err(|e| AppError::Unexpected(e.into()))?;
        let id = m.id;
        let (rows, unpublished, draft, practical, questions) = state
            .db
            .query(move |c| {
                let rows = registration::for_meeting(c, id, None)?;
                let practical = practical_info::for_meeting(c, id)?;
                let questions = question::for_meeting(c, id)?;
                Ok((rows, release::pending_changes(c, id)?.len(), Draft::read(c, id)?, practical, questions))
            })
            .await?;
        let registrations = Status::ALL
            .iter()
            .map(|s| StatusCount {
                status: s.as_str(),
                label: s.label(),
                count: rows.iter().filter(|r| r.registration.status == *s).count(),
            })
            .collect();
        Ok(Hub {
            registrations,
            sessions: draft.sessions.len(),
            unpublished,
            conflicts: draft.conflicted(window(m, zone)),
            practical_saved: practical
                .filter(|p| !p.markdown.trim().is_empty())
                .map(|p| schedule::long_time(p.updated_at, zone)),
            questions: questions.iter().filter(|q| !q.is_retired()).count(),
            retired_questions: questions.iter().filter(|q| q.is_retired()).count(),
            sensitive: questions.iter().any(|q| q.sensitive),
        })
    }
}
