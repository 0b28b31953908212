//! The organizer scope: a meeting's registrations (filtered by status and team) and
//! decisions about them through `attendance::decide_noting`, the transaction and cap rule
//! of the review pages; the team registry (list, add, change) through the team form's
//! checks and `save_fields`; a meeting's invitations (list, send) through the invitation
//! form's checks and `send`. Every change's audit row names the token.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    caller::Organizer,
    error::ApiError,
    input::{Body, Query},
};
use crate::{
    attendance, db,
    domain::{
        endorsement::Standing,
        registration::{self as rules, Decision, Status, TransitionError},
        text,
    },
    models::{
        endorsement, invitation,
        meeting::{self, Meeting},
        registration::{self, QueueRow},
        team::{self, Team},
        user,
    },
    render::problem::{FieldProblem, Problem},
    routes::{
        admin::{
            invitations::{self as invite_pages, Checked, InviteForm},
            teams::{edit::save_fields, form::TeamForm},
        },
        form_errors::FormErrors,
    },
    state::AppState,
};

/// The refusals of a form's checks as a 400, each message at its field (`pointer` of the
/// form's field id).
fn refused(errors: &FormErrors, pointer: impl Fn(&str) -> String) -> ApiError {
    let fields: Vec<FieldProblem> = errors
        .messages()
        .into_iter()
        .map(|(field, detail)| FieldProblem {
            pointer: field.map(&pointer).unwrap_or_default(),
            detail: detail.to_owned(),
        })
        .collect();
    let detail = fields.iter().map(|f| f.detail.as_str()).collect::<Vec<_>>().join(" ");
    ApiError::BadInput(detail, fields)
}

async fn meeting_of(state: &AppState, slug: String) -> Result<Meeting, ApiError> {
    use diesel::OptionalExtension as _;
    state.db.query(move |c| meeting::by_slug(c, &slug).optional()).await?.ok_or_else(ApiError::not_found)
}

/// A registration as the review lists it.
#[derive(Serialize, ToSchema)]
pub struct RegistrationOut {
    id: i64,
    name: String,
    email: String,
    team_id: i64,
    team: String,
    #[schema(example = "pending")]
    status: &'static str,
    role_title: String,
    /// Whether it came through an invitation (else the person registered by themselves).
    invited: bool,
    created_at: DateTime<Utc>,
    decided_at: Option<DateTime<Utc>>,
    /// The reason given with the last decision.
    reason: Option<String>,
    /// Where it stands with the team's points of contact.
    endorsement: EndorsementOut,
}

/// A registration's endorsement by its team's points of contact.
#[derive(Serialize, ToSchema)]
pub struct EndorsementOut {
    /// not_asked, waiting, endorsed or declined.
    #[schema(example = "endorsed")]
    state: &'static str,
    /// The contact who answered.
    by: Option<String>,
    /// The contact's note with the answer (empty: none).
    note: Option<String>,
}

impl EndorsementOut {
    fn of(standing: &Standing) -> Self {
        let state = standing.word();
        match standing {
            Standing::Endorsed { by, note } | Standing::Declined { by, note } => {
                Self { state, by: Some(by.clone()), note: Some(note.clone()) }
            }
            Standing::NotAsked | Standing::Waiting => Self { state, by: None, note: None },
        }
    }
}

