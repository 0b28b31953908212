//! The role guard matrix over every route registered so far.

use crate::helpers::{location, spawn_app};

const SIGNED_IN_PAGES: &[&str] = &["/me", "/me/security"];
const ORGANIZER_PAGES: &[&str] = &[
    "/admin",
    "/admin/organizers",
    "/admin/mail",
    "/admin/teams",
    "/admin/teams/new",
    "/admin/teams/import",
    "/admin/meetings",
    "/admin/meetings/new",
];
/// Organizer pages of things that must exist (an organizer gets 404 in an empty database).
const ORGANIZER_DETAIL_PAGES: &[&str] = &[
    "/admin/teams/1",
    "/admin/meetings/natcsirt-2026",
    "/admin/meetings/natcsirt-2026/invitations",
    "/admin/meetings/natcsirt-2026/registrations",
];
const ORGANIZER_ACTIONS: &[&str] = &[
    "/admin/organizers/invite",
    "/admin/organizers/1/disable",
    "/admin/organizers/1/enable",
    "/admin/organizers/1/reset-second-factor",
    "/admin/mail/retry",
    "/admin/teams",
    "/admin/teams/import",
    "/admin/teams/1",
    "/admin/teams/1/suspend",
    "/admin/teams/1/reinstate",
    "/admin/meetings/natcsirt-2026/invitations",
    "/admin/meetings/natcsirt-2026/invitations/1/revoke",
    "/admin/meetings/natcsirt-2026/registrations/1/decision",
    "/admin/meetings",
    "/admin/meetings/natcsirt-2026",
    "/admin/meetings/natcsirt-2026/cancel",
    "/admin/meetings/natcsirt-2026/reopen",
];
const SIGNED_IN_ACTIONS: &[&str] = &["/me/password", "/me/sessions/end-all"];
const PUBLIC_PAGES: &[&str] = &["/", "/login", "/password/forgot", "/healthz"];

#[tokio::test]
async fn anonymous_visitors_are_sent_to_sign_in() {
    let app = spawn_app().await;
    for path in SIGNED_IN_PAGES.iter().chain(ORGANIZER_PAGES).chain(ORGANIZER_DETAIL_PAGES) {
        let res = app.get(path).await;
        assert_eq!((res.status().as_u16(), location(&res)), (303, "/login".to_owned()), "{path}");
    }
    for path in SIGNED_IN_ACTIONS.iter().chain(ORGANIZER_ACTIONS) {
        let res = app.post_form(path, &[]).await;
        assert_eq!((res.status().as_u16(), location(&res)), (303, "/login".to_owned()), "{path}");
    }
    for path in PUBLIC_PAGES {
        assert_eq!(app.get(path).await.status(), 200, "{path}");
    }
}

#[tokio::test]
async fn members_get_403_on_organizer_pages_and_actions() {
    let app = spawn_app().await;
    app.login_as_member().await;
    for path in SIGNED_IN_PAGES {
        assert_eq!(app.get(path).await.status(), 200, "{path}");
    }
    for path in ORGANIZER_PAGES.iter().chain(ORGANIZER_DETAIL_PAGES) {
        assert_eq!(app.get(path).await.status(), 403, "{path}");
    }
    for path in ORGANIZER_ACTIONS {
        assert_eq!(app.post_form(path, &[]).await.status(), 403, "{path}");
    }
}

#[tokio::test]
async fn organizers_reach_every_page() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    for path in SIGNED_IN_PAGES.iter().chain(ORGANIZER_PAGES).chain(PUBLIC_PAGES) {
        assert_eq!(app.get(path).await.status(), 200, "{path}");
    }
}
