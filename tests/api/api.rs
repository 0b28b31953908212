//! The JSON API (issue 18): the public meeting list and its cursor, tokens (no token,
//! unknown, revoked, expired: the same 401; a cookie opens nothing; the wrong scope 403),
//! the rate limit, "last used", the attendee's agenda under T1 and picks, and the
//! organizer's registrations, decisions (the cap's 409, audited with the token's name),
//! teams and invitations, with bad bodies named by field.

use chrono::Duration;
use csirt_meet::{
    db::schema::{agenda_picks, api_tokens, teams},
    domain::{api_token::Scope, registration::Status, states::Role},
};
use diesel::{ExpressionMethods as _, QueryDsl as _, RunQueryDsl as _};
use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    fixtures::{
        Person, SLUG, add_session, api_get, api_send, api_token, api_token_named, approved_attendee,
        audit_actions, create_meeting, publish_agenda, register, user_of_registration,
    },
    helpers::{TestApp, spawn_app, spawn_app_with},
};

fn problem_detail(body: &Value) -> &str {
    body["detail"].as_str().unwrap_or_default()
}

/// The first field the problem names.
fn pointer(body: &Value) -> &str {
    body["errors"][0]["pointer"].as_str().unwrap_or("(none)")
}

#[tokio::test]
async fn meetings_are_public_and_paged_by_cursor() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    create_meeting(&app, &[]).await;
    create_meeting(&app, &[("slug", "natcsirt-2027"), ("title", "NatCSIRT 2027")]).await;

    let (status, first) = api_get(&app, "/api/v1/meetings?limit=1", None).await;
    assert_eq!(status, 200);
    assert_eq!(first["items"][0]["slug"], SLUG);
    assert_eq!(first["items"][0]["conference"]["city"], first["items"][0]["city"]);
    assert!(first["items"][0].get("default_cap").is_none(), "public fields only");
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let (_, second) = api_get(&app, &format!("/api/v1/meetings?limit=1&cursor={cursor}"), None).await;
    assert_eq!(second["items"][0]["slug"], "natcsirt-2027");
    assert!(second["next_cursor"].is_null(), "the last page");

    let res = reqwest::get(app.url("/api/v1/meetings?cursor=abc")).await.expect("sent");
    assert_eq!(res.status(), 400);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    assert_eq!(res.headers()["cache-control"], "no-store");
    let body: Value = res.json().await.expect("json");
    assert_eq!((body["status"].as_u64(), pointer(&body)), (Some(400), "cursor"));
    let (status, body) = api_get(&app, "/api/v1/meetings?limit=500&colour=red", None).await;
    assert_eq!(status, 400);
    assert_eq!(pointer(&body), "colour", "an unknown parameter is named");
    let (status, body) = api_get(&app, "/api/v1/meetings?cursor=%00", None).await;
    assert_eq!((status, pointer(&body)), (400, "cursor"), "a control character: problem details naming it");
    let (status, body) = api_get(&app, "/api/v1/nothing-here", None).await;
    assert_eq!((status, body["title"].as_str()), (404, Some("Not Found")), "problem details, not a page");
}