impl RegistrationOut {
    fn of(row: QueueRow, standings: &HashMap<i64, Standing>) -> RegistrationOut {
        let r = row.registration;
        let endorsement = EndorsementOut::of(standings.get(&r.id).unwrap_or(&Standing::NotAsked));
        RegistrationOut {
            id: r.id,
            name: row.name,
            email: row.email,
            team_id: r.team_id,
            team: row.team_name,
            status: r.status.as_str(),
            role_title: r.role_title,
            invited: r.invitation_id.is_some(),
            created_at: r.created_at.and_utc(),
            decided_at: r.decided_at.map(|at| at.and_utc()),
            reason: r.reason,
            endorsement,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RegistrationPage {
    items: Vec<RegistrationOut>,
    /// The `cursor` of the next page; null on the last.
    next_cursor: Option<String>,
}

/// A meeting's registrations, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/meetings/{slug}/registrations",
    operation_id = "meeting_registrations",
    tag = "organizer",
    params(
        ("slug" = String, Path, description = "The meeting's slug"),
        ("status" = Option<String>, Query, description = "Only this status: pending_verification, pending, approved, waitlisted, offered, rejected, withdrawn or revoked"),
        ("team" = Option<i64>, Query, description = "Only this team's (its id)"),
        super::input::PageParams,
    ),
    responses(
        (status = 200, description = "A page of registrations", body = RegistrationPage),
        (status = 400, description = "A parameter is refused", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a token with the organizer scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests with this token", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn registrations(
    req: HttpRequest,
    state: web::Data<AppState>,
    _who: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let query = Query::of(&req, &["status", "team", "cursor", "limit"])?;
    let page = query.page()?;
    let status = match query.get("status") {
        None | Some("") => None,
        Some(raw) => Some(raw.parse::<Status>().map_err(|e| ApiError::field("status", e.to_string()))?),
    };
    let team = match query.get("team") {
        None | Some("") => None,
        Some(raw) => Some(
            raw.parse::<i64>().map_err(|_| ApiError::field("team", "Give a team's id, a whole number."))?,
        ),
    };
    let m = meeting_of(&state, path.into_inner()).await?;
    let (rows, standings) = state
        .db
        .query(move |c| {
            let rows = registration::page_for_meeting(c, m.id, (status, team), page.after, page.fetch())?;
            let ids: Vec<i64> = rows.iter().map(|r| r.registration.id).collect();
            Ok((rows, endorsement::standings(c, &ids)?))
        })
        .await?;
    let (rows, next_cursor) = page.split(rows, |r| r.registration.id);
    let items = rows.into_iter().map(|r| RegistrationOut::of(r, &standings)).collect();
    Ok(HttpResponse::Ok().json(RegistrationPage { items, next_cursor }))
}

/// A decision about a registration.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionIn {
    /// approve, waitlist, reject or revoke.
    #[schema(example = "approve")]
    decision: String,
    /// Required to reject or revoke: the person receives it by email. Required too to
    /// approve a registration its team's contacts did not endorse when the meeting requires
    /// endorsement: then it goes to the audit log with the decision, not to the person.
    #[serde(default)]
    reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DecisionOut {
    id: i64,
    #[schema(example = "approved")]
    status: &'static str,
}

/// Decides a registration as the review does: the new status, its audit row (naming the
/// token), the email and the calendar invites, in one transaction that holds the team's
/// lock, so approvals never pass the team's cap.
#[utoipa::path(
    post,
    path = "/api/v1/meetings/{slug}/registrations/{id}/decision",
    tag = "organizer",
    params(("slug" = String, Path, description = "The meeting's slug"), ("id" = i64, Path, description = "The registration's id")),
    request_body(content = DecisionIn, content_type = "application/json"),
    responses(
        (status = 200, description = "Decided", body = DecisionOut),
        (status = 400, description = "The body is refused; `errors` names the field", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a token with the organizer scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting or registration", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Refused by the rules (the team's cap, or a decision its status does not allow): `detail` says why", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The meeting requires endorsement by the team's contacts and this registration has none: approving it needs a `reason`; `errors` names the missing field `/reason` and `detail` says where the registration stands", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests with this token", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn decide(
    state: web::Data<AppState>,
    who: Organizer,
    path: web::Path<(String, i64)>,
    body: Body<DecisionIn>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let DecisionIn { decision, reason } = body.0;
    let decision = decision
        .parse::<Decision>()
        .map_err(|_| ApiError::field("/decision", "Choose approve, waitlist, reject or revoke."))?;
    let reason = text::multi_line(reason.as_deref().unwrap_or(""))
        .map_err(|e| ApiError::field("/reason", format!("The reason: {e}")))?;
    if rules::reason_required(decision) && reason.is_empty() {
        return Err(ApiError::field("/reason", "Give a reason: the person receives it by email."));
    }
    let m = meeting_of(&state, slug).await?;
    let meeting_id = m.id;
    let target = state
        .db
        .query(move |c| {
            use diesel::OptionalExtension as _;
            let Some(r) = registration::find(c, id).optional()? else { return Ok(None) };
            if r.meeting_id != meeting_id {
                return Ok(None);
            }
            let person = user::find(c, r.user_id)?;
            Ok(Some(attendance::Target { id, name: person.name, email: person.email }))
        })
        .await?
        .ok_or_else(ApiError::not_found)?;
    let (actor, via, st) = (who.0.user.id, who.0.via(), state.clone());
    let reason = (!reason.is_empty()).then_some(reason);
    let outcome = state
        .db
        .run(move |c| {
            db::transaction(c, |c| {
                attendance::decide_reviewed(
                    c,
                    &st.composer,
                    (actor, Some(&via)),
                    &m,
                    &target,
                    decision,
                    reason.as_deref(),
                )
            })
        })
        .await?;
    match outcome {
        Ok(status) => {
            state.mail_queued();
            Ok(HttpResponse::Ok().json(DecisionOut { id, status: status.as_str() }))
        }
        Err(refusal @ TransitionError::NotEndorsed { .. }) => {
            Err(ApiError::Unprocessable(refusal.to_string(), "/reason".into()))
        }
        Err(refusal) => Err(ApiError::Conflict(refusal.to_string())),
    }
}

/// A team of the registry.
#[derive(Serialize, ToSchema)]
pub struct TeamOut {
    id: i64,
    name: String,
    #[schema(example = "CERT.at")]
    short_name: String,
    #[schema(example = "AT")]
    country_code: String,
    website: String,
    #[schema(example = "recognized")]
    status: &'static str,
    /// Its own cap of approved attendees; null: the meeting's default.
    cap: Option<i32>,
    /// The email domains that prove membership.
    domains: Vec<TeamDomainOut>,
}

#[derive(Serialize, ToSchema)]
pub struct TeamDomainOut {
    domain: String,
    /// An unconfirmed domain (taken from the website by an import) proves nothing yet.
    confirmed: bool,
}

#[derive(Serialize, ToSchema)]
pub struct TeamPage {
    items: Vec<TeamOut>,
    /// The `cursor` of the next page; null on the last.
    next_cursor: Option<String>,
}

fn team_out(t: Team, domains: &[team::StoredDomain]) -> TeamOut {
    TeamOut {
        domains: domains
            .iter()
            .filter(|d| d.team_id == t.id)
            .map(|d| TeamDomainOut { domain: d.domain.clone(), confirmed: d.confirmed })
            .collect(),
        id: t.id,
        name: t.name,
        short_name: t.short_name,
        country_code: t.country_code,
        website: t.website,
        status: t.status.as_str(),
        cap: t.cap_override,
    }
}

/// The registry of teams, by id.
#[utoipa::path(
    get,
    path = "/api/v1/teams",
    tag = "organizer",
    params(super::input::PageParams),
    responses(
        (status = 200, description = "A page of teams", body = TeamPage),
        (status = 400, description = "A parameter is refused", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a token with the organizer scope", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests with this token", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn teams(
    req: HttpRequest,
    state: web::Data<AppState>,
    _who: Organizer,
) -> Result<HttpResponse, ApiError> {
    let page = Query::of(&req, &["cursor", "limit"])?.page()?;
    let (rows, domains) = state
        .db
        .query(move |c| {
            let rows = team::page(c, page.after, page.fetch())?;
            let ids: Vec<i64> = rows.iter().map(|t| t.id).collect();
            Ok((rows, team::domains_of(c, &ids)?))
        })
        .await?;
    let (rows, next_cursor) = page.split(rows, |t| t.id);
    let items = rows.into_iter().map(|t| team_out(t, &domains)).collect();
    Ok(HttpResponse::Ok().json(TeamPage { items, next_cursor }))
}

/// A team as sent: to add one, every field but `website`, `domains` and `cap`; to change
/// one, only the fields that change.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct TeamIn {
    name: Option<String>,
    short_name: Option<String>,
    /// ISO 3166-1 alpha-2.
    country_code: Option<String>,
    website: Option<String>,
    /// Replaces the team's domains.
    domains: Option<Vec<String>>,
    /// Its own cap; null: the meeting's default.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i32>)]
    cap: Option<Option<i32>>,
}

/// Tells a field sent as null (`Some(None)`) from one not sent (`None`).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<i32>>, D::Error> {
    Option::<i32>::deserialize(d).map(Some)
}

impl TeamIn {
    /// The team form these fields make, over `base` (the team as it is, or empty).
    fn over(self, mut form: TeamForm) -> TeamForm {
        if let Some(v) = self.name {
            form.name = v;
        }
        if let Some(v) = self.short_name {
            form.short_name = v;
        }
        if let Some(v) = self.country_code {
            form.country_code = v;
        }
        if let Some(v) = self.website {
            form.website = v;
        }
        if let Some(v) = self.domains {
            form.domains = v.join("\n");
        }
        if let Some(v) = self.cap {
            form.cap = v.map(|n| n.to_string()).unwrap_or_default();
        }
        form
    }
}

async fn save_team(
    state: &AppState,
    who: &Organizer,
    team: Option<Team>,
    body: TeamIn,
) -> Result<i64, ApiError> {
    let base = match &team {
        Some(t) => {
            let id = t.id;
            let (domains, contacts) = state
                .db
                .query(move |c| Ok((team::domains(c, id)?, crate::models::team_contact::for_team(c, id)?)))
                .await?;
            TeamForm::of(t, &domains, &contacts)
        }
        None => TeamForm::default(),
    };
    let form = body.over(base);
    let pointer = |field: &str| format!("/{field}");
    let fields = form.parse(&state.settings.registry.free_mail_domains).map_err(|e| refused(&e, pointer))?;
    save_fields(state, (who.0.user.id, Some(who.0.via())), team.as_ref(), fields)
        .await?
        .map_err(|e| refused(&e, pointer))
}

async fn one_team(state: &AppState, id: i64) -> Result<TeamOut, ApiError> {
    let (t, domains) =
        state.db.query(move |c| Ok((team::find(c, id)?, team::stored_domains(c, id)?))).await?;
    Ok(team_out(t, &domains))
}

/// Adds a team to the registry, as the team form does.
#[utoipa::path(
    post,
    path = "/api/v1/teams",
    tag = "organizer",
    request_body(content = TeamIn, content_type = "application/json"),
    responses(
        (status = 201, description = "Added", body = TeamOut),
        (status = 400, description = "The body is refused; `errors` names each field", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a token with the organizer scope", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests with this token", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn create_team(
    state: web::Data<AppState>,
    who: Organizer,
    body: Body<TeamIn>,
) -> Result<HttpResponse, ApiError> {
    let id = save_team(&state, &who, None, body.0).await?;
    Ok(HttpResponse::Created().json(one_team(&state, id).await?))
}

/// Changes a team: only the fields sent.
#[utoipa::path(
    patch,
    path = "/api/v1/teams/{id}",
    tag = "organizer",
    params(("id" = i64, Path, description = "The team's id")),
    request_body(content = TeamIn, content_type = "application/json"),
    responses(
        (status = 200, description = "Changed", body = TeamOut),
        (status = 400, description = "The body is refused; `errors` names each field", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a token with the organizer scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such team", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests with this token", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn update_team(
    state: web::Data<AppState>,
    who: Organizer,
    path: web::Path<i64>,
    body: Body<TeamIn>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let team = {
        use diesel::OptionalExtension as _;
        state.db.query(move |c| team::find(c, id).optional()).await?.ok_or_else(ApiError::not_found)?
    };
    save_team(&state, &who, Some(team), body.0).await?;
    Ok(HttpResponse::Ok().json(one_team(&state, id).await?))
}

/// An invitation to a meeting.
#[derive(Serialize, ToSchema)]
pub struct InvitationOut {
    id: i64,
    team_id: i64,
    team: String,
    email: String,
    /// sent, used, revoked or expired.
    #[schema(example = "sent")]
    state: &'static str,
    expires_at: DateTime<Utc>,
    created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct InvitationPage {
    items: Vec<InvitationOut>,
    /// The `cursor` of the next page; null on the last.
    next_cursor: Option<String>,
}

/// A meeting's invitations, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/meetings/{slug}/invitations",
    tag = "organizer",
    params(("slug" = String, Path, description = "The meeting's slug"), super::input::PageParams),
    responses(
        (status = 200, description = "A page of invitations", body = InvitationPage),
        (status = 400, description = "A parameter is refused", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a token with the organizer scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests with this token", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn invitations(
    req: HttpRequest,
    state: web::Data<AppState>,
    _who: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let page = Query::of(&req, &["cursor", "limit"])?.page()?;
    let m = meeting_of(&state, path.into_inner()).await?;
    let rows =
        state.db.query(move |c| invitation::page_for_meeting(c, m.id, page.after, page.fetch())).await?;
    let (rows, next_cursor) = page.split(rows, |(i, _)| i.id);
    let now = state.clock.now_naive();
    let items = rows
        .into_iter()
        .map(|(i, team)| InvitationOut {
            id: i.id,
            team_id: i.team_id,
            team,
            state: i.state(now),
            expires_at: i.expires_at.and_utc(),
            created_at: i.created_at.and_utc(),
            email: i.email,
        })
        .collect();
    Ok(HttpResponse::Ok().json(InvitationPage { items, next_cursor }))
}

/// Invitations to send: one per address, each its own link and email.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationsIn {
    /// A recognized team's id.
    team: i64,
    emails: Vec<String>,
    /// A personal note quoted in every email (at most 1000 characters).
    #[serde(default)]
    note: Option<String>,
    /// The addresses outside the team's confirmed domains that you checked belong to the
    /// team: each must be listed, or nothing is sent.
    #[serde(default)]
    outside_confirmed: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct InvitationsSent {
    /// How many invitations were sent.
    sent: usize,
}

/// Sends invitations as the invitation form does: each address its own link, email and
/// audit row (naming the token), all in one transaction.
#[utoipa::path(
    post,
    path = "/api/v1/meetings/{slug}/invitations",
    tag = "organizer",
    params(("slug" = String, Path, description = "The meeting's slug")),
    request_body(content = InvitationsIn, content_type = "application/json"),
    responses(
        (status = 201, description = "Sent", body = InvitationsSent),
        (status = 400, description = "The body is refused; `errors` names each field", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a token with the organizer scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests with this token", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn invite(
    state: web::Data<AppState>,
    who: Organizer,
    path: web::Path<String>,
    body: Body<InvitationsIn>,
) -> Result<HttpResponse, ApiError> {
    let m = meeting_of(&state, path.into_inner()).await?;
    let body = body.0;
    let form = InviteForm {
        team: body.team.to_string(),
        emails: body.emails.join("\n"),
        note: body.note.unwrap_or_default(),
        outside: body.outside_confirmed.join(" "),
    };
    let pointer = |field: &str| match field {
        "outside" => "/outside_confirmed".to_owned(),
        f => format!("/{f}"),
    };
    let Checked { team, addresses, outside, note } =
        invite_pages::check(&state, &form).await?.map_err(|(e, _)| refused(&e, pointer))?;
    let sent = addresses.len();
    invite_pages::send(&state, &m, &team, addresses, &outside, &note, (who.0.user.id, Some(who.0.via())))
        .await?;
    Ok(HttpResponse::Created().json(InvitationsSent { sent }))
}
