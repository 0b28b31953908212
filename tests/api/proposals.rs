//! The call for contributions (issue 17, point 1): organizers open a call in the meeting's
//! zone with its kinds; an approved attendee (or a pending one when the call allows it)
//! proposes with co-speakers chosen from the people who agreed to be listed or named by
//! address (the same answer whether the address is registered or not); co-speakers confirm
//! by a link whose GET never confirms; the proposer edits until the call closes and
//! withdraws any time. A bad proposal gets its message beside its field and writes nothing.

use csirt_meet::{
    db::schema::proposal_speakers,
    domain::registration::Status,
    models::{audit, proposal},
};
use diesel::{QueryDsl as _, RunQueryDsl as _};

use crate::{
    fixtures::{
        CALL, PROPOSALS, Person, Registration, SLUG, approved_attendee, audit_actions, call_form, colleague,
        link_in_last_mail, open_call, proposal_count, proposal_form, propose, register, signed_in_attendee,
        speaker_count, team_of, user_of_registration,
    },
    helpers::{TestApp, location, new_client, refused_with, spawn_app},
};

/// When each co-speaker confirmed.
async fn confirmed(app: &TestApp) -> Vec<Option<chrono::NaiveDateTime>> {
    app.db
        .query(|c| proposal_speakers::table.select(proposal_speakers::confirmed_at).load(c))
        .await
        .expect("speakers")
}

