//! `/speakers/{token}`: a co-speaker confirms by the link mailed to them. GET only shows
//! the proposal and a button (mail scanners open links); the POST confirms and spends the
//! link, whose hash alone is stored. An unknown or spent link answers the same 410 page.

use actix_web::{HttpResponse, http::StatusCode, web};
use serde::Serialize;

use crate::{
    db,
    domain::{proposal::name_outside, token::hash_token},
    error::AppError,
    models::{audit, meeting, proposal, registration},
    render::{Layout, page_with_status},
    state::AppState,
};

#[derive(Serialize)]
struct ConfirmPage {
    title: &'static str,
    layout: Layout,
    meeting: String,
    proposal: String,
    proposer: String,
    /// After the POST: the thanks instead of the button.
    confirmed: bool,
}

#[derive(Serialize)]
struct InvalidPage {
    title: &'static str,
    layout: Layout,
}

fn link_invalid(state: &AppState, layout: Layout) -> Result<HttpResponse, AppError> {
    let data = InvalidPage { title: "This link does not work", layout };
    page_with_status(StatusCode::GONE, &state.tera, "pages/proposals/speaker_invalid.html", &data)
}

pub async fn form(
    state: web::Data<AppState>,
    layout: Layout,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let hash = hash_token(&path);
    let found = state
        .db
        .query(move |c| {
            let Some((_, proposal_id)) = proposal::speakers::by_token(c, &hash)? else { return Ok(None) };
            let p = proposal::get(c, proposal_id)?;
            let m = meeting::find(c, p.meeting_id)?;
            let (_, proposer) = registration::address_and_name(c, p.registration_id)?;
            Ok(Some((m.title, name_outside(p.id, p.tlp, &p.title), proposer)))
        })
        .await?;
    let Some((meeting, proposal, proposer)) = found else {
        return link_invalid(&state, layout);
    };
    let data =
        ConfirmPage { title: "Confirm as co-speaker", layout, meeting, proposal, proposer, confirmed: false };
    page_with_status(StatusCode::OK, &state.tera, "pages/proposals/speaker_confirm.html", &data)
}

pub async fn submit(
    state: web::Data<AppState>,
    layout: Layout,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (hash, now, layout_again) = (hash_token(&path), state.clock.now_naive(), layout.clone());
    let confirmed = state
        .db
        .run(move |c| {
            db::transaction(c, |c| -> Result<Option<ConfirmPage>, AppError> {
                let Some((id, proposal_id)) = proposal::speakers::by_token(c, &hash)? else {
                    return Ok(None);
                };
                if !proposal::speakers::confirm(c, id, now)? {
                    return Ok(None);
                }
                let p = proposal::lock(c, proposal_id)?;
                let m = meeting::find(c, p.meeting_id)?;
                let subject = format!("{}/proposal/{proposal_id}", m.slug);
                audit::record(c, None, "proposal.speaker_confirmed", &subject, p.tlp.as_str(), now)?;
                let (_, proposer) = registration::address_and_name(c, p.registration_id)?;
                Ok(Some(ConfirmPage {
                    title: "Confirmed as co-speaker",
                    layout,
                    meeting: m.title,
                    proposal: name_outside(p.id, p.tlp, &p.title),
                    proposer,
                    confirmed: true,
                }))
            })
        })
        .await?;
    let Some(data) = confirmed else {
        return link_invalid(&state, layout_again);
    };
    page_with_status(StatusCode::OK, &state.tera, "pages/proposals/speaker_confirm.html", &data)
}
