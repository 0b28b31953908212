//! GET `/meetings/{slug}/attendees/contacts.vcf`: the listed attendees who opted in to
//! share their contact, as vCard 4.0 cards (`domain::vcard`: every value escaped). Same
//! readers as the directory.

use actix_web::{HttpResponse, web};

use super::read;
use crate::{
    auth::guard::SignedIn,
    domain::vcard::{self, Contact},
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
    let contacts: Vec<Contact> = entries
        .into_iter()
        .filter_map(|e| {
            let email = e.email?;
            let fingerprint = e.key.map(|(f, _)| f);
            Some(Contact { name: e.name, email, team: e.team, role: e.role, fingerprint })
        })
        .collect();
    let body = vcard::cards(&contacts).into_bytes();
    Ok(attachment("text/vcard; charset=utf-8", &format!("{}-contacts.vcf", m.slug), body))
}
