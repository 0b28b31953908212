//! Role guards: who may reach a scope of the route table, and the extractors handlers use
//! to get the signed-in person.
//!
//! Anonymous visitors are sent to the sign-in page; a signed-in person whose second step
//! is not done is sent to it; a member on an organizer page gets 403, and so does a
//! reviewer on an organizer page that is not part of the review.

use actix_web::{
    Error, FromRequest, HttpMessage as _, HttpRequest,
    body::{EitherBody, MessageBody},
    dev::{Payload, ServiceRequest, ServiceResponse},
    middleware::Next,
};

use crate::{auth::session::CurrentSession, error::AppError};

/// Where a signed-in person who still owes the second step goes.
pub fn second_step_path(s: &CurrentSession) -> &'static str {
    if s.user.has_second_factor() { "/login/second-factor" } else { "/me/second-factor" }
}

/// Who a guard or extractor lets through, once both sign-in steps are done.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Needs {
    Anyone,
    /// Organizers and reviewers.
    Reviewer,
    Organizer,
}

fn check(req: &HttpRequest, needs: Needs) -> Result<CurrentSession, AppError> {
    let Some(s) = req.extensions().get::<CurrentSession>().cloned() else {
        return Err(AppError::SignInRequired);
    };
    if !s.second_factor_done {
        return Err(AppError::SecondStepRequired(second_step_path(&s)));
    }
    let allowed = match needs {
        Needs::Anyone => true,
        Needs::Reviewer => s.user.reviews(),
        Needs::Organizer => s.user.is_organizer(),
    };
    if !allowed {
        return Err(AppError::Forbidden);
    }
    Ok(s)
}

async fn guard(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
    needs: Needs,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    match check(req.request(), needs) {
        Ok(_) => Ok(next.call(req).await?.map_into_left_body()),
        Err(e) => Ok(req.error_response(e).map_into_right_body()),
    }
}

/// Scope guard: any signed-in person.
pub async fn signed_in(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    guard(req, next, Needs::Anyone).await
}

/// Scope guard: organizers only.
pub async fn organizers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    guard(req, next, Needs::Organizer).await
}

/// Scope guard: organizers and reviewers (the registration review).
pub async fn reviewers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    guard(req, next, Needs::Reviewer).await
}

/// A signed-in person (both steps done).
pub struct SignedIn(pub CurrentSession);

/// A signed-in organizer (both steps done).
pub struct Organizer(pub CurrentSession);

/// A signed-in organizer or reviewer (both steps done): who may decide registrations.
pub struct Reviewer(pub CurrentSession);

/// A person who passed the password step; the second may be pending.
pub struct PasswordStep(pub CurrentSession);

impl FromRequest for SignedIn {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(check(req, Needs::Anyone).map(SignedIn))
    }
}

impl FromRequest for Organizer {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(check(req, Needs::Organizer).map(Organizer))
    }
}

impl FromRequest for Reviewer {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(check(req, Needs::Reviewer).map(Reviewer))
    }
}

impl FromRequest for PasswordStep {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let s = req.extensions().get::<CurrentSession>().cloned();
        std::future::ready(s.map(PasswordStep).ok_or(AppError::SignInRequired))
    }
}
