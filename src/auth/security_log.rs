//! Writes a row of the security log for a request: the client address by the
//! trusted-proxy rule of [`client_ip`] and the browser family, never the raw header.

use actix_web::{HttpRequest, http::header};

use crate::{
    credentials::throttle::client_ip,
    domain::{security_event::Event, user_agent},
    error::AppError,
    models::security_log::{self, NewEntry},
    state::AppState,
};

/// The row `event` of `user_id` (none for an unknown address) makes for `req`.
pub fn entry(state: &AppState, req: &HttpRequest, user_id: Option<i64>, event: Event) -> NewEntry {
    let agent = req.headers().get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("");
    NewEntry {
        user_id,
        event,
        client_ip: client_ip(req, &state.settings).to_string(),
        user_agent: user_agent::family(agent),
        at: state.clock.now_naive(),
    }
}

/// Records `event` on its own (callers with a transaction write [`entry`] inside it).
pub async fn record(
    state: &AppState,
    req: &HttpRequest,
    user_id: Option<i64>,
    event: Event,
) -> Result<(), AppError> {
    let row = entry(state, req, user_id, event);
    state.db.query(move |c| security_log::record(c, &row)).await?;
    Ok(())
}
