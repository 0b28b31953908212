//! `/speakers/{token}`: a co-speaker confirms by the link mailed to them. GET only shows
//! the proposal and a button (mail scanners open links); the POST confirms and spends the
//! link, whose hash alone is stored. An unknown or spent link answers the same 410 page; a
//! link to a proposal already decided or withdrawn, or of a person no longer registered,
//! says why on its 410 page and confirms nothing (`proposal::may_confirm`). The audit row
//! names the account that was signed in when the link was used, if any.

use actix_web::{HttpResponse, http::StatusCode, web};
use serde::Serialize;

use crate::{
    auth::guard::SignedIn,
    db,
    domain::{
        proposal::{ConfirmRefusal, may_confirm, name_outside},
        token::hash_token,
    },
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
    /// Why a valid link confirms nothing; none for an unknown or spent link.
    refusal: Option<String>,
}

fn link_invalid(state: &AppState, layout: Layout) -> Result<HttpResponse, AppError> {
    let data = InvalidPage { title: "This link does not work", layout, refusal: None };
    page_with_status(StatusCode::GONE, &state.tera, "pages/proposals/speaker_invalid.html", &data)
}

fn refused(state: &AppState, layout: Layout, refusal: ConfirmRefusal) -> Result<HttpResponse, AppError> {
    let data = InvalidPage { title: "Nothing to confirm", layout, refusal: Some(refusal.to_string()) };
    page_with_status(StatusCode::GONE, &state.tera, "pages/proposals/speaker_invalid.html", &data)
}

/// What a link leads to: the confirmation page's data, or why it confirms nothing.
enum Found {
    Page(ConfirmPage),
    Refused(ConfirmRefusal),
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
            let Some((_, proposal_id, status)) = proposal::speakers::by_token(c, &hash)? else {
                return Ok(None);
            };
            let p = proposal::get(c, proposal_id)?;
            if let Err(refusal) = may_confirm(p.state, status) {
                return Ok(Some(Err(refusal)));
            }
            let m = meeting::find(c, p.meeting_id)?;
            let (_, proposer) = registration::address_and_name(c, p.registration_id)?;
            Ok(Some(Ok((m.title, name_outside(p.id, p.tlp, &p.title), proposer))))
        })
        .await?;
    match found {
        None => link_invalid(&state, layout),
        Some(Err(refusal)) => refused(&state, layout, refusal),
        Some(Ok((meeting, proposal, proposer))) => {
            let data = ConfirmPage {
                title: "Confirm as co-speaker",
                layout,
                meeting,
                proposal,
                proposer,
                confirmed: false,
            };
            page_with_status(StatusCode::OK, &state.tera, "pages/proposals/speaker_confirm.html", &data)
        }
    }
}

pub async fn submit(
    state: web::Data<AppState>,
    layout: Layout,
    who: Option<SignedIn>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (hash, now, layout_again) = (hash_token(&path), state.clock.now_naive(), layout.clone());
    // The link confirms the person it names, whoever holds it; the audit row says which
    // account (if any) was signed in when it was used.
    let actor = who.map(|w| w.0.user.id);
    let confirmed = state
        .db
        .run(move |c| {
            db::transaction(c, |c| -> Result<Option<Found>, AppError> {
                let Some((id, proposal_id, status)) = proposal::speakers::by_token(c, &hash)? else {
                    return Ok(None);
                };
                let p = proposal::lock(c, proposal_id)?;
                if let Err(refusal) = may_confirm(p.state, status) {
                    return Ok(Some(Found::Refused(refusal)));
                }
                if !proposal::speakers::confirm(c, id, now)? {
                    return Ok(None);
                }
                let m = meeting::find(c, p.meeting_id)?;
                let subject = format!("{}/proposal/{proposal_id}", m.slug);
                audit::record(c, actor, "proposal.speaker_confirmed", &subject, p.tlp.as_str(), now)?;
                let (_, proposer) = registration::address_and_name(c, p.registration_id)?;
                Ok(Some(Found::Page(ConfirmPage {
                    title: "Confirmed as co-speaker",
                    layout,
                    meeting: m.title,
                    proposal: name_outside(p.id, p.tlp, &p.title),
                    proposer,
                    confirmed: true,
                })))
            })
        })
        .await?;
    match confirmed {
        None => link_invalid(&state, layout_again),
        Some(Found::Refused(refusal)) => refused(&state, layout_again, refusal),
        Some(Found::Page(data)) => {
            page_with_status(StatusCode::OK, &state.tera, "pages/proposals/speaker_confirm.html", &data)
        }
    }
}
