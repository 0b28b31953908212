//! Asking a signed-in person for their current password again before what could take the
//! account over (a new password, a second factor, recovery codes). The check counts like a
//! sign-in: against the client address's budget and the account's failures, so a stolen
//! session cannot guess the password faster than the sign-in page allows.

use std::time::Duration;

use actix_web::HttpRequest;

use crate::{
    auth::security_log,
    credentials::throttle::client_ip,
    domain::{backoff::sign_in_delay, security_event::Event},
    error::AppError,
    models::user::{self, User},
    state::AppState,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    Passed,
    Wrong,
    /// Too many guesses: no password is tried for this long.
    Throttled(Duration),
}

impl Check {
    /// The message beside the "current password" field when the check did not pass.
    pub fn message(self) -> Option<String> {
        match self {
            Check::Passed => None,
            Check::Wrong => Some("Your current password is not right.".to_owned()),
            Check::Throttled(wait) => {
                Some(format!("Too many wrong passwords. Try again in {} seconds.", wait.as_secs().max(1)))
            }
        }
    }
}

/// Checks `given` against the account's password unless the address or the account must
/// wait; a wrong one counts as a failed sign-in and goes to the security log.
pub async fn current_password(
    state: &AppState,
    req: &HttpRequest,
    account: &User,
    given: String,
) -> Result<Check, AppError> {
    let ip = client_ip(req, &state.settings);
    if let Some(wait) = state.ip_throttle.blocked_for(ip) {
        return Ok(Check::Throttled(wait));
    }
    let now = state.clock.now_naive();
    // Read again: the session's copy may predate failures counted by a parallel request.
    let id = account.id;
    let fresh = state.db.query(move |c| user::find(c, id)).await?;
    if let Some(until) = fresh.login_locked_until.filter(|t| *t > now) {
        return Ok(Check::Throttled((until - now).to_std().unwrap_or_default()));
    }
    if state.hasher.verify(given, fresh.credential().map(str::to_owned)).await? {
        if fresh.failed_logins > 0 {
            state.db.query(move |c| user::clear_failed_logins(c, id)).await?;
        }
        return Ok(Check::Passed);
    }
    state.ip_throttle.failed(ip);
    let free = state.settings.auth.account_failures_before_delay as u32;
    let locked_until = sign_in_delay((fresh.failed_logins + 1) as u32, free).map(|d| now + d);
    let row = security_log::entry(state, req, Some(id), Event::PasswordCheckFailed);
    state
        .db
        .query(move |c| {
            crate::db::transaction(c, |c| {
                user::record_failed_login(c, id, locked_until)?;
                crate::models::security_log::record(c, &row)
            })
        })
        .await?;
    tracing::warn!(user_id = id, %ip, "current-password check failed");
    Ok(Check::Wrong)
}
