//! `/admin/teams/new` and `/admin/teams/{id}`: the team form, to add a team or change one.
//! A raised cap offers the places it frees to the team's waitlists (`attendance::offers`).

use actix_web::{HttpResponse, web};
use chrono::NaiveDateTime;
use serde::Serialize;

use super::form::{TeamForm, domains_refused};
use crate::{
    attendance::offers,
    auth::guard::Organizer,
    db::DbConnection,
    domain::states::TeamStatus,
    error::AppError,
    models::{
        audit,
        team::{self, Team, TeamFields},
        team_contact, team_registry,
    },
    render::{Layout, page_with_status, see_other},
    routes::form_errors::FormErrors,
    state::AppState,
};

#[derive(Serialize)]
struct TeamPage {
    title: String,
    layout: Layout,
    /// `None` when adding a team.
    team: Option<Team>,
    suspended: bool,
    /// Domains an import took from the website, waiting for an organizer's confirmation.
    unconfirmed: Vec<String>,
    form: TeamForm,
    errors: FormErrors,
}

pub(super) async fn render(
    state: &AppState,
    layout: Layout,
    team: Option<Team>,
    form: TeamForm,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let unconfirmed = match &team {
        Some(t) => {
            let id = t.id;
            let stored = state.db.query(move |c| team::stored_domains(c, id)).await?;
            stored.into_iter().filter(|d| !d.confirmed).map(|d| d.domain).collect()
        }
        None => Vec::new(),
    };
    let status = errors.status();
    let title = team.as_ref().map_or_else(|| "Add a team".to_owned(), |t| format!("Team {}", t.short_name));
    let suspended = team.as_ref().is_some_and(|t| t.status == TeamStatus::Suspended);
    let data = TeamPage { title, layout, team, suspended, unconfirmed, form, errors };
    page_with_status(status, &state.tera, "pages/admin/team_form.html", &data)
}

pub async fn new(state: web::Data<AppState>, layout: Layout) -> Result<HttpResponse, AppError> {
    render(&state, layout, None, TeamForm::default(), FormErrors::default()).await
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (team, domains, contacts) = state
        .db
        .query(move |c| Ok((team::find(c, id)?, team::domains(c, id)?, team_contact::for_team(c, id)?)))
        .await?;
    let form = TeamForm::of(&team, &domains, &contacts);
    render(&state, layout, Some(team), form, FormErrors::default()).await
}

pub async fn create(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    form: web::Form<TeamForm>,
) -> Result<HttpResponse, AppError> {
    save(&state, layout, who.0.user.id, None, form.into_inner()).await
}

pub async fn update(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<i64>,
    form: web::Form<TeamForm>,
) -> Result<HttpResponse, AppError> {
    save(&state, layout, who.0.user.id, Some(path.into_inner()), form.into_inner()).await
}

async fn save(
    state: &AppState,
    layout: Layout,
    actor: i64,
    id: Option<i64>,
    form: TeamForm,
) -> Result<HttpResponse, AppError> {
    let team = match id {
        Some(id) => Some(state.db.query(move |c| team::find(c, id)).await?),
        None => None,
    };
    let stored = match form.parse(&state.settings.registry.free_mail_domains) {
        Ok(fields) => save_fields(state, (actor, None), team.as_ref(), fields).await?,
        Err(errors) => Err(errors),
    };
    match stored {
        Ok(_) if id.is_some() => Ok(see_other("/admin/teams?done=team-saved")),
        Ok(_) => Ok(see_other("/admin/teams?done=team-added")),
        Err(errors) => render(state, layout, team, form, errors).await,
    }
}

/// Adds a team (`team` none) or changes `team` to `fields` in one transaction, as the team
/// form does (the API too): the team, its domains and the audit row (`via` added to its
/// detail), and a raised cap's offers to the waitlists. The inner error: the short name or
/// a domain belongs to another team, and nothing was written.
pub(crate) async fn save_fields(
    state: &AppState,
    (actor, via): (i64, Option<String>),
    team: Option<&Team>,
    fields: TeamFields,
) -> Result<Result<i64, FormErrors>, AppError> {
    let now = state.clock.now_naive();
    let (id, before) = (team.map(|t| t.id), team.and_then(|t| t.cap_override));
    let st = state.composer.clone();
    let stored = state
        .db
        .run(move |c| {
            crate::db::transaction(c, |c| -> Result<_, AppError> {
                let stored = store(c, id, &fields, (actor, via.as_deref()), now)?;
                if let (Ok(id), Some(_)) = (&stored, id) {
                    offers::cap_changed(c, &st, *id, (before, fields.cap_override))?;
                }
                Ok(stored)
            })
        })
        .await?;
    state.mail_queued();
    Ok(stored)
}

/// Writes the team and its audit row (returning its id), unless its short name or a domain belongs to another
/// team: then nothing is written and the messages come back.
fn store(
    c: &mut DbConnection,
    id: Option<i64>,
    fields: &TeamFields,
    (actor, via): (i64, Option<&str>),
    now: NaiveDateTime,
) -> diesel::QueryResult<Result<i64, FormErrors>> {
    let mut errors = FormErrors::default();
    if let Some(other) = team_registry::short_name_taken(c, id, &fields.short_name)? {
        errors.field(
            "short_name",
            format!(
                "The short name {} is taken by {}. Choose another one, or edit that team.",
                other.short_name, other.name
            ),
        );
    }
    domains_refused(&mut errors, &team_registry::domain_conflicts(c, id, &fields.domains)?);
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let (id, action) = match id {
        Some(id) => {
            team::update(c, id, fields, now)?;
            team::replace_domains(c, id, &fields.domains, true)?;
            if let Some(contacts) = &fields.contacts {
                team_contact::replace(c, id, contacts)?;
            }
            (id, "team.updated")
        }
        None => (team::upsert(c, fields, now)?.0, "team.created"),
    };
    let detail = match via {
        Some(via) => format!("{} ({via})", fields.short_name),
        None => fields.short_name.clone(),
    };
    audit::record(c, Some(actor), action, &format!("team {id}"), &detail, now)?;
    Ok(Ok(id))
}
