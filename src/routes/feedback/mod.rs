//! Feedback on the program, the attendee's side: rating a session after it ended
//! (`/meetings/{slug}/sessions/{id}/feedback`, where its speakers also read what attendees
//! said, without names) and the survey after the meeting (`/meetings/{slug}/survey`).
//! The organizers' side is `routes::admin::feedback`; the rules are `domain::feedback`.
//!
//! Who reads these pages: the agenda's readers (`routes::agenda::reader_with`). Who gives
//! feedback: approved attendees only. A person whose registration is not approved, an
//! organizer or a reviewer who sends the form gets 422 with a message and nothing written;
//! the refusal names no session (a TLP:RED title is not theirs to read).

pub mod session;
pub mod survey;

use actix_web::{HttpResponse, http::StatusCode};
use serde::Serialize;

use crate::{
    auth::guard::SignedIn,
    domain::{feedback::FeedbackError, registration::Status},
    error::AppError,
    models::{meeting, registration},
    render::{Layout, page_with_status},
    state::AppState,
};

#[derive(Serialize)]
struct RefusedPage {
    title: String,
    layout: Layout,
    message: String,
    slug: String,
}

/// Before a form is read: `Some(422 page)` when the person sent feedback without being an
/// approved attendee of the meeting (organizers and reviewers included), `None` otherwise
/// (the caller then applies the agenda's access rule, which answers 403 to someone with
/// no registration for the meeting).
pub(super) async fn refuse_unless_approved(
    state: &AppState,
    layout: Layout,
    who: &SignedIn,
    slug: String,
) -> Result<Option<HttpResponse>, AppError> {
    let (user_id, reviews) = (who.0.user.id, who.0.user.reviews());
    let (meeting, own) = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &slug)?;
            let own = registration::of_user_for_meeting(c, m.id, user_id)?;
            Ok((m, own))
        })
        .await?;
    let refusal = match own.map(|r| r.status) {
        _ if reviews => FeedbackError::Organizer,
        Some(status) if status != Status::Approved => FeedbackError::NotApproved { status: status.label() },
        _ => return Ok(None),
    };
    let data = RefusedPage {
        title: format!("{}: feedback", meeting.title),
        layout,
        message: refusal.to_string(),
        slug: meeting.slug,
    };
    let page = page_with_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &state.tera,
        "pages/feedback/refused.html",
        &data,
    )?;
    Ok(Some(page))
}
