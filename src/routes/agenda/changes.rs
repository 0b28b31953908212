//! GET `/meetings/{slug}/changes`: every release of the agenda, newest first, with the
//! change list it was published with.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use super::reader;
use crate::{
    auth::guard::SignedIn,
    domain::schedule::long_time,
    error::AppError,
    models::agenda::release,
    render::{Layout, page},
    state::AppState,
};

#[derive(Serialize)]
struct ChangesPage {
    title: String,
    layout: Layout,
    meeting: String,
    slug: String,
    releases: Vec<ReleaseView>,
}

#[derive(Serialize)]
struct ReleaseView {
    number: i32,
    name: String,
    published: String,
    entries: Vec<Entry>,
}

#[derive(Serialize)]
struct Entry {
    title: String,
    /// Set when the latest release still holds the session.
    href: Option<String>,
    changes: String,
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let slug = path.into_inner();
    let r = match reader(&state, layout.clone(), &who, slug.clone()).await? {
        Ok(r) => r,
        Err(refused) => return Ok(refused),
    };
    let meeting_id = r.meeting().id;
    let (releases, current) = state
        .db
        .query(move |c| {
            let (_, current) = release::latest_sessions(c, meeting_id)?;
            Ok((release::list(c, meeting_id)?, current))
        })
        .await?;
    let releases = releases
        .iter()
        .map(|rel| ReleaseView {
            number: rel.number,
            name: rel.name.clone(),
            published: long_time(rel.published_at, r.zone),
            entries: rel
                .change_list()
                .into_iter()
                .map(|e| Entry {
                    href: current
                        .iter()
                        .any(|s| s.session_id == e.session_id)
                        .then(|| format!("/meetings/{slug}/sessions/{}", e.session_id)),
                    title: e.title,
                    changes: e.changes.iter().map(|c| c.label()).collect::<Vec<_>>().join(", "),
                })
                .collect(),
        })
        .collect();
    let title = format!("{}: agenda changes", r.meeting().title);
    let data = ChangesPage { title, layout, meeting: r.meeting().title.clone(), slug, releases };
    page(&state.tera, "pages/agenda/changes.html", &data)
}
