//! GET `/meetings/{slug}/sessions/{id}`: one session as the latest release published it.
//! A session the latest release does not hold is not found, whatever the draft says.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use super::{SessionView, reader};
use crate::{
    auth::guard::SignedIn,
    domain::tlp,
    error::AppError,
    models::agenda::{pick, release},
    render::{Layout, page},
    state::AppState,
};

#[derive(Serialize)]
struct SessionPage {
    title: String,
    layout: Layout,
    slug: String,
    meeting: String,
    zone: String,
    session: SessionView,
    can_pick: bool,
    back: String,
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let r = match reader(&state, layout.clone(), &who, slug.clone()).await? {
        Ok(r) => r,
        Err(refused) => return Ok(refused),
    };
    let (meeting_id, reg) = (r.meeting.id, r.registration_id);
    let (found, picked) = state
        .db
        .query(move |c| {
            let (_, sessions) = release::latest_sessions(c, meeting_id)?;
            let found = sessions.into_iter().find(|s| s.session_id == id);
            let picks = reg.map(|r| pick::for_registration(c, r)).transpose()?.unwrap_or_default();
            Ok((found, picks.contains(&id)))
        })
        .await?;
    let s = found.ok_or(AppError::NotFound)?;
    let mut session = SessionView::new(&slug, &s, r.zone);
    session.picked = picked;
    let data = SessionPage {
        // Browsers keep page titles in their history and sync them: T1 applies (the
        // heading on the page shows the title).
        title: tlp::title_outside(s.tlp, &s.title).to_owned(),
        layout,
        back: session.href.clone(),
        meeting: r.meeting.title.clone(),
        zone: r.meeting.time_zone.clone(),
        slug,
        session,
        can_pick: reg.is_some(),
    };
    page(&state.tera, "pages/agenda/session.html", &data)
}
