//! POST `/admin/meetings/{slug}/registrations/{id}/decision`: approve, waitlist, reject or
//! revoke one registration (see `transition` for the transaction and the cap).

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::{Filter, Outcome, render, transition};
use crate::{
    auth::guard::{Organizer, see_other},
    domain::registration::{self as rules, Decision, TransitionError},
    error::AppError,
    models::{meeting, registration, user},
    render::Layout,
    startup::AppState,
};

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

pub async fn decide(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<(String, i64)>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let DecisionForm { decision, reason } = form.into_inner();
    let reason = reason.trim().to_owned();
    let refuse = |message: &str| Outcome::error(message);
    let Ok(decision) = decision.parse::<Decision>() else {
        let outcome = refuse("Choose approve, waitlist, reject or revoke.");
        return render(&state, layout, slug, Filter::default(), outcome).await;
    };
    if rules::reason_required(decision) && reason.is_empty() {
        let outcome = refuse("Give a reason: the person receives it by email.");
        return render(&state, layout, slug, Filter::default(), outcome).await;
    }
    let lookup = slug.clone();
    let (m, person) = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &lookup)?;
            let r = registration::find(c, id)?;
            if r.meeting_id != m.id {
                return Err(diesel::result::Error::NotFound);
            }
            Ok((m, user::find(c, r.user_id)?))
        })
        .await?;
    let target = transition::Target { id, name: person.name, email: person.email };
    let reason = (!reason.is_empty()).then_some(reason);
    match transition::apply(&state, who.0.user.id, &m, target, decision, reason).await? {
        Ok(_) => Ok(see_other(&format!("/admin/meetings/{slug}/registrations?done=registration-decided"))),
        Err(e) => {
            let offer = if matches!(e, TransitionError::CapReached { .. }) { vec![id] } else { Vec::new() };
            let outcome = Outcome { offer_waitlist: offer, ..Outcome::error(&e.to_string()) };
            render(&state, layout, slug, Filter::default(), outcome).await
        }
    }
}
