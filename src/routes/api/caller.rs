//! Who calls the API: the bearer token of the `Authorization` header, found by its hash with
//! its account, checked (live, the account enabled and proven, still allowed the token's
//! scope), counted against the rate limit, and its use noted at most hourly. Cookies are
//! never read here (`auth::session` skips `/api/`).
//!
//! [`Attendee`] and [`Organizer`] are the extractors handlers take: a token of the other
//! scope is 403.

use std::{future::Future, pin::Pin};

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};

use super::error::ApiError;
use crate::{
    domain::{
        api_token::{self as rules, Scope},
        token::hash_token,
    },
    error::chain,
    models::{api_token, user::User},
    state::AppState,
};

/// A request's live token and the account that holds it.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The token's id and name, as audit rows of the changes it makes carry them (names
    /// are the person's own and need not be unique; the id tells two apart).
    pub token_id: i64,
    pub token_name: String,
    pub scope: Scope,
    pub user: User,
}

impl Caller {
    /// "via API token “name” (#7)": how an audit row names the token.
    pub fn via(&self) -> String {
        format!("via API token “{}” (#{})", self.token_name, self.token_id)
    }
}

async fn identify(req: HttpRequest) -> Result<Caller, ApiError> {
    let state = req.app_data::<web::Data<AppState>>().cloned().ok_or(ApiError::Unauthorized)?;
    let raw = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(rules::from_bearer)
        .ok_or(ApiError::Unauthorized)?;
    let hash = hash_token(raw);
    let found = state.db.query(move |c| api_token::find(c, &hash)).await?;
    let now = state.clock.now_naive();
    let Some((token, user)) = found else {
        return Err(ApiError::Unauthorized);
    };
    let usable = rules::is_live(token.expires_at, token.revoked_at, now)
        && user.disabled_at.is_none()
        && user.email_verified_at.is_some()
        && rules::may_hold(token.scope, user.role, user.has_second_factor()).is_ok();
    if !usable {
        return Err(ApiError::Unauthorized);
    }
    state.api_rate.check(token.id).map_err(ApiError::TooMany)?;
    if rules::should_note_use(token.last_used_at, now) && req.method() != actix_web::http::Method::HEAD {
        // Bookkeeping: a database that cannot write must not fail a read (`Db::query`
        // notes the refusal for `/healthz`).
        let id = token.id;
        if let Err(e) = state.db.query(move |c| api_token::note_use(c, id, now)).await {
            tracing::warn!(error = %chain(&e), "could not note an API token's use; the request goes on");
        }
    }
    Ok(Caller { token_id: token.id, token_name: token.name, scope: token.scope, user })
}

type Extracted<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Extracted<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(identify(req.clone()))
    }
}

/// A caller whose token has the attendee scope.
pub struct Attendee(pub Caller);

/// A caller whose token has the organizer scope (an organizer with a second factor).
pub struct Organizer(pub Caller);

fn scoped(req: &HttpRequest, wanted: Scope) -> Extracted<Caller> {
    let req = req.clone();
    Box::pin(async move {
        let caller = identify(req).await?;
        if caller.scope != wanted {
            return Err(ApiError::Forbidden(format!(
                "This needs a token with the {wanted} scope; this token has the {} scope.",
                caller.scope
            )));
        }
        Ok(caller)
    })
}

impl FromRequest for Attendee {
    type Error = ApiError;
    type Future = Extracted<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let caller = scoped(req, Scope::Attendee);
        Box::pin(async move { caller.await.map(Attendee) })
    }
}

impl FromRequest for Organizer {
    type Error = ApiError;
    type Future = Extracted<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let caller = scoped(req, Scope::Organizer);
        Box::pin(async move { caller.await.map(Organizer) })
    }
}