#[tokio::test]
async fn unknown_revoked_and_expired_tokens_get_the_same_401_and_a_cookie_opens_nothing() {
    let app = spawn_app().await;
    let member = app.login_as_member().await;
    let (id, live) = api_token_named(&app, member.id, Scope::Attendee, "laptop").await;
    assert_eq!(api_get(&app, "/api/v1/me/registrations", Some(&live)).await.0, 200);

    let (status, none) = api_get(&app, "/api/v1/me/registrations", None).await;
    assert_eq!(status, 401);
    let unknown = format!("Bearer cm_{}", "0".repeat(64));
    let (_, unknown_body) = api_get(&app, "/api/v1/me/registrations", Some(&unknown)).await;
    let (_, garbage) = api_get(&app, "/api/v1/me/registrations", Some("Bearer nonsense")).await;
    let now = app.clock.now_naive();
    app.db
        .query(move |c| {
            diesel::update(api_tokens::table.find(id)).set(api_tokens::revoked_at.eq(Some(now))).execute(c)
        })
        .await
        .expect("revoked");
    let (status, revoked) = api_get(&app, "/api/v1/me/registrations", Some(&live)).await;
    assert_eq!(status, 401);
    assert_eq!(revoked, unknown_body, "revoked and unknown answer alike");
    assert_eq!(revoked, none);
    assert_eq!(revoked, garbage);
    assert!(problem_detail(&revoked).contains("Authorization: Bearer"));

    let (expiring, token) = api_token_named(&app, member.id, Scope::Attendee, "until tomorrow").await;
    let end = now + Duration::days(1);
    app.db
        .query(move |c| {
            diesel::update(api_tokens::table.find(expiring))
                .set(api_tokens::expires_at.eq(Some(end)))
                .execute(c)
        })
        .await
        .expect("expiry");
    assert_eq!(api_get(&app, "/api/v1/me/registrations", Some(&token)).await.0, 200);
    app.clock.advance(Duration::days(1));
    let (status, expired) = api_get(&app, "/api/v1/me/registrations", Some(&token)).await;
    assert_eq!((status, expired), (401, unknown_body.clone()), "expired answers alike");

    // The browser's session (cookie and CSRF token) opens nothing under /api.
    let res = app.client.get(app.url("/api/v1/me/registrations")).send().await.expect("sent");
    assert_eq!(res.status(), 401);
    assert_eq!(res.headers()["www-authenticate"], "Bearer");
    let csrf = app.csrf(&app.client).await;
    let res = app
        .client
        .post(app.url("/api/v1/teams"))
        .header("x-csrf-token", csrf)
        .json(&json!({"name": "x"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), 401, "a signed-in browser's write is refused too");
}

#[tokio::test]
async fn the_wrong_scope_is_403_and_an_organizer_token_needs_an_organizer() {
    let app = spawn_app().await;
    let organizer = app.login_as_organizer().await;
    let member = app.create_user("member@cert.example", Role::Member).await;
    let attendee_scope = api_token(&app, organizer.id, Scope::Attendee).await;
    let (status, body) = api_get(&app, "/api/v1/teams", Some(&attendee_scope)).await;
    assert_eq!(status, 403);
    assert!(problem_detail(&body).contains("organizer scope"), "{body}");
    let organizer_scope = api_token(&app, organizer.id, Scope::Organizer).await;
    assert_eq!(api_get(&app, "/api/v1/me/registrations", Some(&organizer_scope)).await.0, 403);
    assert_eq!(api_get(&app, "/api/v1/teams", Some(&organizer_scope)).await.0, 200);

    // A member's organizer token (never made by the page) opens nothing.
    let forged = api_token(&app, member.id, Scope::Organizer).await;
    assert_eq!(api_get(&app, "/api/v1/teams", Some(&forged)).await.0, 401);
    // An organizer who lost the second factor cannot go on with an older token.
    let id = organizer.id;
    app.db
        .query(move |c| {
            use csirt_meet::db::schema::users;
            diesel::update(users::table.find(id))
                .set(users::totp_enabled_at.eq(None::<chrono::NaiveDateTime>))
                .execute(c)
        })
        .await
        .expect("second factor off");
    assert_eq!(api_get(&app, "/api/v1/teams", Some(&organizer_scope)).await.0, 401);
}

#[tokio::test]
async fn each_token_has_its_rate_limit_with_retry_after() {
    let app = spawn_app_with(|s| s.api.requests_per_minute = 3, |_| {}).await;
    let member = app.login_as_member().await;
    let (token, other) = (
        api_token(&app, member.id, Scope::Attendee).await,
        api_token(&app, member.id, Scope::Attendee).await,
    );
    for _ in 0..3 {
        assert_eq!(api_get(&app, "/api/v1/me/registrations", Some(&token)).await.0, 200);
    }
    let res = reqwest::Client::new()
        .get(app.url("/api/v1/me/registrations"))
        .header("authorization", &token)
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), 429);
    assert_eq!(res.headers()["retry-after"], "20");
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    assert_eq!(api_get(&app, "/api/v1/me/registrations", Some(&other)).await.0, 200, "per token");
    app.clock.advance(Duration::seconds(20));
    assert_eq!(api_get(&app, "/api/v1/me/registrations", Some(&token)).await.0, 200, "after the wait");
}

