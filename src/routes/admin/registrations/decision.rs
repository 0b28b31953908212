//! POST `/admin/meetings/{slug}/registrations/{id}/decision`: approve, waitlist, reject or
//! revoke one registration (see `transition` for the transaction and the cap). Reject and
//! revoke ask first (`ask`): without `confirm=yes` nothing changes.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::{Filter, Outcome, ask, render, transition};
use crate::{
    auth::guard::Organizer,
    domain::{
        registration::{self as rules, Decision, TransitionError},
        text,
    },
    error::AppError,
    models::{meeting, registration, team, user},
    render::{Layout, see_other},
    routes::confirm::{self, Confirm},
    state::AppState,
};

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    confirm: Option<String>,
}

pub async fn decide(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<(String, i64)>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let DecisionForm { decision, reason, confirm } = form.into_inner();
    let refuse = |message: &str| Outcome::error(message);
    let reason = match text::multi_line(&reason) {
        Ok(reason) => reason,
        Err(e) => {
            let outcome = refuse(&format!("The reason: {e}"));
            return render(&state, layout, slug, Filter::default(), outcome).await;
        }
    };
    let Ok(decision) = decision.parse::<Decision>() else {
        let outcome = refuse("Choose approve, waitlist, reject or revoke.");
        return render(&state, layout, slug, Filter::default(), outcome).await;
    };
    if rules::reason_required(decision) && reason.is_empty() {
        let outcome = refuse("Give a reason: the person receives it by email.");
        return render(&state, layout, slug, Filter::default(), outcome).await;
    }
    let lookup = slug.clone();
    let (m, r, person, team_name) = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &lookup)?;
            let r = registration::find(c, id)?;
            if r.meeting_id != m.id {
                return Err(diesel::result::Error::NotFound);
            }
            let (person, team) = (user::find(c, r.user_id)?, team::find(c, r.team_id)?);
            Ok((m, r, person, team.name))
        })
        .await?;
    if rules::reason_required(decision) && !Confirm::from_field(confirm).given() {
        // A decision the state machine refuses is refused now, not after the question.
        if let Err(e) = rules::decide(r.status, decision, 0, i64::MAX) {
            return render(&state, layout, slug, Filter::default(), refuse(&e.to_string())).await;
        }
        let who = ask::Person { name: person.name, email: person.email, team: team_name };
        return confirm::ask(&state, layout, ask::one(&slug, &m.title, id, &who, decision, &reason));
    }
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
