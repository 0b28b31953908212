//! POST `/admin/teams/{id}/domains/confirm`: an organizer confirms an email domain that an
//! import took from the team's website. Until then the domain lets nobody self-register
//! (a website may be a broad portal such as `argentina.gob.ar`); audited.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::{edit, form::TeamForm};
use crate::{
    auth::guard::Organizer,
    error::AppError,
    models::{audit, team, team_contact},
    render::{Layout, see_other},
    routes::form_errors::FormErrors,
    state::AppState,
};

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    domain: String,
}

pub async fn confirm(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<i64>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let (id, domain) = (path.into_inner(), form.into_inner().domain.trim().to_lowercase());
    let (actor, now) = (who.0.user.id, state.clock.now_naive());
    let shown = domain.clone();
    let (found, confirmed) = state
        .db
        .query(move |c| {
            crate::db::transaction(c, |c| {
                let found = team::find(c, id)?;
                let confirmed = team::confirm_domain(c, id, &domain)?;
                if confirmed {
                    audit::record(
                        c,
                        Some(actor),
                        "team.domain_confirmed",
                        &format!("team {id}"),
                        &domain,
                        now,
                    )?;
                }
                Ok((found, confirmed))
            })
        })
        .await?;
    if confirmed {
        return Ok(see_other(&format!("/admin/teams/{id}?done=domain-confirmed")));
    }
    let mut errors = FormErrors::default();
    errors.form(format!("{shown} is not a domain of {} waiting for confirmation.", found.short_name));
    let (stored, contacts) =
        state.db.query(move |c| Ok((team::stored_domains(c, id)?, team_contact::for_team(c, id)?))).await?;
    let domains: Vec<String> = stored.into_iter().map(|d| d.domain).collect();
    let form = TeamForm::of(&found, &domains, &contacts);
    edit::render(&state, layout, Some(found), form, errors).await
}
