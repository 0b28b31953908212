//! The guard matrix (issue 13): every route of `routes::TABLE` (the table the app
//! registers) × every role × HEAD, GET, POST without and with a valid CSRF token. Each
//! answer is checked against `expectations`; no refusal changes the product's data, and
//! no HEAD writes anything at all, nor answers other than its GET.
//!
//! Path parameters come from `fixtures`: the meeting of the approved attendee, their
//! registration (so everyone else asks for someone else's), a published session, and
//! valid tokens for the pages of links (GET and HEAD must not spend them). POSTs to those
//! pages carry an unknown token instead: spending a valid one is each flow's own test, and
//! a spent token would change the answer for every role after it.

mod api;
mod expectations;
mod fixtures;
mod roles;
mod run;
mod snapshot;

use std::time::Instant;

use csirt_meet::routes::{TABLE, table::Verb};
use reqwest::Method;

use self::{
    expectations::{EXPECTATIONS, expected},
    roles::{Answer, ROLES, Role},
    run::{Run, Visitor, fill},
    snapshot::Snapshots,
};
use crate::helpers::spawn_app;

#[tokio::test]
async fn every_route_answers_every_role_as_expected_and_no_refusal_changes_anything() {
    let started = Instant::now();
    let app = spawn_app().await;
    let fx = fixtures::set_up(&app).await;

    let served: Vec<(Verb, &str)> = TABLE.iter().flat_map(|r| r.verbs.iter().map(|v| (*v, r.path))).collect();
    let missing: Vec<_> = served.iter().filter(|(v, p)| expected(*v, p, Role::Anonymous).is_none()).collect();
    assert!(missing.is_empty(), "routes without an expectation in guard_matrix/expectations.rs: {missing:?}");
    let stale: Vec<_> =
        EXPECTATIONS.iter().filter(|e| !served.contains(&(e.verb, e.path))).map(|e| e.path).collect();
    assert!(stale.is_empty(), "expectations for routes the table does not have: {stale:?}");

    let mut run = Run {
        app: &app,
        fx: &fx,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
        snapshots: Snapshots::prepare(&app.db).await,
        failures: Vec::new(),
        requests: 0,
    };
    let set_up = started.elapsed();
    for role in ROLES {
        // A GET records a session's use a minute after the last; HEAD must not.
        let visitor = Visitor::new(&app, &fx, role).await;
        app.clock.advance(chrono::Duration::minutes(2));
        run.role(role, visitor).await;
    }
    // A method a path does not serve: 405, once past every guard.
    let organizer = Visitor::new(&app, &fx, Role::Organizer).await;
    for route in TABLE {
        for (verb, method) in [(Verb::Get, Method::GET), (Verb::Post, Method::POST)] {
            if !route.verbs.contains(&verb) {
                let path = fill(route, verb, &fx);
                let what = format!("{method} {path} (not served) as the organizer");
                let token = organizer.csrf.clone();
                run.checked(&what, Some(Answer::Status(405)), method, &path, &organizer, Some(&token)).await;
            }
        }
    }
    eprintln!(
        "guard matrix: {} requests, set-up {:.1?}, total {:.1?}",
        run.requests,
        set_up,
        started.elapsed()
    );
    assert!(run.failures.is_empty(), "{} failures:\n{}", run.failures.len(), run.failures.join("\n"));
}
