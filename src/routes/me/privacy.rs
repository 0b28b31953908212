//! `/me/privacy`: what is stored about me, all of it as JSON, and deleting my account.
//! The export never carries the password hash, the second-factor secret or token hashes.
//! Deletion is refused while I am approved for a meeting that is not over; otherwise the
//! account and its registrations go, and the audit row that records it keeps no address.

use actix_web::{HttpResponse, http::StatusCode, web};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::{
    auth::{
        guard::{SignedIn, see_other},
        session::{removal, session_cookie},
    },
    db,
    error::AppError,
    models::{
        audit::{self, AuditEntry},
        registration, user,
    },
    render::{Layout, page_with_status},
    startup::AppState,
};

const TEMPLATE: &str = "pages/me/privacy.html";

#[derive(Serialize)]
struct PrivacyPage {
    title: &'static str,
    layout: Layout,
    name: String,
    email: String,
    registrations: Vec<(String, String, String)>,
    is_organizer: bool,
    error: Option<&'static str>,
}

#[derive(Serialize)]
struct Export {
    exported_at: NaiveDateTime,
    account: AccountExport,
    registrations: Vec<RegistrationExport>,
    audit_log: Vec<AuditEntry>,
}

#[derive(Serialize)]
struct AccountExport {
    id: i64,
    email: String,
    name: String,
    role: String,
    email_verified_at: Option<NaiveDateTime>,
    two_step_sign_in_since: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
}

#[derive(Serialize)]
struct RegistrationExport {
    id: i64,
    meeting: String,
    meeting_first_day: chrono::NaiveDate,
    team: String,
    status: String,
    role_title: String,
    dietary: String,
    accessibility: String,
    consent_listed: bool,
    decided_at: Option<NaiveDateTime>,
    reason: Option<String>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    confirm: Option<String>,
}

async fn render(
    state: &AppState,
    layout: Layout,
    who: &SignedIn,
    status: StatusCode,
    error: Option<&'static str>,
) -> Result<HttpResponse, AppError> {
    let u = &who.0.user;
    let id = u.id;
    let rows = state.db.query(move |c| registration::for_user(c, id)).await?;
    let data = PrivacyPage {
        title: "Your data",
        layout,
        name: u.name.clone(),
        email: u.email.clone(),
        registrations: rows.into_iter().map(|(r, m, team)| (m.title, team, r.status)).collect(),
        is_organizer: u.is_organizer(),
        error,
    };
    page_with_status(status, &state.tera, TEMPLATE, &data)
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
) -> Result<HttpResponse, AppError> {
    render(&state, layout, &who, StatusCode::OK, None).await
}

pub async fn download(state: web::Data<AppState>, who: SignedIn) -> Result<HttpResponse, AppError> {
    let id = who.0.user.id;
    let (u, rows, entries) = state
        .db
        .query(move |c| {
            let u = user::find(c, id)?;
            let rows = registration::for_user(c, id)?;
            let mut subjects = vec![format!("user {id}")];
            subjects.extend(rows.iter().map(|(r, _, _)| format!("registration {}", r.id)));
            Ok((u, rows, audit::about(c, id, subjects)?))
        })
        .await?;
    let export = Export {
        exported_at: state.clock.now_naive(),
        account: AccountExport {
            id: u.id,
            email: u.email,
            name: u.name,
            role: u.role,
            email_verified_at: u.email_verified_at,
            two_step_sign_in_since: u.totp_enabled_at,
            created_at: u.created_at,
        },
        registrations: rows
            .into_iter()
            .map(|(r, m, team)| RegistrationExport {
                id: r.id,
                meeting: m.title,
                meeting_first_day: m.first_day,
                team,
                status: r.status,
                role_title: r.role_title,
                dietary: r.dietary,
                accessibility: r.accessibility,
                consent_listed: r.consent_listed,
                decided_at: r.decided_at,
                reason: r.reason,
                created_at: r.created_at,
                updated_at: r.updated_at,
            })
            .collect(),
        audit_log: entries,
    };
    let body = serde_json::to_string_pretty(&export).map_err(|e| AppError::Unexpected(e.into()))?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header(("Content-Disposition", "attachment; filename=\"my-natcsirt-data.json\""))
        .insert_header(("Cache-Control", "no-store"))
        .body(body))
}

pub async fn delete(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    form: web::Form<DeleteForm>,
) -> Result<HttpResponse, AppError> {
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    if form.confirm.as_deref() != Some("yes") {
        let message = "Tick the box to confirm that you want your account deleted.";
        return render(&state, layout, &who, unprocessable, Some(message)).await;
    }
    if who.0.user.is_organizer() {
        let message = "Organizer accounts are not deleted here: ask another organizer to disable yours.";
        return render(&state, layout, &who, unprocessable, Some(message)).await;
    }
    let (id, now) = (who.0.user.id, state.clock.now_naive());
    let deleted = state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                if registration::approved_for_coming_meeting(c, id, now.date())? {
                    return Ok(false);
                }
                let registrations = registration::for_user(c, id)?.len();
                user::delete(c, id)?;
                let detail = format!("{registrations} registration(s) deleted with it");
                audit::record(c, None, "account.deleted", &format!("user {id}"), &detail, now)?;
                Ok(true)
            })
        })
        .await?;
    if !deleted {
        let message = "You are approved for a meeting that is not over yet. Withdraw that registration \
                       first (on your page), then delete your account.";
        return render(&state, layout, &who, unprocessable, Some(message)).await;
    }
    let mut res = see_other("/?done=account-deleted");
    res.add_removal_cookie(&removal(&state.settings, session_cookie(&state.settings)))
        .map_err(|e| AppError::Unexpected(e.into()))?;
    Ok(res)
}
