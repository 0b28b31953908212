//! `/me/openpgp`: an approved attendee (approved for any meeting) adds, replaces or removes
//! their OpenPGP public key (issue 19, point 2). The pasted key is checked by
//! `domain::openpgp`; a refusal is shown beside the field with nothing stored, and the
//! pasted text is never kept, logged or shown again when it is a private key. Other
//! attendees see the key only where the person opted in (`share_contact`).

use actix_web::{HttpResponse, http::StatusCode, web};
use serde::{Deserialize, Serialize};

use crate::{
    auth::guard::SignedIn,
    db,
    domain::openpgp::{self, KeyError},
    error::AppError,
    models::{
        audit, directory,
        openpgp_key::{self, OpenPgpKey},
    },
    render::{Layout, page_with_status, see_other},
    routes::{attendees::grouped, form_errors::FormErrors},
    state::AppState,
};

/// The body limit of the key form: twice the key's own limit, so that a key a little too
/// large gets the message beside the field rather than the fixed 413 page.
pub fn form_config() -> web::FormConfig {
    web::FormConfig::default().limit(2 * openpgp::MAX_ARMOR_BYTES + 4096)
}

#[derive(Deserialize)]
pub struct KeyForm {
    #[serde(default)]
    key: String,
}

#[derive(Serialize)]
struct KeyPage {
    title: &'static str,
    layout: Layout,
    errors: FormErrors,
    /// The stored key: (grouped fingerprint, encryption expiry in UTC or "never").
    current: Option<(String, String)>,
    /// What was pasted, kept when refused (never a private key).
    typed: String,
}

/// The account's key, or 403 for an account not approved for any meeting.
async fn stored(state: &AppState, user_id: i64) -> Result<Option<OpenPgpKey>, AppError> {
    let (approved, key) = state
        .db
        .query(move |c| Ok((directory::approved_anywhere(c, user_id)?, openpgp_key::of_user(c, user_id)?)))
        .await?;
    if !approved {
        return Err(AppError::Forbidden);
    }
    Ok(key)
}

fn render(
    state: &AppState,
    layout: Layout,
    status: StatusCode,
    current: Option<OpenPgpKey>,
    errors: FormErrors,
    typed: String,
) -> Result<HttpResponse, AppError> {
    let current = current.map(|k| {
        let expires =
            k.expires_at.map_or("never".to_owned(), |t| t.format("%-d %B %Y, %H:%M UTC").to_string());
        (grouped(&k.fingerprint), expires)
    });
    let data = KeyPage { title: "Your OpenPGP key", layout, errors, current, typed };
    page_with_status(status, &state.tera, "pages/me/openpgp.html", &data)
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
) -> Result<HttpResponse, AppError> {
    let current = stored(&state, who.0.user.id).await?;
    render(&state, layout, StatusCode::OK, current, FormErrors::default(), String::new())
}

pub async fn save(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    form: web::Form<KeyForm>,
) -> Result<HttpResponse, AppError> {
    let user = who.0.user;
    let current = stored(&state, user.id).await?;
    let pasted = form.into_inner().key;
    let now = state.clock.now_naive();
    let checked = match openpgp::check(&pasted, &user.email, now) {
        Ok(checked) => checked,
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.field("key", e.to_string());
            // A private key is not sent back to the browser either.
            let typed = if matches!(e, KeyError::PrivateKey) { String::new() } else { pasted };
            return render(&state, layout, StatusCode::UNPROCESSABLE_ENTITY, current, errors, typed);
        }
    };
    let action = if current.is_some() { "openpgp_key.replaced" } else { "openpgp_key.added" };
    let key = OpenPgpKey {
        user_id: user.id,
        fingerprint: checked.fingerprint,
        armored: checked.armored,
        expires_at: checked.encryption_expires,
        added_at: now,
    };
    let user_id = user.id;
    state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                openpgp_key::put(c, &key)?;
                audit::record(c, Some(user_id), action, &format!("user/{user_id}"), &key.fingerprint, now)
            })
        })
        .await?;
    Ok(see_other("/me/openpgp?done=openpgp-saved"))
}

pub async fn remove(state: web::Data<AppState>, who: SignedIn) -> Result<HttpResponse, AppError> {
    let user_id = who.0.user.id;
    if stored(&state, user_id).await?.is_none() {
        return Ok(see_other("/me/openpgp?done=openpgp-none"));
    }
    let now = state.clock.now_naive();
    state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                openpgp_key::remove(c, user_id)?;
                audit::record(c, Some(user_id), "openpgp_key.removed", &format!("user/{user_id}"), "", now)
            })
        })
        .await?;
    Ok(see_other("/me/openpgp?done=openpgp-removed"))
}
