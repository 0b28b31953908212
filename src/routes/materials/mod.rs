//! `/meetings/{slug}/sessions/{id}/materials…`: files a session's speakers and the
//! organizers share on its page (`domain::material`). Everything here answers only those who
//! may read the session page (the agenda's rule, `agenda::reader_with`, and the session in
//! the latest release); uploading also needs [`material::may_upload`].

pub mod delete;
pub mod download;
pub mod upload;

use actix_web::{HttpResponse, web};

use super::agenda::{Reader, reader_with};
use crate::{
    auth::guard::SignedIn, db::DbConnection, domain::tlp::Tlp, error::AppError, render::Layout,
    state::AppState,
};

/// The released session a material route is about.
pub struct Place {
    pub session_id: i64,
    pub title: String,
    pub tlp: Tlp,
}

/// The agenda's access rule for session `id` of `slug`, and `more`'s reads in the same
/// trip: `Ok(Err(page))` is the refusal to answer; a session the latest release does not
/// hold is not found.
pub async fn place<T: Send + 'static>(
    state: &web::Data<AppState>,
    layout: Layout,
    who: &SignedIn,
    slug: String,
    id: i64,
    more: impl FnOnce(&mut DbConnection, &Reader) -> diesel::QueryResult<T> + Send + 'static,
) -> Result<Result<(Place, T), HttpResponse>, AppError> {
    let memo = state.clone();
    let read = move |c: &mut DbConnection, r: &Reader| {
        let Some(latest) = r.outline.latest.clone() else { return Ok(None) };
        let sessions = memo.releases.sessions(c, &latest)?;
        let Some(s) = sessions.iter().find(|s| s.session_id == id) else { return Ok(None) };
        let (title, tlp) = (s.title.clone(), s.tlp);
        Ok(Some((title, tlp, more(c, r)?)))
    };
    let (_, found) = match reader_with(state, layout, who, slug, "agenda", read).await? {
        Ok(found) => found,
        Err(refused) => return Ok(Err(refused)),
    };
    let (title, tlp, more) = found.ok_or(AppError::NotFound)?;
    Ok(Ok((Place { session_id: id, title, tlp }, more)))
}
