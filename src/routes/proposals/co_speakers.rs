//! POST `/meetings/{slug}/proposals/{id}/speakers/remove`: the proposer takes off a
//! co-speaker they named by address, while the proposal may change. By `speaker` (one they
//! see: the address confirmed) or by typing the `email` again: the answer is the same
//! whether or not that address was named or is registered (showing a difference would tell
//! the proposer who is registered). The row and its unused link go; an audit row names the
//! proposal by id and label. A bad address: 422, the page again, nothing written.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::{edit, proposer};
use crate::{
    auth::guard::SignedIn,
    db,
    domain::{email::Email, proposal},
    error::AppError,
    models::{audit, proposal::speakers},
    render::{Layout, see_other},
    routes::form_errors::FormErrors,
    state::AppState,
};

#[derive(Deserialize)]
pub struct RemoveForm {
    #[serde(default)]
    email: String,
    speaker: Option<i64>,
}

enum Whom {
    Speaker(i64),
    Address(Email),
}

pub async fn remove(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<(String, i64)>,
    form: web::Form<RemoveForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let p = proposer(&state, &who, slug).await?;
    let found = edit::own(&state, &p, id).await?;
    let RemoveForm { email, speaker } = form.into_inner();
    let now = state.clock.now_naive();
    let window = p.call.as_ref().map(|c| c.window());
    let mut errors = FormErrors::default();
    if !proposal::editable(found.0.state, window, now) {
        errors.form(format!(
            "This proposal is {} and its co-speakers can no longer be changed. Nothing was saved.",
            found.0.state.label()
        ));
        return edit::render_removal(&state, layout, p, found, email, errors);
    }
    let whom = match (speaker, Email::parse(&email)) {
        (Some(s), _) => Whom::Speaker(s),
        (None, Ok(address)) => Whom::Address(address),
        (None, Err(e)) => {
            errors.field("remove_email", e.to_string());
            return edit::render_removal(&state, layout, p, found, email, errors);
        }
    };
    let (meeting_id, actor, subject) =
        (p.meeting.id, who.0.user.id, format!("{}/proposal/{id}", p.meeting.slug));
    state
        .db
        .run(move |c| {
            db::transaction(c, |c| -> Result<(), AppError> {
                // Read again under the lock: a decision may have just been taken.
                let current = crate::models::proposal::lock(c, id)?;
                if !proposal::editable(current.state, window, now) {
                    return Ok(());
                }
                let removed = match &whom {
                    Whom::Speaker(s) => speakers::remove_named(c, id, *s)?,
                    Whom::Address(address) => {
                        speakers::remove_by_address(c, meeting_id, id, address.as_str())?
                    }
                };
                if removed > 0 {
                    audit::record(
                        c,
                        Some(actor),
                        "proposal.speaker_removed",
                        &subject,
                        current.tlp.as_str(),
                        now,
                    )?;
                }
                Ok(())
            })
        })
        .await?;
    Ok(see_other(&format!("/meetings/{}/proposals/{id}?done=speaker-removed", p.meeting.slug)))
}
