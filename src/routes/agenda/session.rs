//! GET `/meetings/{slug}/sessions/{id}`: one session as the latest release published it.
//! A session the latest release does not hold is not found, whatever the draft says.

use actix_web::{HttpResponse, web};
use chrono::NaiveDateTime;
use serde::Serialize;

use super::{Reader, SessionView, reader_with};
use crate::{
    auth::guard::SignedIn,
    db::DbConnection,
    domain::{
        material::human_size,
        tlp::{self, Tlp},
    },
    error::AppError,
    models::{agenda::pick, material},
    render::{
        Layout,
        page_cache::{PageKey, Picks},
    },
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
    /// The session has ended: its feedback page takes ratings (`routes::feedback`).
    ended: bool,
    materials: Vec<MaterialView>,
    may_upload: bool,
}

/// A file shared on the page (`routes::materials`).
#[derive(Serialize)]
struct MaterialView {
    id: i64,
    name: String,
    size: String,
    tlp: Tlp,
    tlp_class: &'static str,
    uploader: Option<String>,
    deletable: bool,
}

/// Everything the page is rendered from but the person's own parts.
#[derive(Serialize)]
struct Key<'a> {
    page: &'static str,
    meeting: (i64, &'a str, &'a str, &'a str),
    release: (i64, i32, NaiveDateTime),
    session: i64,
    frame: (Option<(bool, bool, bool)>, Option<&'static str>),
    attendee: bool,
    ended: bool,
    materials: &'a [material::Listed],
    /// May this viewer upload, and which files may they delete.
    manage: (bool, &'a [i64]),
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let memo = state.clone();
    let user = who.0.user.clone();
    let read = move |c: &mut DbConnection, r: &Reader| {
        let Some(latest) = r.outline.latest.clone() else { return Ok(None) };
        let sessions = memo.releases.sessions(c, &latest)?;
        let picks = r.registration_id.map(|r| pick::for_registration(c, r)).transpose()?.unwrap_or_default();
        let files = (material::listed(c, id)?, material::may_upload(c, &user, id)?);
        Ok(Some((latest, sessions, picks, files)))
    };
    let (r, found) = match reader_with(&state, layout.clone(), &who, slug.clone(), "agenda", read).await? {
        Ok(found) => found,
        Err(refused) => return Ok(refused),
    };
    let (latest, sessions, picks, (files, may_upload)) = found.ok_or(AppError::NotFound)?;
    let viewer = &who.0.user;
    let deletable: Vec<i64> = files
        .iter()
        .filter(|f| viewer.is_organizer() || f.uploaded_by == Some(viewer.id))
        .map(|f| f.id)
        .collect();
    let s = sessions.iter().find(|s| s.session_id == id).ok_or(AppError::NotFound)?;
    let (m, reg) = (r.meeting(), r.registration_id);
    let ended = state.clock.now_naive() >= s.ends_at;
    let key = PageKey::of(&Key {
        page: "session",
        meeting: (m.id, &m.slug, &m.title, &m.time_zone),
        release: (latest.id, latest.number, latest.published_at),
        session: id,
        frame: layout.shared(),
        attendee: reg.is_some(),
        ended,
        materials: &files,
        manage: (may_upload, &deletable),
    });
    let build = |layout, picks: Picks<'_>| {
        let session = SessionView::new(&slug, s, r.zone).with_picks(&picks);
        SessionPage {
            // Browsers keep page titles in their history and sync them: T1 applies (the
            // heading on the page shows the title).
            title: tlp::title_outside(s.tlp, &s.title).to_owned(),
            layout,
            back: session.href.clone(),
            meeting: m.title.clone(),
            zone: m.time_zone.clone(),
            slug: slug.clone(),
            session,
            can_pick: reg.is_some(),
            ended,
            materials: files
                .iter()
                .map(|f| MaterialView {
                    id: f.id,
                    name: f.file_name.clone(),
                    size: human_size(f.byte_size),
                    tlp: f.tlp,
                    tlp_class: f.tlp.css_class(),
                    uploader: f.uploader.clone(),
                    deletable: deletable.contains(&f.id),
                })
                .collect(),
            may_upload,
        }
    };
    let picks = reg.map(|_| picks.as_slice());
    state.pages.page(&state.tera, key, "pages/agenda/session.html", &layout, picks, build)
}