#[tokio::test]
async fn last_used_is_written_at_most_hourly() {
    let app = spawn_app().await;
    let member = app.login_as_member().await;
    let (id, token) = api_token_named(&app, member.id, Scope::Attendee, "cron").await;
    let last_used = || async {
        app.db
            .query(move |c| {
                api_tokens::table
                    .find(id)
                    .select(api_tokens::last_used_at)
                    .first::<Option<chrono::NaiveDateTime>>(c)
            })
            .await
            .expect("read")
    };
    assert_eq!(last_used().await, None);
    // HEAD answers as GET does, without a body and without noting the use.
    let client = reqwest::Client::new();
    let head = client
        .head(app.url("/api/v1/me/registrations"))
        .header("authorization", &token)
        .send()
        .await
        .expect("sent");
    assert_eq!(head.status(), 200);
    assert_eq!(head.headers()["content-type"], "application/json");
    assert_eq!(head.bytes().await.expect("body").len(), 0);
    let public = client.head(app.url("/api/v1/meetings")).send().await.expect("sent");
    assert_eq!(public.status(), 200, "HEAD of a public route");
    assert_eq!(last_used().await, None, "HEAD is not a use");
    let first = app.clock.now_naive();
    api_get(&app, "/api/v1/me/registrations", Some(&token)).await;
    assert_eq!(last_used().await, Some(first));
    app.clock.advance(Duration::minutes(59));
    api_get(&app, "/api/v1/me/registrations", Some(&token)).await;
    assert_eq!(last_used().await, Some(first), "not again within the hour");
    app.clock.advance(Duration::minutes(1));
    api_get(&app, "/api/v1/me/registrations", Some(&token)).await;
    assert_eq!(last_used().await, Some(app.clock.now_naive()));
    let page = app.get("/me/security").await.text().await.expect("body");
    assert!(
        page.contains(&app.clock.now_naive().format("%-d %B %Y, %H:00 UTC").to_string()),
        "shown on the page"
    );
}

#[tokio::test]
async fn an_attendee_reads_the_released_agenda_under_t1_and_picks_through_the_pages_code() {
    let app = spawn_app().await;
    let ana = approved_attendee(&app, &[]).await;
    add_session(&app, "Open talk", "TLP:GREEN", "2026-06-20", ("09:00", "10:00"), "An open abstract").await;
    add_session(&app, "Secret-red-title", "TLP:RED", "2026-06-20", ("10:00", "11:00"), "Red abstract").await;
    add_session(&app, "Amber title", "TLP:AMBER", "2026-06-20", ("11:00", "12:00"), "Amber-abstract").await;
    let user = user_of_registration(&app, ana.registration_id).await;
    let token = api_token(&app, user, Scope::Attendee).await;
    let agenda = format!("/api/v1/meetings/{SLUG}/agenda");
    let (status, before) = api_get(&app, &agenda, Some(&token)).await;
    assert_eq!(
        (status, before["release"].clone(), before["sessions"].as_array().map(Vec::len)),
        (200, Value::Null, Some(0))
    );

    publish_agenda(&app).await;
    let (_, body) = api_get(&app, &agenda, Some(&token)).await;
    let text = body.to_string();
    assert!(!text.contains("Secret-red-title") && !text.contains("Red abstract"), "{text}");
    assert!(!text.contains("Amber-abstract"), "{text}");
    let sessions = body["sessions"].as_array().expect("sessions");
    let by = |tlp: &str| sessions.iter().find(|s| s["tlp"] == tlp).expect("a session").clone();
    assert_eq!(by("TLP:RED")["title"], csirt_meet::domain::tlp::RED_PLACEHOLDER);
    assert!(by("TLP:RED")["kind"].is_null());
    assert_eq!(by("TLP:AMBER")["title"], "Amber title");
    assert!(by("TLP:AMBER")["abstract"].is_null());
    assert_eq!(by("TLP:GREEN")["abstract"], "An open abstract");

    let green = by("TLP:GREEN")["id"].as_i64().expect("id");
    let pick = format!("/api/v1/meetings/{SLUG}/picks/{green}");
    let (status, body) = api_send(&app, Method::PUT, &pick, Some(&token), None).await;
    assert_eq!((status, body["picked"].clone(), body["changed"].clone()), (200, json!(true), json!(true)));
    let (_, again) = api_send(&app, Method::PUT, &pick, Some(&token), None).await;
    assert_eq!(again["changed"], false);
    let registration = ana.registration_id;
    let picks = || async {
        app.db
            .query(move |c| {
                agenda_picks::table
                    .filter(agenda_picks::registration_id.eq(registration))
                    .select(agenda_picks::session_id)
                    .load::<i64>(c)
            })
            .await
            .expect("picks")
    };
    assert_eq!(picks().await, [green]);
    let (_, body) = api_get(&app, &agenda, Some(&token)).await;
    assert_eq!(body["sessions"].as_array().expect("list").iter().filter(|s| s["picked"] == true).count(), 1);
    let page = ana.client.get(app.url(&format!("/meetings/{SLUG}/agenda"))).send().await.expect("sent");
    assert!(page.text().await.expect("body").contains("unpick"), "the page shows the pick");
    assert_eq!(api_send(&app, Method::DELETE, &pick, Some(&token), None).await.0, 200);
    assert!(picks().await.is_empty());
    let (status, _) =
        api_send(&app, Method::PUT, &format!("/api/v1/meetings/{SLUG}/picks/999999"), Some(&token), None)
            .await;
    assert_eq!(status, 404, "only sessions of the release");

    // Someone registered but not approved reads no agenda.
    let bob = register(
        &app,
        ana.meeting.id,
        team_of(&app).await,
        Person::new("Bob", "bob@cert-at.example", Status::Pending),
    )
    .await;
    let bob_token = api_token(&app, user_of_registration(&app, bob).await, Scope::Attendee).await;
    assert_eq!(api_get(&app, &agenda, Some(&bob_token)).await.0, 403);
    let (_, mine) = api_get(&app, "/api/v1/me/registrations", Some(&bob_token)).await;
    assert_eq!(mine["items"][0]["status"], "pending");
}

