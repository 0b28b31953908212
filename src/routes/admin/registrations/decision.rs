//! POST `/admin/meetings/{slug}/registrations/{id}/decision`: approve, waitlist, reject or
//! revoke one registration (see `transition` for the transaction and the cap), from the
//! registration's own page (`detail`), which shows a refusal. Reject and revoke ask first
//! (`ask`): without `confirm=yes` nothing changes.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::{ask, detail, transition};
use crate::{
    auth::guard::Reviewer,
    domain::{
        registration::{self as rules, Decision, TransitionError},
        text,
    },
    error::AppError,
    models::{meeting, registration, team, user},
    render::{Layout, see_other},
    routes::{
        confirm::{self, Confirm},
        form_errors::FormErrors,
    },
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
    who: Reviewer,
    path: web::Path<(String, i64)>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let DecisionForm { decision, reason, confirm } = form.into_inner();
    let typed = reason.clone();
    let refuse_or_offer = |message: String, offer_waitlist: bool| {
        let mut errors = FormErrors::default();
        errors.form(message);
        let refused = detail::Refused { errors, typed_reason: typed.clone(), offer_waitlist };
        detail::render(&state, layout.clone(), slug.clone(), id, refused)
    };
    let refuse = |message: String| refuse_or_offer(message, false);
    let reason = match text::multi_line(&reason) {
        Ok(reason) => reason,
        Err(e) => return refuse(format!("The reason: {e}")).await,
    };
    let Ok(decision) = decision.parse::<Decision>() else {
        return refuse("Choose approve, waitlist, reject or revoke.".into()).await;
    };
    if rules::reason_required(decision) && reason.is_empty() {
        return refuse("Give a reason: the person receives it by email.".into()).await;
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
            return refuse(e.to_string()).await;
        }
        let who = ask::Person { name: person.name, email: person.email, team: team_name };
        return confirm::ask(&state, layout, ask::one(&slug, &m.title, id, &who, decision, &reason));
    }
    let target = transition::Target { id, name: person.name, email: person.email };
    let reason = (!reason.is_empty()).then_some(reason);
    match transition::apply(&state, who.0.user.id, &m, target, decision, reason).await? {
        Ok(_) => Ok(see_other(&format!("/admin/meetings/{slug}/registrations?done=registration-decided"))),
        Err(e) => {
            let offer = matches!(e, TransitionError::CapReached { .. });
            refuse_or_offer(e.to_string(), offer).await
        }
    }
}
