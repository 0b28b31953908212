//! GET `/meetings/{slug}/attendees/keys.asc`: the OpenPGP keys of the listed attendees who
//! opted in to share their contact, as one armored keyring (`gpg --import` reads it in one
//! go). Keys of people who did not opt in are never in it. Same readers as the directory.

use actix_web::{HttpResponse, web};
use anyhow::Context as _;

use super::read;
use crate::{
    auth::guard::SignedIn,
    domain::openpgp,
    error::AppError,
    render::{Layout, attachment},
    state::AppState,
};

pub async fn download(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (m, entries) = match read(&state, layout, who, path.into_inner()).await? {
        Ok(open) => open,
        Err(closed) => return Ok(closed),
    };
    let armored: Vec<String> = entries.into_iter().filter_map(|e| e.key.map(|(_, a)| a)).collect();
    let body = if armored.is_empty() {
        String::new()
    } else {
        openpgp::keyring(&armored).context("writing the directory's keyring")?
    };
    Ok(attachment("application/pgp-keys", &format!("{}-keys.asc", m.slug), body.into_bytes()))
}
