//! `/openpgp-key.asc`: the public half of the organizer key that signs encrypted
//! announcements (`[mail] openpgp_key_file`), so attendees can check the signature.
//! Without a configured key there is nothing to give: 404, like any unknown address.

use actix_web::{HttpResponse, web};

use crate::{error::AppError, state::AppState};

pub const PATH: &str = "/openpgp-key.asc";

pub async fn show(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let key = state.organizer_key.as_ref().ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type("application/pgp-keys")
        .insert_header(("Content-Disposition", "inline; filename=\"openpgp-key.asc\""))
        .body(key.public_armored().to_owned()))
}
