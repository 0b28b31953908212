//! The JSON API's guard matrix (issue 18): every route of `routes::api::ROUTES` × every
//! method it serves × every role of the page matrix holding a token of each scope, and
//! anonymous callers with no token or with only a session cookie. Writes carry a body the
//! handler refuses (400), so that a caller let through changes nothing; only the approved
//! attendee's pick (a PUT and a DELETE of the same session) is carried out.

use csirt_meet::{domain::api_token::Scope, routes::api::ROUTES};
use reqwest::Method;
use serde_json::json;

use super::{
    fixtures::{self, Fixtures, session_for},
    roles::{ROLES, Role},
};
use crate::{
    fixtures::{SLUG, api_token},
    helpers::spawn_app,
};

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    /// No `Authorization` header.
    Nobody,
    /// The organizer's session cookie and CSRF header, no token: cookies open nothing here.
    CookieOnly,
    /// A token of `scope` held by the player of `role` (made directly, so even roles that
    /// may not make one hold one: the API must refuse those on every request).
    Token(Role, Scope),
}

fn path_of(template: &str, fx: &Fixtures) -> String {
    let filled = template
        .replace("{slug}", SLUG)
        .replace("{session}", &fx.session.to_string())
        .replace("/registrations/{id}", &format!("/registrations/{}", fx.registration))
        .replace("/teams/{id}", &format!("/teams/{}", fx.team));
    assert!(
        !filled.contains('{'),
        "no fixture for the parameters of {template}: add one in guard_matrix/api.rs"
    );
    format!("/api/v1{filled}")
}

/// The answer `caller` gets from `method` on the route `path` (as `ROUTES` writes it).
fn expected(method: &str, path: &str, caller: Caller) -> u16 {
    let public = matches!(path, "/openapi.json" | "/meetings");
    if public {
        return 200;
    }
    let (role, scope) = match caller {
        Caller::Nobody | Caller::CookieOnly => return 401,
        Caller::Token(role, scope) => (role, scope),
    };
    // A token whose holder may not hold it (any longer) opens nothing, like an unknown one.
    let usable = role != Role::UnprovenAddress
        && (scope == Scope::Attendee || matches!(role, Role::Organizer | Role::OrganizerBetweenSteps));
    if !usable {
        return 401;
    }
    let organizer_route = matches!(
        path,
        "/meetings/{slug}/registrations"
            | "/meetings/{slug}/registrations/{id}/decision"
            | "/teams"
            | "/teams/{id}"
            | "/meetings/{slug}/invitations"
    );
    let wanted = if organizer_route { Scope::Organizer } else { Scope::Attendee };
    if scope != wanted {
        return 403;
    }
    match (method, path) {
        ("get", _) if organizer_route => 200,
        // Every write of the organizer scope gets a body it refuses.
        (_, _) if organizer_route => 400,
        ("get", "/me/registrations") => 200,
        (_, _) if role == Role::ApprovedAttendee => 200,
        // Agenda and picks: only the meeting's approved attendees.
        _ => 403,
    }
}

/// The body each write gets: one the handler refuses, so nothing changes.
fn refused_body(method: &str, path: &str) -> Option<serde_json::Value> {
    match (method, path) {
        ("post", "/meetings/{slug}/registrations/{id}/decision") => Some(json!({"decision": "promote"})),
        ("post", "/teams") => Some(json!({})),
        ("patch", "/teams/{id}") => Some(json!({"country_code": "1"})),
        ("post", "/meetings/{slug}/invitations") => Some(json!({"team": 0, "emails": []})),
        _ => None,
    }
}

#[tokio::test]
async fn every_api_route_answers_every_caller_as_expected() {
    let app = spawn_app().await;
    let fx = fixtures::set_up(&app).await;
    let mut callers = vec![Caller::Nobody, Caller::CookieOnly];
    for role in ROLES.into_iter().filter(|r| *r != Role::Anonymous) {
        callers.push(Caller::Token(role, Scope::Attendee));
        callers.push(Caller::Token(role, Scope::Organizer));
    }
    let organizer = fx.players.iter().find(|p| p.0 == Role::Organizer).expect("organizer").1;
    let (cookie, csrf) = session_for(&app, organizer, true).await;
    let client = reqwest::Client::new();
    let mut failures = Vec::new();
    let mut requests = 0;
    for caller in callers {
        let authorization = match caller {
            Caller::Token(role, scope) => {
                let holder = fx.players.iter().find(|p| p.0 == role).expect("a player").1;
                Some(api_token(&app, holder, scope).await)
            }
            _ => None,
        };
        for (path, methods) in ROUTES {
            for method in *methods {
                let url = app.url(&path_of(path, &fx));
                let verb = Method::from_bytes(method.to_uppercase().as_bytes()).expect("a method");
                let mut req = client.request(verb, &url);
                if let Some(auth) = &authorization {
                    req = req.header("authorization", auth);
                }
                if caller == Caller::CookieOnly {
                    let name = csirt_meet::auth::session::session_cookie(&app.settings);
                    req = req.header("cookie", format!("{name}={cookie}")).header("x-csrf-token", &csrf);
                }
                if let Some(body) = refused_body(method, path) {
                    req = req.json(&body);
                }
                let res = req.send().await.expect("sent");
                requests += 1;
                let status = res.status().as_u16();
                let want = expected(method, path, caller);
                let problem =
                    res.headers().get("content-type").is_some_and(|v| v == "application/problem+json");
                if status != want {
                    let body = res.text().await.unwrap_or_default();
                    failures
                        .push(format!("{method} {path} as {caller:?}: {status}, expected {want}: {body}"));
                } else if status >= 400 && !problem {
                    failures.push(format!("{method} {path} as {caller:?}: {status} is not problem details"));
                }
            }
        }
    }
    eprintln!("API guard matrix: {requests} requests");
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_expectations_cover_every_served_route() {
    let known = [
        "/openapi.json",
        "/meetings",
        "/me/registrations",
        "/meetings/{slug}/agenda",
        "/meetings/{slug}/picks/{session}",
        "/meetings/{slug}/registrations",
        "/meetings/{slug}/registrations/{id}/decision",
        "/teams",
        "/teams/{id}",
        "/meetings/{slug}/invitations",
    ];
    let served: Vec<&str> = ROUTES.iter().map(|(p, _)| *p).collect();
    assert_eq!(served, known, "a new API route needs its expectation in guard_matrix/api.rs");
}
