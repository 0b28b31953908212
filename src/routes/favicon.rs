//! `/favicon.ico`: browsers ask for it whatever the page links to. It answers with the
//! site's SVG mark (`assets/favicon.svg`, the icon `base.html` links) as `image/svg+xml`,
//! so no second, bitmap copy of the drawing needs keeping in step.

use actix_files::NamedFile;
use actix_web::{
    Responder,
    http::header::{CacheControl, CacheDirective},
    web,
};
use anyhow::Context as _;

use crate::{error::AppError, state::AppState};

pub async fn show(state: web::Data<AppState>) -> Result<impl Responder, AppError> {
    let path = state.settings.server.assets_dir.join("favicon.svg");
    // The type follows from the file name: image/svg+xml.
    let opening = format!("opening {}", path.display());
    // Opening a file blocks: on the blocking pool, as the database calls are.
    let file = web::block(move || NamedFile::open(path)).await.context("blocking pool")?.context(opening)?;
    let day = CacheControl(vec![CacheDirective::Public, CacheDirective::MaxAge(86_400)]);
    Ok(file.use_etag(true).customize().insert_header(day))
}
