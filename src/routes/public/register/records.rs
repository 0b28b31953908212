//! What registering writes and checks, shared by the anonymous and the signed-in path:
//! the team an address belongs to, the registration with its audit row, and the
//! confirmation link.

use chrono::Duration;
use serde::Serialize;

use super::VERIFY_LINK_DAYS;
use crate::{
    db::DbConnection,
    domain::states::Purpose,
    domain::states::TeamStatus,
    domain::{
        email::Email,
        registration::Status,
        team_domain::{DomainError, team_for_address},
    },
    error::AppError,
    models::{audit, one_time_token, registration, team},
    routes::public::details::RegisterForm,
    state::AppState,
};

#[derive(Serialize)]
/// The confirmation email. It carries nothing typed at `/register` (no name): whoever
/// registered may not own the address, and the message comes from the organizers.
pub(super) struct VerifyMail {
    pub(super) meeting: String,
    pub(super) team: String,
    pub(super) link: String,
    pub(super) days: i64,
}

/// The recognized team an address belongs to, or the message that says why it has none.
pub(super) async fn team_of(state: &AppState, email: &Email) -> Result<Result<team::Team, String>, AppError> {
    // Only confirmed domains: one an import took from a website is unknown here until an
    // organizer confirms it, with the same answer as any unknown domain.
    let registry = state.db.query(team::confirmed_domains).await?;
    let own_domain = "Register with your address at your team's own domain.";
    let id = match team_for_address(email.domain(), &state.settings.registry.free_mail_domains, &registry) {
        Ok(Some(id)) => id,
        Ok(None) => {
            return Ok(Err(format!(
                "{} is not an email domain of a recognized national CSIRT. If your team is \
                 recognized, ask the organizers for an invitation.",
                email.domain()
            )));
        }
        Err(DomainError::FreeMail(d)) => return Ok(Err(format!("{d} is a free-mail service. {own_domain}"))),
        Err(DomainError::PublicSuffix(d)) => {
            return Ok(Err(format!("{d} is shared by many organizations. {own_domain}")));
        }
        Err(_) => return Ok(Err(own_domain.to_owned())),
    };
    let t = state.db.query(move |c| team::find(c, id)).await?;
    if t.status != TeamStatus::Recognized {
        return Ok(Err("Your team cannot register at the moment. Ask the organizers.".to_owned()));
    }
    Ok(Ok(t))
}

/// The registration and its audit row, inside the caller's transaction; its id.
pub(super) fn create(
    c: &mut DbConnection,
    meeting_id: i64,
    team_id: i64,
    user_id: i64,
    status: Status,
    form: &RegisterForm,
    now: chrono::NaiveDateTime,
) -> diesel::QueryResult<i64> {
    let r = registration::insert(
        c,
        &registration::NewRegistration {
            meeting_id,
            user_id,
            team_id,
            status,
            role_title: &form.role_title,
            dietary: &form.dietary,
            accessibility: &form.accessibility,
            consent_listed: form.consent(),
            created_at: now,
            updated_at: now,
            invitation_id: None,
        },
    )?;
    audit::record(
        c,
        Some(user_id),
        "registration.created",
        &format!("registration {}", r.id),
        "self-service",
        now,
    )?;
    Ok(r.id)
}

pub(super) fn insert_verify_token(
    c: &mut DbConnection,
    user_id: i64,
    hash: &str,
    now: chrono::NaiveDateTime,
) -> diesel::QueryResult<usize> {
    one_time_token::insert(
        c,
        &one_time_token::NewToken {
            purpose: Purpose::VerifyEmail,
            token_hash: hash,
            user_id: Some(user_id),
            email: None,
            name: None,
            expires_at: now + Duration::days(VERIFY_LINK_DAYS),
            created_by: None,
            created_at: now,
        },
    )
}
