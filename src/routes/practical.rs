//! `/meetings/{slug}/practical`: the meeting's practical information (venue, hotels, visa
//! letters, dinner, Wi-Fi, code of conduct) as the organizers wrote it, rendered and
//! sanitised on every read (`domain::markdown::to_html`), for the approved attendees of
//! the meeting and the organizers; anyone else gets the agenda's refusal page.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use crate::{
    auth::guard::SignedIn,
    domain::{markdown, schedule::long_time},
    error::AppError,
    models::practical_info,
    render::{Layout, page},
    routes::agenda::reader_of,
    state::AppState,
};

/// What the refusal calls this page.
pub const PAGE: &str = "practical information";

#[derive(Serialize)]
struct PracticalPage {
    title: String,
    layout: Layout,
    meeting: String,
    slug: String,
    /// The sanitised HTML; `None` until an organizer writes something.
    html: Option<String>,
    updated: Option<String>,
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let r = match reader_of(&state, layout.clone(), &who, path.into_inner(), PAGE).await? {
        Ok(r) => r,
        Err(refused) => return Ok(refused),
    };
    let meeting_id = r.meeting().id;
    let info = state.db.query(move |c| practical_info::for_meeting(c, meeting_id)).await?;
    let written = info.filter(|i| !i.markdown.trim().is_empty());
    let data = PracticalPage {
        title: format!("{}: {PAGE}", r.meeting().title),
        layout,
        html: written.as_ref().map(|i| markdown::to_html(&i.markdown)),
        updated: written.as_ref().map(|i| long_time(i.updated_at, r.zone)),
        meeting: r.meeting().title.clone(),
        slug: r.meeting().slug.clone(),
    };
    page(&state.tera, "pages/attendee/practical.html", &data)
}
