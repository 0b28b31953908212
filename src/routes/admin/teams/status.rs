//! `/admin/teams/{id}/suspend` and `/reinstate`: a suspended team stays in the registry,
//! but its people cannot register until an organizer reinstates it.

use actix_web::{HttpResponse, web};

use crate::{
    auth::guard::Organizer,
    domain::states::TeamStatus,
    error::AppError,
    models::{audit, team},
    render::see_other,
    state::AppState,
};

pub async fn suspend(
    state: web::Data<AppState>,
    who: Organizer,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    set(&state, who, path.into_inner(), TeamStatus::Suspended, "team.suspended", "team-suspended").await
}

pub async fn reinstate(
    state: web::Data<AppState>,
    who: Organizer,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    set(&state, who, path.into_inner(), TeamStatus::Recognized, "team.reinstated", "team-reinstated").await
}

/// Sets the status and records it, unless the team has it already (a repeated click).
async fn set(
    state: &AppState,
    who: Organizer,
    id: i64,
    status: TeamStatus,
    action: &'static str,
    done: &str,
) -> Result<HttpResponse, AppError> {
    let (actor, now) = (who.0.user.id, state.clock.now_naive());
    state
        .db
        .query(move |c| {
            crate::db::transaction(c, |c| {
                let found = team::find(c, id)?;
                if found.status == status {
                    return Ok(());
                }
                team::set_status(c, id, status, now)?;
                audit::record(c, Some(actor), action, &format!("team {id}"), &found.short_name, now)?;
                Ok(())
            })
        })
        .await?;
    Ok(see_other(&format!("/admin/teams/{id}?done={done}")))
}
