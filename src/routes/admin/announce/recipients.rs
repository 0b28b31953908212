//! Who receives an announcement and whether each can get it encrypted: the meeting's
//! registrations of the chosen status, each with the encryption subkey of the person's
//! stored OpenPGP key when that key is usable (not expired, version 4, bound, not revoked).

use chrono::NaiveDateTime;

use crate::{
    domain::registration::Status,
    email::openpgp::RecipientKey,
    error::AppError,
    models::{meeting, openpgp_key, registration},
    state::AppState,
};

pub struct Recipient {
    pub row: registration::QueueRow,
    /// `None`: no key, or one that cannot be used (the person gets the clear text or
    /// nothing, as the organizers chose).
    pub key: Option<RecipientKey>,
}

/// The meeting `slug` and the recipients of the `audience` status, with their keys.
pub async fn load(
    state: &AppState,
    slug: String,
    audience: Status,
) -> Result<(meeting::Meeting, Vec<Recipient>), AppError> {
    let now = state.clock.now_naive();
    let recipients = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &slug)?;
            let rows = registration::for_meeting(c, m.id, Some(audience))?;
            let ids: Vec<i64> = rows.iter().map(|r| r.registration.user_id).collect();
            let keys = openpgp_key::of_users(c, &ids)?;
            Ok((m, rows, keys))
        })
        .await?;
    let (m, rows, mut keys) = recipients;
    // Parsing keys is CPU work: off the actix worker, like diesel.
    let recipients = actix_web::web::block(move || {
        rows.into_iter()
            .map(|row| {
                let key = keys.remove(&row.registration.user_id).and_then(|k| usable(&k, now));
                Recipient { row, key }
            })
            .collect::<Vec<_>>()
    })
    .await
    .map_err(|e| anyhow::anyhow!("blocking pool: {e}"))?;
    Ok((m, recipients))
}

fn usable(key: &openpgp_key::OpenPgpKey, now: NaiveDateTime) -> Option<RecipientKey> {
    if key.expires_at.is_some_and(|at| at <= now) {
        return None;
    }
    match RecipientKey::parse(&key.armored) {
        Ok(k) => Some(k),
        Err(e) => {
            tracing::warn!(user = key.user_id, problem = %e, "a stored OpenPGP key cannot be encrypted to");
            None
        }
    }
}