async fn team_of(app: &TestApp) -> i64 {
    app.db.query(|c| teams::table.select(teams::id).first(c)).await.expect("a team")
}

#[tokio::test]
async fn organizers_list_and_decide_registrations_through_the_cap_rule() {
    let app = spawn_app().await;
    let ana = approved_attendee(&app, &[]).await;
    let organizer = app.db.query(|c| csirt_meet::models::user::by_email(c, "organizer@cert.example")).await;
    let organizer = organizer.expect("query").expect("the organizer");
    let (token_id, token) = api_token_named(&app, organizer.id, Scope::Organizer, "review-bot").await;
    let team = team_of(&app).await;
    app.db
        .query(move |c| {
            diesel::update(teams::table.find(team)).set(teams::cap_override.eq(Some(1))).execute(c)
        })
        .await
        .expect("cap 1");
    let bob =
        register(&app, ana.meeting.id, team, Person::new("Bob", "bob@cert-at.example", Status::Pending))
            .await;

    let list = format!("/api/v1/meetings/{SLUG}/registrations");
    let (_, all) = api_get(&app, &list, Some(&token)).await;
    assert_eq!(all["items"].as_array().map(Vec::len), Some(2));
    let (_, pending) = api_get(&app, &format!("{list}?status=pending&team={team}"), Some(&token)).await;
    assert_eq!(pending["items"][0]["id"], bob);
    assert_eq!(pending["items"].as_array().map(Vec::len), Some(1));
    let (status, body) = api_get(&app, &format!("{list}?status=maybe"), Some(&token)).await;
    assert_eq!((status, pointer(&body)), (400, "status"));

    let decision = format!("{list}/{bob}/decision");
    let (status, body) =
        api_send(&app, Method::POST, &decision, Some(&token), Some(json!({"decision": "approve"}))).await;
    assert_eq!(status, 409, "past the cap");
    assert!(problem_detail(&body).contains("already has 1 approved attendee"), "{body}");
    let (status, body) =
        api_send(&app, Method::POST, &decision, Some(&token), Some(json!({"decision": "reject"}))).await;
    assert_eq!((status, pointer(&body)), (400, "/reason"));
    let (status, body) =
        api_send(&app, Method::POST, &decision, Some(&token), Some(json!({"decison": "approve"}))).await;
    assert_eq!((status, pointer(&body)), (400, "/decison"), "an unknown field is named");
    let (status, body) =
        api_send(&app, Method::POST, &decision, Some(&token), Some(json!({"decision": 7}))).await;
    assert_eq!((status, pointer(&body)), (400, "/decision"));
    let res = reqwest::Client::new()
        .post(app.url(&decision))
        .header("authorization", &token)
        .header("content-type", "application/json")
        .body("{\"decision\": ")
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), 400);
    let big = json!({"decision": "waitlist", "reason": "x".repeat(70 * 1024)});
    let (status, body) = api_send(&app, Method::POST, &decision, Some(&token), Some(big)).await;
    assert_eq!(status, 400);
    assert!(problem_detail(&body).contains("larger than 64 KiB"), "{body}");
    assert!(!audit_actions(&app).await.iter().any(|a| a.starts_with("registration.w")), "nothing written");

    let (status, body) =
        api_send(&app, Method::POST, &decision, Some(&token), Some(json!({"decision": "waitlist"}))).await;
    assert_eq!((status, body["status"].clone()), (200, json!("waitlisted")));
    let detail: String = app
        .db
        .query(|c| {
            use csirt_meet::db::schema::audit_log;
            audit_log::table
                .filter(audit_log::action.eq("registration.waitlisted"))
                .select(audit_log::detail)
                .first(c)
        })
        .await
        .expect("the audit row");
    assert!(
        detail.contains(&format!("via API token “review-bot” (#{token_id})")),
        "the name and the id: {detail}"
    );
}

