//! The feed's fast lane (issue 16): a calendar poll whose access decision is kept
//! (`delivery::feed_cache`, at most one second old) is answered here, outside every other
//! middleware and the router. A poll is most of the app's traffic and needs none of them:
//! it has no session, no form, writes nothing and cannot fail. Everything else (an
//! unknown or malformed token, a decision to ask the database for, a query string, any
//! method but GET, a request with a body) goes down the usual way to [`super::show`].
//!
//! The answer is the one [`super::show`] gives, through the same [`super::answer`], with
//! the headers the outer middleware would add: the site's security headers
//! (`middleware::set_security_headers`) and the feed's Cache-Control
//! (`middleware::cache::policy`). The request log gets the same line, with the route
//! pattern; a test compares the lane's answers with the usual way's, header by header.

use std::{rc::Rc, sync::atomic::Ordering, time::Instant};

use actix_web::{
    Error,
    body::{EitherBody, MessageBody},
    dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready},
    http::{
        Method,
        header::{self, HeaderValue},
    },
    web,
};
use futures_util::future::{Either, LocalBoxFuture, Ready, ready};

use super::{CALENDAR, answer, kept, well_formed};
use crate::{
    delivery::feed_cache::TokenKey,
    middleware::{self, cache},
    state::AppState,
};

/// Wrap it outermost: what it answers passes no other middleware.
pub struct FeedLane;

impl<S, B> Transform<S, ServiceRequest> for FeedLane
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = FeedLaneService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, ()>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(FeedLaneService { service: Rc::new(service) }))
    }
}

pub struct FeedLaneService<S> {
    service: Rc<S>,
}

type Answer<B> = Result<ServiceResponse<EitherBody<B>>, Error>;

impl<S, B> Service<ServiceRequest> for FeedLaneService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = Either<Ready<Answer<B>>, LocalBoxFuture<'static, Answer<B>>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let started = Instant::now();
        if let Some(res) = poll_answer(&req) {
            let res = req.into_response(res).map_into_right_body();
            middleware::log_request(&Method::GET, Some(cache::FEED_ROUTE), res.status(), started);
            return Either::Left(ready(Ok(res)));
        }
        let service = self.service.clone();
        Either::Right(Box::pin(async move { Ok(service.call(req).await?.map_into_left_body()) }))
    }
}

/// The answer to a plain `GET /feeds/{token}.ics` whose access decision is kept.
fn poll_answer(req: &ServiceRequest) -> Option<actix_web::HttpResponse> {
    // A body (which a poll never has) goes the usual way, through the input guard.
    let has_body = req.headers().contains_key(header::CONTENT_LENGTH)
        || req.headers().contains_key(header::TRANSFER_ENCODING);
    if req.method() != Method::GET || !req.query_string().is_empty() || has_body {
        return None;
    }
    let token = req.path().strip_prefix("/feeds/")?.strip_suffix(".ics")?;
    if !well_formed(token) {
        return None;
    }
    let state = req.app_data::<web::Data<AppState>>()?;
    let feed = kept(state, TokenKey::of(token))?;
    let mut res = answer(req.request(), &feed, CALENDAR);
    let headers = res.headers_mut();
    middleware::set_security_headers(headers, middleware::hsts_wanted(req));
    let policy = cache::policy(false, Some(cache::FEED_ROUTE)).expect("a feed has a policy");
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    state.feeds.lane_answers.fetch_add(1, Ordering::Relaxed);
    Some(res)
}