#[tokio::test]
async fn an_organizer_opens_the_call_from_the_hub_in_the_meetings_zone_and_bad_dates_write_nothing() {
    let app = spawn_app().await;
    let a = approved_attendee(&app, &[]).await;
    let hub = app.get(&format!("/admin/meetings/{SLUG}")).await.text().await.expect("body");
    assert!(hub.contains(&format!(r#"href="{CALL}""#)), "the hub links to the call: {hub}");

    let bad = call_form(&[("closes_date", "2026-03-01"), ("kinds", "Talk\ntalk")]);
    refused_with(
        app.post_form(CALL, &bad).await,
        &[("closes_date", "The call must close after it opens."), ("kinds", "“talk” is listed twice.")],
    )
    .await;
    let m = a.meeting.id;
    assert!(app.db.query(move |c| proposal::call::of_meeting(c, m)).await.expect("call").is_none());

    let res = app.post_form(CALL, &call_form(&[("kinds", "Presentation\nTabletop exercise")])).await;
    assert_eq!(res.status(), 303);
    let call = app.db.query(move |c| proposal::call::of_meeting(c, m)).await.expect("call").expect("saved");
    // Midnight and 23:59 in Denver (MDT, UTC−6) in UTC.
    assert_eq!(call.opens_at.to_string(), "2026-04-01 06:00:00");
    assert_eq!(call.closes_at.to_string(), "2026-05-16 05:59:00");
    assert_eq!(call.kinds(), ["Presentation", "Tabletop exercise"]);
    assert!(!call.pending_may_propose, "off unless the organizer ticks it");
    let form = app.get(CALL).await.text().await.expect("body");
    assert!(
        form.contains(r#"value="00:00""#) && form.contains(r#"value="2026-05-15""#),
        "shown in Denver: {form}"
    );
    assert!(audit_actions(&app).await.contains(&"call.saved".to_owned()));

    let page = app.page_with(&a.client, PROPOSALS).await;
    assert!(page.contains("Tabletop exercise"), "the renamed kinds are offered: {page}");
    assert!(
        page.contains("Fri 15 May 2026, 23:59 MDT") || page.contains("15 May 2026"),
        "the close in Denver: {page}"
    );
}

#[tokio::test]
async fn an_approved_attendee_proposes_with_a_co_speaker_who_confirms_by_a_post_and_never_by_a_get() {
    let app = spawn_app().await;
    let a = open_call(&app, &[]).await;
    let bo = colleague(&app, &a.meeting, "Bo Lind", "bo@cert-at.example", true).await;
    let me = app.page_with(&a.client, "/me").await;
    assert!(me.contains(&format!(r#"href="{PROPOSALS}""#)), "/me links to the call: {me}");
    let page = app.page_with(&a.client, PROPOSALS).await;
    assert!(
        page.contains("Bo Lind (CERT.at)") || page.contains("Bo Lind ("),
        "listed people are offered: {page}"
    );

    let bo_id = bo.to_string();
    let id = propose(&app, &a.client, &proposal_form(&[("speakers", &bo_id)])).await;
    let saved = app.db.query(move |c| proposal::get(c, id)).await.expect("saved");
    assert_eq!((saved.kind.as_str(), saved.minutes, saved.tlp.as_str()), ("Team update", 30, "TLP:GREEN"));
    assert_eq!(saved.state.as_str(), "submitted");
    assert!(audit_actions(&app).await.contains(&"proposal.submitted".to_owned()));

    let link = link_in_last_mail(&app, "http").await;
    let path = link.split_once("/speakers/").map(|(_, t)| format!("/speakers/{t}")).expect("a speaker link");
    let mail = app.emails().pop().expect("mail");
    assert_eq!(mail.to().and_then(|t| t.first()).and_then(|a| a.address()), Some("bo@cert-at.example"));
    assert!(mail.subject().is_some_and(|s| !s.contains("Sharing")), "the subject never names the proposal");

    // A GET (a mail scanner) shows the button and confirms nothing.
    let anonymous = new_client();
    let shown = anonymous.get(app.url(&path)).send().await.expect("sent");
    assert_eq!(shown.status(), 200);
    assert_eq!(shown.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));
    let body = shown.text().await.expect("body");
    assert!(body.contains("Confirm that I am a co-speaker"), "{body}");
    assert_eq!(confirmed(&app).await, [None]);
    let res = app.post_form_with(&anonymous, &path, &[]).await;
    assert_eq!(res.status(), 200);
    assert!(confirmed(&app).await[0].is_some(), "the POST confirms");
    let hashes: Vec<Option<String>> = app
        .db
        .query(|c| proposal_speakers::table.select(proposal_speakers::token_hash).load(c))
        .await
        .expect("hashes");
    assert_eq!(hashes, [None], "the spent link's hash is gone");
    let again = app.post_form_with(&anonymous, &path, &[]).await;
    assert_eq!(again.status(), 410, "a link works once");
    assert_eq!(confirmation_actors(&app).await, [None], "no account was signed in");

    let own = app.page_with(&a.client, &format!("{PROPOSALS}/{id}")).await;
    assert!(own.contains("Bo Lind") && own.contains("confirmed"), "{own}");
}

/// Who was signed in when each co-speaker link was used (newest first).
async fn confirmation_actors(app: &TestApp) -> Vec<Option<i64>> {
    let entries = app.db.query(|c| audit::recent(c, 200)).await.expect("query");
    entries.into_iter().filter(|e| e.action == "proposal.speaker_confirmed").map(|e| e.actor_id).collect()
}

#[tokio::test]
async fn a_co_speaker_link_used_by_another_signed_in_account_names_that_account_in_the_audit_log() {
    let app = spawn_app().await;
    let a = open_call(&app, &[]).await;
    let bo = colleague(&app, &a.meeting, "Bo Lind", "bo@cert-at.example", true).await.to_string();
    propose(&app, &a.client, &proposal_form(&[("speakers", &bo)])).await;
    let link = link_in_last_mail(&app, "http").await;
    let path = link.split_once("/speakers/").map(|(_, t)| format!("/speakers/{t}")).expect("a speaker link");

    // Bo forwarded the link to the proposer, who opens it signed in as themselves.
    let res = app.post_form_with(&a.client, &path, &[]).await;
    assert_eq!(res.status(), 200);
    let proposer = user_of_registration(&app, a.registration_id).await;
    assert_eq!(
        confirmation_actors(&app).await,
        [Some(proposer)],
        "the audit row names the account that used it"
    );
}

#[tokio::test]
async fn a_proposal_outside_the_choices_without_a_title_or_with_an_unlisted_co_speaker_writes_nothing() {
    let app = spawn_app().await;
    let a = open_call(&app, &[]).await;
    let hidden = colleague(&app, &a.meeting, "Cy Hidden", "cy@cert-at.example", false).await.to_string();
    let bad = proposal_form(&[
        ("title", "  "),
        ("kind", "Keynote"),
        ("track", "999999"),
        ("minutes", "25"),
        ("tlp", "TLP:WHITE"),
        ("speakers", &hidden),
    ]);
    let page = refused_with(
        app.post_form_with(&a.client, PROPOSALS, &bad).await,
        &[
            ("title", "Enter a title."),
            ("kind", "Choose one of the kinds of this call."),
            ("track", "Choose one of the meeting&#x27;s tracks, or no preference."),
            ("minutes", "Choose one of the durations offered"),
            ("tlp", "Choose one of the five TLP labels."),
            ("speakers", "one of those chosen cannot be chosen"),
        ],
    )
    .await;
    assert!(page.contains("How three national teams share."), "the input is kept: {page}");
    assert!(!page.contains("Cy Hidden"), "a person who did not agree to be listed is never shown");
    let own = a.registration_id.to_string();
    let myself = proposal_form(&[("speakers", &own)]);
    refused_with(
        app.post_form_with(&a.client, PROPOSALS, &myself).await,
        &[("speakers", "one of those chosen cannot be chosen")],
    )
    .await;
    assert_eq!((proposal_count(&app).await, speaker_count(&app).await), (0, 0));
    assert!(app.emails().is_empty());
}

#[tokio::test]
async fn a_proposal_after_the_call_closed_is_refused_and_the_proposer_edits_only_until_then() {
    let app = spawn_app().await;
    let a = open_call(&app, &[]).await;
    let id = propose(&app, &a.client, &proposal_form(&[])).await;
    let path = format!("{PROPOSALS}/{id}");
    let res = app
        .post_form_with(&a.client, &path, &proposal_form(&[("title", "A better title"), ("minutes", "45")]))
        .await;
    assert_eq!(res.status(), 303, "edited while open");
    let saved = app.db.query(move |c| proposal::get(c, id)).await.expect("saved");
    assert_eq!((saved.title.as_str(), saved.minutes), ("A better title", 45));

    // The organizer closes the call: it ended yesterday on Denver's clocks.
    let closed = call_form(&[("closes_date", "2026-04-30")]);
    assert_eq!(app.post_form(CALL, &closed).await.status(), 303);
    let page = refused_with(app.post_form_with(&a.client, PROPOSALS, &proposal_form(&[])).await, &[]).await;
    assert!(page.contains("The call for contributions is not open"), "{page}");
    let page = refused_with(
        app.post_form_with(&a.client, &path, &proposal_form(&[("title", "Too late")])).await,
        &[],
    )
    .await;
    assert!(page.contains("The call for contributions is not open"), "{page}");
    assert_eq!(proposal_count(&app).await, 1);
    let saved = app.db.query(move |c| proposal::get(c, id)).await.expect("saved");
    assert_eq!(saved.title, "A better title", "nothing written after the close");

    // Withdrawing works any time, after a confirmation.
    let ask = app.post_form_with(&a.client, &format!("{path}/withdraw"), &[]).await;
    assert_eq!(ask.status(), 200);
    assert!(ask.text().await.expect("body").contains("Withdraw the proposal"));
    assert_eq!(app.db.query(move |c| proposal::get(c, id)).await.expect("row").state.as_str(), "submitted");
    let res = app.post_form_with(&a.client, &format!("{path}/withdraw"), &[("confirm", "yes")]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.db.query(move |c| proposal::get(c, id)).await.expect("row").state.as_str(), "withdrawn");
    assert!(audit_actions(&app).await.contains(&"proposal.withdrawn".to_owned()));
}

#[tokio::test]
async fn pending_registrations_propose_only_when_the_organizer_allows_it() {
    let app = spawn_app().await;
    let a = open_call(&app, &[]).await;
    let team = team_of(&app, &a.meeting).await;
    let (_, client, _) = signed_in_attendee(
        &app,
        a.meeting.id,
        team,
        "pat@cert-at.example",
        Registration::new(Status::Pending),
    )
    .await;
    assert_eq!(client.get(app.url(PROPOSALS)).send().await.expect("sent").status(), 403);
    assert_eq!(app.post_form_with(&client, PROPOSALS, &proposal_form(&[])).await.status(), 403);
    assert!(!app.page_with(&client, "/me").await.contains(PROPOSALS));

    let res = app.post_form(CALL, &call_form(&[("pending_may_propose", "yes")])).await;
    assert_eq!(res.status(), 303);
    assert!(app.page_with(&client, "/me").await.contains(PROPOSALS), "/me links to the call now");
    propose(&app, &client, &proposal_form(&[])).await;
    assert_eq!(proposal_count(&app).await, 1);
}

#[tokio::test]
async fn an_address_typed_in_gets_the_same_answer_whether_registered_or_not() {
    let app = spawn_app().await;
    let a = open_call(&app, &[]).await;
    colleague(&app, &a.meeting, "Cy Hidden", "cy@cert-at.example", false).await;

    let mut answers = Vec::new();
    for address in ["cy@cert-at.example", "nobody@elsewhere.example"] {
        let res =
            app.post_form_with(&a.client, PROPOSALS, &proposal_form(&[("speaker_email", address)])).await;
        assert_eq!(res.status(), 303);
        let to = location(&res);
        let page = app.page_with(&a.client, &to).await;
        // The same page but for the proposal's own id.
        let id = to.trim_start_matches(&format!("{PROPOSALS}/")).split('?').next().expect("id").to_owned();
        answers.push(page.replace(&format!("proposals/{id}"), "proposals/ID"));
    }
    assert_eq!(answers[0], answers[1], "the proposer cannot tell who is registered");
    assert!(!answers[0].contains("Cy Hidden"), "not shown before they confirm");
    // Only the registered person was asked.
    app.dispatch_pending_emails().await;
    let to: Vec<String> = app
        .emails()
        .iter()
        .filter_map(|m| m.to().and_then(|t| t.first()).and_then(|a| a.address()).map(str::to_owned))
        .collect();
    assert_eq!(to, ["cy@cert-at.example"]);
    assert_eq!(speaker_count(&app).await, 1);

    let bad = proposal_form(&[("speaker_email", "not an address")]);
    refused_with(
        app.post_form_with(&a.client, PROPOSALS, &bad).await,
        &[("speaker_email", "such as name@team.example")],
    )
    .await;
    assert_eq!(proposal_count(&app).await, 2);
}

#[tokio::test]
async fn another_persons_proposal_is_not_found_and_organizers_do_not_propose() {
    let app = spawn_app().await;
    let a = open_call(&app, &[]).await;
    let id = propose(&app, &a.client, &proposal_form(&[])).await;
    let team = team_of(&app, &a.meeting).await;
    let (_, client, _) = signed_in_attendee(
        &app,
        a.meeting.id,
        team,
        "other@cert-at.example",
        Registration::new(Status::Approved),
    )
    .await;
    let path = format!("{PROPOSALS}/{id}");
    assert_eq!(client.get(app.url(&path)).send().await.expect("sent").status(), 404);
    assert_eq!(
        app.post_form_with(&client, &path, &proposal_form(&[("title", "Mine now")])).await.status(),
        404
    );
    assert_eq!(
        app.post_form_with(&client, &format!("{path}/withdraw"), &[("confirm", "yes")]).await.status(),
        404
    );
    assert_eq!(app.get(PROPOSALS).await.status(), 403, "organizers have no registration to propose with");
    let saved = app.db.query(move |c| proposal::get(c, id)).await.expect("row");
    assert_eq!(
        (saved.title.as_str(), saved.state.as_str()),
        ("Sharing indicators across borders", "submitted")
    );
}

#[tokio::test]
async fn the_proposer_takes_off_a_co_speaker_named_by_address_with_the_same_answer_for_any_address() {
    let app = spawn_app().await;
    let a = open_call(&app, &[]).await;
    colleague(&app, &a.meeting, "Cy Hidden", "cy@cert-at.example", false).await;
    let id = propose(&app, &a.client, &proposal_form(&[("speaker_email", "cy@cert-at.example")])).await;
    let link = link_in_last_mail(&app, "/speakers/").await;
    assert_eq!(speaker_count(&app).await, 1);
    let remove = format!("{PROPOSALS}/{id}/speakers/remove");

    // A bad address: the page again with the message beside the field, nothing removed.
    let res = app.post_form_with(&a.client, &remove, &[("email", "not an address")]).await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.expect("page");
    crate::helpers::assert_field_error(&page, "remove_email", "Remove the spaces");
    assert_eq!(speaker_count(&app).await, 1);

    // Any address gets the same answer; only the named one goes.
    let mut answers = Vec::new();
    for address in ["nobody@elsewhere.example", "cy@cert-at.example"] {
        let res = app.post_form_with(&a.client, &remove, &[("email", address)]).await;
        assert_eq!(res.status(), 303);
        answers.push(location(&res));
    }
    assert_eq!(answers[0], answers[1], "the proposer cannot tell who was registered");
    assert_eq!(answers[0], format!("{PROPOSALS}/{id}?done=speaker-removed"));
    assert_eq!(speaker_count(&app).await, 0);
    assert_eq!(audit_actions(&app).await.iter().filter(|a| *a == "proposal.speaker_removed").count(), 1);
    let res = new_client().get(app.url(&link)).send().await.expect("sent");
    assert_eq!(res.status(), 410, "their link no longer works");
}

#[tokio::test]
async fn a_confirmed_co_speaker_named_by_address_is_taken_off_by_a_button_until_the_call_closes() {
    let app = spawn_app().await;
    let a = open_call(&app, &[]).await;
    colleague(&app, &a.meeting, "Cy Hidden", "cy@cert-at.example", false).await;
    let id = propose(&app, &a.client, &proposal_form(&[("speaker_email", "cy@cert-at.example")])).await;
    let link = link_in_last_mail(&app, "/speakers/").await;
    assert_eq!(app.post_form_with(&new_client(), &link, &[]).await.status(), 200, "Cy confirms");
    let page = app.page_with(&a.client, &format!("{PROPOSALS}/{id}")).await;
    assert!(page.contains("Take off Cy Hidden (CERT Austria)"), "{page}");
    let speaker = page
        .split(r#"name="speaker" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the button carries the speaker")
        .to_owned();

    // Once the call closed, nothing changes.
    let closed = call_form(&[("closes_date", "2026-04-30")]);
    assert_eq!(app.post_form(CALL, &closed).await.status(), 303, "the call closed yesterday");
    let remove = format!("{PROPOSALS}/{id}/speakers/remove");
    let res = app.post_form_with(&a.client, &remove, &[("speaker", speaker.as_str())]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("page").contains("can no longer be changed"));
    assert_eq!(speaker_count(&app).await, 1);
}

#[tokio::test]
async fn the_agenda_links_to_the_call_while_it_is_open() {
    let app = spawn_app().await;
    let a = open_call(&app, &[]).await;
    let agenda = format!("/meetings/{SLUG}/agenda");
    let page = app.page_with(&a.client, &agenda).await;
    assert!(
        page.contains(&format!(r#"href="{PROPOSALS}""#)),
        "the attendee's agenda links to the call: {page}"
    );
    let organizer = app.get(&agenda).await.text().await.expect("page");
    assert!(!organizer.contains(&format!(r#"href="{PROPOSALS}""#)), "organizers do not propose");

    // Closed: no link.
    let closed = call_form(&[("closes_date", "2026-04-30")]);
    assert_eq!(app.post_form(CALL, &closed).await.status(), 303, "the call closed yesterday");
    let page = app.page_with(&a.client, &agenda).await;
    assert!(!page.contains(&format!(r#"href="{PROPOSALS}""#)), "{page}");
}

#[tokio::test]
async fn a_persons_data_export_holds_their_proposals_under_the_tlp_rule() {
    let app = spawn_app().await;
    let a = open_call(&app, &[]).await;
    let green = propose(&app, &a.client, &proposal_form(&[])).await;
    let red_form = proposal_form(&[
        ("title", "Nightjar takedown"),
        ("abstract_text", "Who did it."),
        ("tlp", "TLP:RED"),
    ]);
    let red = propose(&app, &a.client, &red_form).await;
    let amber_form =
        proposal_form(&[("title", "Amber case"), ("abstract_text", "Secret details."), ("tlp", "TLP:AMBER")]);
    let amber = propose(&app, &a.client, &amber_form).await;

    let res = a.client.get(app.url("/me/privacy/data.json")).send().await.expect("sent");
    assert_eq!(res.status(), 200);
    let body = res.text().await.expect("body");
    let json: serde_json::Value = serde_json::from_str(&body).expect("json");
    let proposals = json["registrations"][0]["proposals"].as_array().expect("a list of proposals");
    let of = |id: i64| proposals.iter().find(|p| p["id"] == id).unwrap_or_else(|| panic!("{id}: {body}"));
    assert_eq!(proposals.len(), 3, "{body}");
    assert_eq!(of(green)["title"], "Sharing indicators across borders");
    assert_eq!(of(green)["abstract_text"], "How three national teams share.\nWhat stops them.");
    assert_eq!(
        (&of(green)["kind"], &of(green)["minutes"], &of(green)["state"]),
        (&"Team update".into(), &30.into(), &"submitted".into())
    );
    assert_eq!(of(red)["title"], format!("proposal #{red} (TLP:RED)"));
    assert_eq!(of(red)["tlp"], "TLP:RED");
    assert!(of(red)["abstract_text"].is_null());
    assert_eq!(of(amber)["title"], "Amber case");
    assert!(of(amber)["abstract_text"].is_null());
    for secret in ["Nightjar", "Who did it", "Secret details"] {
        assert!(!body.contains(secret), "{secret} left the app: {body}");
    }
}

/// The path of the co-speaker link in the last mail.
async fn speaker_link(app: &TestApp) -> String {
    let link = link_in_last_mail(app, "http").await;
    link.split_once("/speakers/").map(|(_, t)| format!("/speakers/{t}")).expect("a speaker link")
}

#[tokio::test]
async fn the_co_speaker_list_shows_approved_listed_people_and_only_to_approved_proposers() {
    let app = spawn_app().await;
    let a = open_call(&app, &[("pending_may_propose", "yes")]).await;
    let team = team_of(&app, &a.meeting).await;
    colleague(&app, &a.meeting, "Bo Lind", "bo@cert-at.example", true).await;
    let wil = register(
        &app,
        a.meeting.id,
        team,
        Person::new("Wil Waiting", "wil@cert-at.example", Status::Waitlisted),
    )
    .await;
    let page = app.page_with(&a.client, PROPOSALS).await;
    assert!(page.contains("Bo Lind ("), "an approved, listed person is offered: {page}");
    assert!(!page.contains("Wil Waiting"), "a waitlisted person is not, listed or not: {page}");
    let forged = wil.to_string();
    let res = app.post_form_with(&a.client, PROPOSALS, &proposal_form(&[("speakers", &forged)])).await;
    assert_eq!(res.status(), 422, "a forged choice of the waitlisted person is refused");
    assert_eq!(proposal_count(&app).await, 0);

    // A pending proposer (the call lets them propose) reads no names: the listing consent
    // covers approved attendees' eyes only.
    let (_, pending, _) = signed_in_attendee(
        &app,
        a.meeting.id,
        team,
        "pat@cert-at.example",
        Registration::new(Status::Pending),
    )
    .await;
    let page = app.page_with(&pending, PROPOSALS).await;
    assert!(!page.contains("Bo Lind"), "{page}");
    assert!(page.contains("Name a co-speaker by address below."), "{page}");
}

#[tokio::test]
async fn a_co_speaker_link_confirms_nothing_once_the_proposal_is_decided_or_the_person_withdrew() {
    let app = spawn_app().await;
    let a = open_call(&app, &[]).await;
    let bo = colleague(&app, &a.meeting, "Bo Lind", "bo@cert-at.example", true).await;
    let cy = colleague(&app, &a.meeting, "Cy Gone", "cy@cert-at.example", true).await;

    let id = propose(&app, &a.client, &proposal_form(&[("speakers", &bo.to_string())])).await;
    let bo_link = speaker_link(&app).await;
    let decision = format!("/admin/meetings/{SLUG}/proposals/{id}/decision");
    let res = app.post_form(&decision, &[("decision", "accept"), ("message", "Welcome.")]).await;
    assert_eq!(res.status(), 303, "accepted");
    for res in [
        new_client().get(app.url(&bo_link)).send().await.expect("sent"),
        app.post_form_with(&new_client(), &bo_link, &[]).await,
    ] {
        assert_eq!(res.status(), 410);
        let page = res.text().await.expect("body");
        assert!(page.contains("The organizers have already decided on this proposal"), "{page}");
        assert!(!page.contains("Confirm that I am a co-speaker"), "no button: {page}");
    }
    assert_eq!(confirmed(&app).await, [None], "nothing confirmed");

    let other =
        propose(&app, &a.client, &proposal_form(&[("title", "Second"), ("speakers", &cy.to_string())])).await;
    let cy_link = speaker_link(&app).await;
    app.db
        .query(move |c| {
            use csirt_meet::db::schema::registrations;
            use diesel::{ExpressionMethods as _, QueryDsl as _};
            diesel::update(registrations::table.find(cy))
                .set(registrations::status.eq(Status::Withdrawn))
                .execute(c)
        })
        .await
        .expect("withdrawn");
    let res = app.post_form_with(&new_client(), &cy_link, &[]).await;
    assert_eq!(res.status(), 410);
    assert!(res.text().await.expect("body").contains("Your registration for this meeting is withdrawn"));
    let speakers =
        app.db.query(move |c| proposal::speakers::of_proposals(c, &[other])).await.expect("speakers");
    assert!(speakers.iter().all(|s| s.confirmed_at.is_none()), "Cy is not confirmed");
}

#[tokio::test]
async fn withdrawing_an_accepted_proposal_warns_the_organizers_in_the_agenda_editor() {
    let app = spawn_app().await;
    let a = open_call(&app, &[]).await;
    let id = propose(&app, &a.client, &proposal_form(&[])).await;
    let decision = format!("/admin/meetings/{SLUG}/proposals/{id}/decision");
    assert_eq!(app.post_form(&decision, &[("decision", "accept"), ("message", "")]).await.status(), 303);
    let editor = format!("/admin/meetings/{SLUG}/agenda");
    assert!(!app.get(&editor).await.text().await.expect("body").contains("withdrawn proposal"));

    let withdraw = format!("{PROPOSALS}/{id}/withdraw");
    assert_eq!(app.post_form_with(&a.client, &withdraw, &[("confirm", "yes")]).await.status(), 303);
    let page = app.get(&editor).await.text().await.expect("body");
    assert!(page.contains("is the proposer of a withdrawn proposal but still a speaker of"), "{page}");
    let dashboard = app.get("/admin").await.text().await.expect("body");
    assert!(dashboard.contains("the proposer of a withdrawn proposal but still speaks"), "{dashboard}");
}
