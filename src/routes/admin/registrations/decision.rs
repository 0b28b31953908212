//! POST `/admin/meetings/{slug}/registrations/{id}/decision`: approve, waitlist, reject or
//! revoke. The decision, its audit row and its email commit in one transaction that holds
//! the team's lock, so approvals never pass the team's cap even when many run at once.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::render;
use crate::{
    auth::guard::{Organizer, see_other},
    db,
    domain::registration::{self as rules, Decision, Status, TransitionError},
    error::AppError,
    models::{audit, meeting, outbox, registration, team, user},
    render::Layout,
    routes::me::home::next_step,
    startup::AppState,
};

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

#[derive(Serialize)]
struct DecisionMail {
    name: String,
    meeting: String,
    status: &'static str,
    reason: Option<String>,
    next: &'static str,
    link: String,
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
    let Ok(decision) = decision.parse::<Decision>() else {
        let errors = vec!["Choose approve, waitlist, reject or revoke.".to_owned()];
        return render(&state, layout, slug, String::new(), errors, None).await;
    };
    if rules::reason_required(decision) && reason.is_empty() {
        let errors = vec!["Give a reason: the person receives it by email.".to_owned()];
        return render(&state, layout, slug, String::new(), errors, None).await;
    }
    let lookup = slug.clone();
    let (m, r) = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &lookup)?;
            let r = registration::find(c, id)?;
            if r.meeting_id != m.id {
                return Err(diesel::result::Error::NotFound);
            }
            Ok((m, r))
        })
        .await?;
    let user_id = r.user_id;
    let person = state.db.query(move |c| user::find(c, user_id)).await?;
    let to = decision.target();
    let reason = (!reason.is_empty()).then_some(reason);
    let data = DecisionMail {
        name: person.name.clone(),
        meeting: m.title.clone(),
        status: to.label(),
        reason: reason.clone().filter(|_| rules::reason_required(decision)),
        next: next_step(to),
        link: state.settings.link("/me"),
    };
    // Each status is reached at most once (the state machine has no cycles).
    let mail =
        state.mail(&person.email, "registration_decision", &data, format!("registration:{id}:{to}"))?;
    let (actor, now, default_cap) = (who.0.user.id, state.clock.now_naive(), m.default_cap);
    let outcome = state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                registration::lock_team(c, r.team_id)?;
                // Read again under the lock: another decision may have come first.
                let current = registration::find(c, id)?;
                let from = current.status.parse::<Status>().map_err(|_| diesel::result::Error::NotFound)?;
                let approved = registration::approved_in_team(c, current.meeting_id, current.team_id, id)?;
                let cap = rules::effective_cap(team::find(c, current.team_id)?.cap_override, default_cap);
                let to = match rules::decide(from, decision, approved, cap) {
                    Ok(to) => to,
                    Err(e) => return Ok(Err(e)),
                };
                registration::set_decision(c, id, to.as_str(), actor, reason.as_deref(), now)?;
                let detail = format!(
                    "{from} -> {to}{}",
                    reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default()
                );
                audit::record(
                    c,
                    Some(actor),
                    &format!("registration.{to}"),
                    &format!("registration {id}"),
                    &detail,
                    now,
                )?;
                outbox::enqueue(c, &mail)?;
                Ok(Ok(()))
            })
        })
        .await?;
    match outcome {
        Ok(()) => {
            state.mail_queued();
            Ok(see_other(&format!("/admin/meetings/{slug}/registrations?done=registration-decided")))
        }
        Err(e) => {
            let offer = matches!(e, TransitionError::CapReached { .. }).then_some(id);
            render(&state, layout, slug, String::new(), vec![e.to_string()], offer).await
        }
    }
}
