//! Personal API tokens on `/me/security`: made (a name, an optional expiry, a scope; the
//! secret shown on the answer only, its SHA-256 stored) and revoked by their owner. The
//! API itself is `routes::api`.

use actix_web::{HttpResponse, web};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::security::render_with;
use crate::{
    auth::guard::SignedIn,
    domain::{
        api_token::{self as rules, PREFIX},
        token::Token,
    },
    error::AppError,
    models::{api_token, audit},
    render::{Layout, see_other},
    routes::form_errors::FormErrors,
    state::AppState,
};

/// A token on the list.
#[derive(Serialize)]
pub struct Listed {
    id: i64,
    name: String,
    scope: &'static str,
    created: String,
    expires: String,
    last_used: String,
    expired: bool,
}

fn day(at: NaiveDateTime) -> String {
    at.format("%-d %B %Y").to_string()
}

impl Listed {
    pub fn of(t: &api_token::ApiToken, now: NaiveDateTime) -> Listed {
        Listed {
            id: t.id,
            name: t.name.clone(),
            scope: t.scope.as_str(),
            created: day(t.created_at),
            // The stored end is the start of the day after the last one.
            expires: t.expires_at.map_or("never".into(), |e| {
                format!("{} (until 24:00 UTC)", day(e - chrono::TimeDelta::days(1)))
            }),
            last_used: t
                .last_used_at
                .map_or("never".into(), |u| u.format("%-d %B %Y, %H:00 UTC").to_string()),
            expired: !rules::is_live(t.expires_at, None, now),
        }
    }
}

/// A token just made, with its secret, for the one answer that shows it.
#[derive(Serialize)]
pub struct Made {
    name: String,
    secret: String,
}

#[derive(Deserialize)]
pub struct NewTokenForm {
    #[serde(default)]
    token_name: String,
    #[serde(default)]
    token_expires: String,
    #[serde(default)]
    token_scope: String,
}

/// Makes a token and answers the security page with its secret, once. Every field is
/// checked, so one answer names everything to correct; nothing is written then.
pub async fn create(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    form: web::Form<NewTokenForm>,
) -> Result<HttpResponse, AppError> {
    let u = &who.0.user;
    let now = state.clock.now_naive();
    let mut errors = FormErrors::default();
    let name = rules::name(&form.token_name).map_err(|e| errors.field("token_name", e.to_string())).ok();
    let expires = rules::expiry(&form.token_expires, now.date())
        .map_err(|e| errors.field("token_expires", e.to_string()))
        .ok();
    let scope = rules::scope(&form.token_scope, u.role, u.has_second_factor())
        .map_err(|e| errors.field("token_scope", e.to_string()))
        .ok();
    let (Some(name), Some(expires), Some(scope)) = (name, expires, scope) else {
        return render_with(&state, layout, &who, errors, None, None).await;
    };
    let token = Token::generate();
    let (hash, id, stored_name) = (token.hash(), u.id, name.clone());
    state
        .db
        .query(move |c| {
            crate::db::transaction(c, |c| {
                let token_id = api_token::create(c, id, (&stored_name, scope), &hash, expires, now)?;
                audit::record(
                    c,
                    Some(id),
                    "api_token.created",
                    &format!("api_token {token_id}"),
                    scope.as_str(),
                    now,
                )
            })
        })
        .await?;
    let made = Made { name, secret: format!("{PREFIX}{}", token.as_str()) };
    render_with(&state, layout, &who, FormErrors::default(), None, Some(made)).await
}

/// Revokes one of the person's tokens; someone else's (or an unknown id) is 404.
pub async fn revoke(
    state: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (user_id, token_id, now) = (who.0.user.id, path.into_inner(), state.clock.now_naive());
    let revoked = state
        .db
        .query(move |c| {
            crate::db::transaction(c, |c| {
                let Some(_) = api_token::revoke(c, user_id, token_id, now)? else {
                    return Ok(false);
                };
                audit::record(
                    c,
                    Some(user_id),
                    "api_token.revoked",
                    &format!("api_token {token_id}"),
                    "",
                    now,
                )?;
                Ok(true)
            })
        })
        .await?;
    if !revoked {
        return Err(AppError::NotFound);
    }
    Ok(see_other("/me/security?done=api-token-revoked#api-tokens"))
}