#[tokio::test]
async fn organizers_add_and_change_teams_and_send_invitations() {
    let app = spawn_app().await;
    let organizer = app.login_as_organizer().await;
    create_meeting(&app, &[]).await;
    let token = api_token_named(&app, organizer.id, Scope::Organizer, "registry-sync").await.1;
    let team = json!({
        "name": "CERT Portugal", "short_name": "CERT.PT", "country_code": "pt", "website": "cert.pt", "domains": ["cert.pt"]
    });
    let (status, made) =
        api_send(&app, Method::POST, "/api/v1/teams", Some(&token), Some(team.clone())).await;
    assert_eq!(status, 201, "{made}");
    assert_eq!(
        (made["country_code"].clone(), made["domains"][0]["domain"].clone()),
        (json!("PT"), json!("cert.pt"))
    );
    let (status, body) = api_send(&app, Method::POST, "/api/v1/teams", Some(&token), Some(team)).await;
    assert_eq!((status, pointer(&body)), (400, "/short_name"), "the short name is taken");
    let (status, body) =
        api_send(&app, Method::POST, "/api/v1/teams", Some(&token), Some(json!({"name": "X"}))).await;
    assert_eq!(status, 400);
    let named: Vec<&str> =
        body["errors"].as_array().expect("errors").iter().filter_map(|e| e["pointer"].as_str()).collect();
    assert_eq!(named, ["/short_name", "/country_code", "/website"]);

    let id = made["id"].as_i64().expect("id");
    let (status, changed) =
        api_send(&app, Method::PATCH, &format!("/api/v1/teams/{id}"), Some(&token), Some(json!({"cap": 3})))
            .await;
    assert_eq!(
        (status, changed["cap"].clone(), changed["name"].clone()),
        (200, json!(3), json!("CERT Portugal"))
    );
    let (_, cleared) = api_send(
        &app,
        Method::PATCH,
        &format!("/api/v1/teams/{id}"),
        Some(&token),
        Some(json!({"cap": null})),
    )
    .await;
    assert!(cleared["cap"].is_null());
    assert_eq!(
        api_send(&app, Method::PATCH, "/api/v1/teams/999999", Some(&token), Some(json!({}))).await.0,
        404
    );
    let (_, listed) = api_get(&app, "/api/v1/teams", Some(&token)).await;
    assert!(listed["items"].as_array().expect("teams").iter().any(|t| t["short_name"] == "CERT.PT"));

    let invite = format!("/api/v1/meetings/{SLUG}/invitations");
    let (status, body) = api_send(
        &app,
        Method::POST,
        &invite,
        Some(&token),
        Some(json!({"team": id, "emails": ["ana@elsewhere.example"]})),
    )
    .await;
    assert_eq!((status, pointer(&body)), (400, "/outside_confirmed"), "an outside address must be confirmed");
    let (status, body) = api_send(
        &app,
        Method::POST,
        &invite,
        Some(&token),
        Some(json!({"team": id, "emails": ["rui@cert.pt", "ana@cert.pt"], "note": "See you"})),
    )
    .await;
    assert_eq!((status, body["sent"].clone()), (201, json!(2)));
    let (_, listed) = api_get(&app, &invite, Some(&token)).await;
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(listed["items"][0]["state"], "sent");
    app.dispatch_pending_emails().await;
    assert_eq!(app.emails().len(), 2, "each address its email");
    let actions = audit_actions(&app).await;
    assert!(actions.iter().any(|a| a == "team.created") && actions.iter().any(|a| a == "invitation.sent"));
    let details: Vec<String> = app
        .db
        .query(|c| {
            use csirt_meet::db::schema::audit_log;
            audit_log::table.select(audit_log::detail).load(c)
        })
        .await
        .expect("audit");
    assert!(
        details.iter().filter(|d| d.contains("via API token “registry-sync”")).count() >= 4,
        "{details:?}"
    );
}
