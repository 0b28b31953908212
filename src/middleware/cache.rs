//! Cache-Control decided in one place, from what a response depends on: the request's
//! session and the route it matched. Handlers never set no-store themselves.
//!
//! - Anything answered to a request that came with a session (signed in, or between the
//!   password and the second step) is `no-store`: after sign-out, Back and the browser's
//!   cache must not show a page of that session (a TLP:RED session, recovery codes, a new
//!   feed address). Static files and the favicon never read the session (see
//!   `auth::session`), so they stay cacheable while signed in.
//! - Pages whose address holds a token (setup, invitation, password reset, address
//!   confirmation, a co-speaker's confirmation) are `no-store` for everyone: the page and its URL are one secret.
//! - A private feed (`/feeds/{token}.ics`) is `private, no-cache`: calendar apps keep their
//!   copy and ask again with its ETag (a 304 costs nothing), shared caches keep nothing.
//!   `no-store` would forbid the copy that revalidation needs, and what a feed holds has
//!   already passed the TLP rule for leaving the app (docs/CALENDAR.md T1).
//! - The organizer's feed and the schedule files for conference apps
//!   ([`POLLED_ROUTES`]) are polled the same way and get the same header.
//! - Everything else (the public home page, sign-in, assets) keeps the route's own choice.

use actix_web::{
    Error, HttpMessage as _,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::header::{self, HeaderValue},
    middleware::Next,
};

use crate::auth::session::CurrentSession;

/// Routes whose address carries a token that opens something (an account, a sign-up).
pub const TOKEN_ROUTES: [&str; 6] = [
    "/setup/{token}",
    "/invitations/{token}",
    "/password/reset/{token}",
    "/verify/{token}",
    "/speakers/{token}",
    "/endorsements/{token}",
];

/// The private feed: revalidated on every fetch, stored by nothing shared.
pub const FEED_ROUTE: &str = "/feeds/{token}.ics";

/// Answers behind a secret address that apps poll like the feed (issue 18): an
/// organizer's feed and an attendee's schedule files for conference apps.
pub const POLLED_ROUTES: [&str; 2] = ["/feeds/organizer/{token}.ics", "/schedules/{token}/{file}"];

pub const NO_STORE: &str = "no-store";
pub const FEED: &str = "private, no-cache";

/// The Cache-Control of a response, from whether its request carried a session and the
/// route pattern it matched; `None` leaves the route's own header (or none).
pub fn policy(with_session: bool, route: Option<&str>) -> Option<&'static str> {
    match route {
        _ if with_session => Some(NO_STORE),
        Some(r) if TOKEN_ROUTES.contains(&r) => Some(NO_STORE),
        Some(FEED_ROUTE) => Some(FEED),
        Some(r) if POLLED_ROUTES.contains(&r) => Some(FEED),
        _ => None,
    }
}

/// Sets [`policy`] on every response. It reads the session the session middleware found,
/// so it wraps that middleware (and the error pages, whose bodies it also covers).
pub async fn cache_control(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let mut res = next.call(req).await?;
    let with_session = res.request().extensions().contains::<CurrentSession>();
    if let Some(value) = policy(with_session, res.request().match_pattern().as_deref()) {
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_answer_to_a_session_is_not_stored_whatever_the_route() {
        for route in [Some("/me"), Some("/"), Some("/login"), Some(FEED_ROUTE), None] {
            assert_eq!(policy(true, route), Some("no-store"), "{route:?}");
        }
    }

    #[test]
    fn token_pages_are_not_stored_even_without_a_session() {
        for route in TOKEN_ROUTES {
            assert_eq!(policy(false, Some(route)), Some("no-store"), "{route}");
        }
    }

    #[test]
    fn feeds_are_private_and_revalidated_and_public_pages_keep_their_own_header() {
        assert_eq!(policy(false, Some("/feeds/{token}.ics")), Some("private, no-cache"));
        for route in POLLED_ROUTES {
            assert_eq!(policy(false, Some(route)), Some("private, no-cache"), "{route}");
        }
        for route in [Some("/"), Some("/login"), Some("/register"), None] {
            assert_eq!(policy(false, route), None, "{route:?}");
        }
    }
}
