//! The review of proposals (issue 17, point 2): organizers list proposals with filters,
//! comment between themselves (never shown to speakers), score 1–5 each, and decide:
//! accept, reject or ask for changes, with a message mailed to every confirmed speaker.
//! Every decision is audited by the proposal's id and label. Accepting creates a draft
//! session, not yet placed, that no release publishes until the editor saves it.

use csirt_meet::{
    db::schema::{audit_log, sessions},
    domain::tlp::Tlp,
    models::{agenda::unscheduled, proposal},
};
use diesel::{ExpressionMethods as _, QueryDsl as _, RunQueryDsl as _};

use crate::{
    fixtures::{
        EDITOR, PROPOSALS, SLUG, audit_actions, colleague, open_call, proposal_form, propose, publish_agenda,
    },
    helpers::{TestApp, location, refused_with, spawn_app},
};

fn review(id: i64) -> String {
    format!("/admin/meetings/{SLUG}/proposals/{id}")
}

async fn state_of(app: &TestApp, id: i64) -> String {
    app.db.query(move |c| proposal::get(c, id)).await.expect("proposal").state.as_str().to_owned()
}

/// The addresses of the mails sent since the last call, each with its subject.
async fn sent(app: &TestApp) -> Vec<(String, String)> {
    app.dispatch_pending_emails().await;
    app.emails()
        .iter()
        .map(|m| {
            let to = m.to().and_then(|t| t.first()).and_then(|a| a.address()).unwrap_or_default().to_owned();
            (to, m.subject().unwrap_or_default().to_owned())
        })
        .collect()
}

/// Confirms every co-speaker link mailed so far.
async fn confirm_all(app: &TestApp) {
    app.dispatch_pending_emails().await;
    for mail in app.emails() {
        let text = mail.body_text(0).expect("text").into_owned();
        if let Some(at) = text.find("/speakers/") {
            let path = text[at..].split_whitespace().next().expect("link").to_owned();
            let res = app.post_form_with(&crate::helpers::new_client(), &path, &[]).await;
            assert!(matches!(res.status().as_u16(), 200 | 410), "confirmed");
        }
    }
}

#[tokio::test]
async fn organizers_filter_comment_and_score_and_speakers_never_see_the_comments() {
    let app = spawn_app().await;
    let a = open_call(&app, &[]).await;
    let first = propose(&app, &a.client, &proposal_form(&[("title", "Green talk")])).await;
    let second = propose(
        &app,
        &a.client,
        &proposal_form(&[("title", "Red case"), ("tlp", "TLP:RED"), ("kind", "Case study")]),
    )
    .await;
    let list_path = format!("/admin/meetings/{SLUG}/proposals");
    let hub = app.get(&format!("/admin/meetings/{SLUG}")).await.text().await.expect("body");
    assert!(hub.contains(&format!(r#"href="{list_path}""#)), "{hub}");
    let all = app.get(&list_path).await.text().await.expect("body");
    assert!(all.contains("Green talk") && all.contains("Red case"), "{all}");
    let red = app.get(&format!("{list_path}?tlp=TLP:RED")).await.text().await.expect("body");
    assert!(red.contains("Red case") && !red.contains("Green talk"), "{red}");
    let kind =
        app.get(&format!("{list_path}?kind=Team+update&state=submitted")).await.text().await.expect("body");
    assert!(kind.contains("Green talk") && !kind.contains("Red case"), "{kind}");
    let none = app.get(&format!("{list_path}?state=accepted")).await.text().await.expect("body");
    assert!(none.contains("No proposal matches these filters."), "{none}");
    let team = app.get(&format!("{list_path}?team=999999")).await.text().await.expect("body");
    assert!(!team.contains("Green talk"), "{team}");

    let res = app
        .post_form(&format!("{}/comments", review(first)), &[("comment", "Strong speaker, ask for a demo.")])
        .await;
    assert_eq!(res.status(), 303);
    let res = app.post_form(&format!("{}/score", review(first)), &[("score", "4")]).await;
    assert_eq!(res.status(), 303);
    refused_with(
        app.post_form(&format!("{}/score", review(first)), &[("score", "6")]).await,
        &[("score", "Give a score from 1 to 5.")],
    )
    .await;
    refused_with(
        app.post_form(&format!("{}/comments", review(second)), &[("comment", "  ")]).await,
        &[("comment", "Write the comment first.")],
    )
    .await;
    let page = app.get(&review(first)).await.text().await.expect("body");
    assert!(page.contains("Strong speaker, ask for a demo.") && page.contains("4 (yours)"), "{page}");
    let listed = app.get(&list_path).await.text().await.expect("body");
    assert!(listed.contains("4.0 (1)"), "the average score: {listed}");

    let own = app.page_with(&a.client, &format!("{PROPOSALS}/{first}")).await;
    assert!(
        !own.contains("Strong speaker") && !own.contains("4 (yours)"),
        "speakers never see comments: {own}"
    );
    assert_eq!(state_of(&app, first).await, "submitted");
}

#[tokio::test]
async fn asking_for_changes_needs_a_message_mails_every_confirmed_speaker_and_reopens_the_proposal() {
    let app = spawn_app().await;
    let a = open_call(&app, &[]).await;
    let bo = colleague(&app, &a.meeting, "Bo Lind", "bo@cert-at.example", true).await.to_string();
    let cy = colleague(&app, &a.meeting, "Cy Mo", "cy@cert-at.example", true).await.to_string();
    let id = propose(&app, &a.client, &proposal_form(&[("speakers", &bo), ("speakers", &cy)])).await;
    // Only Bo confirms.
    app.dispatch_pending_emails().await;
    let bo_mail = app
        .emails()
        .into_iter()
        .find(|m| m.to().and_then(|t| t.first()).and_then(|x| x.address()) == Some("bo@cert-at.example"))
        .expect("Bo was asked");
    let text = bo_mail.body_text(0).expect("text").into_owned();
    let path =
        text[text.find("/speakers/").expect("link")..].split_whitespace().next().expect("path").to_owned();
    assert_eq!(app.post_form_with(&crate::helpers::new_client(), &path, &[]).await.status(), 200);
    let before = app.emails().len();

    let decision = format!("{}/decision", review(id));
    refused_with(
        app.post_form(&decision, &[("decision", "ask_for_changes"), ("message", " ")]).await,
        &[("message", "Say what should change")],
    )
    .await;
    refused_with(
        app.post_form(&decision, &[("decision", "publish"), ("message", "")]).await,
        &[("decision", "Choose accept, reject or ask for changes.")],
    )
    .await;
    assert_eq!(state_of(&app, id).await, "submitted", "nothing written");

    let res =
        app.post_form(&decision, &[("decision", "ask_for_changes"), ("message", "Please add a demo.")]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(state_of(&app, id).await, "changes_requested");
    app.dispatch_pending_emails().await;
    let new: Vec<_> = app.emails().into_iter().skip(before).collect();
    let mut to: Vec<&str> =
        new.iter().filter_map(|m| m.to().and_then(|t| t.first()).and_then(|x| x.address())).collect();
    to.sort_unstable();
    assert_eq!(
        to,
        ["ana@cert-at.example", "bo@cert-at.example"],
        "the proposer and the confirmed co-speaker"
    );
    for m in &new {
        assert!(m.body_text(0).is_some_and(|t| t.contains("Please add a demo.")));
        assert!(m.subject().is_some_and(|s| s.starts_with("Changes asked")), "{:?}", m.subject());
    }
    assert!(audit_actions(&app).await.contains(&"proposal.changes_requested".to_owned()));

    // The proposer changes it (the call could even be closed): it waits for a decision again.
    let res = app
        .post_form_with(&a.client, &format!("{PROPOSALS}/{id}"), &proposal_form(&[("title", "With a demo")]))
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(state_of(&app, id).await, "submitted");
}

#[tokio::test]
async fn accepting_creates_a_draft_session_left_out_of_releases_until_the_editor_places_it() {
    let app = spawn_app().await;
    let a = open_call(&app, &[]).await;
    let bo = colleague(&app, &a.meeting, "Bo Lind", "bo@cert-at.example", true).await.to_string();
    let id =
        propose(&app, &a.client, &proposal_form(&[("speakers", &bo), ("tlp", "TLP:RED"), ("minutes", "45")]))
            .await;
    confirm_all(&app).await;

    let res =
        app.post_form(&format!("{}/decision", review(id)), &[("decision", "accept"), ("message", "")]).await;
    assert_eq!(res.status(), 303);
    let saved = app.db.query(move |c| proposal::get(c, id)).await.expect("proposal");
    assert_eq!(saved.state.as_str(), "accepted");
    let session_id = saved.session_id.expect("a session linked to the proposal");
    let s = app
        .db
        .query(move |c| csirt_meet::models::agenda::session::find(c, saved.meeting_id, session_id))
        .await
        .expect("session");
    assert_eq!((s.title.as_str(), s.tlp), ("Sharing indicators across borders", Tlp::Red));
    assert_eq!((s.ends_at - s.starts_at).num_minutes(), 45);
    assert_eq!(s.kind.as_str(), "team_update");
    let meeting_id = a.meeting.id;
    assert_eq!(
        app.db.query(move |c| unscheduled::of_meeting(c, meeting_id)).await.expect("ids"),
        [session_id]
    );
    let editor = app.get(EDITOR).await.text().await.expect("body");
    assert!(editor.contains("not yet placed"), "{editor}");
    assert!(editor.contains("Bo Lind (CERT Austria)"), "the speakers as text: {editor}");

    // A release leaves it out: there is nothing to publish.
    let draft = app.db.query(move |c| csirt_meet::models::agenda::session::draft(c, meeting_id)).await;
    assert!(draft.expect("draft").is_empty(), "not in what a release would publish");
    let res = app.post_form(&format!("{EDITOR}/publish"), &[("name", "")]).await;
    assert_eq!(location(&res), format!("{EDITOR}?done=agenda-unchanged"));

    // The audit names the proposal by id and label, never by title.
    let rows: Vec<(String, String, String)> = app
        .db
        .query(|c| {
            audit_log::table.select((audit_log::action, audit_log::subject, audit_log::detail)).load(c)
        })
        .await
        .expect("audit");
    assert!(rows.iter().all(|(_, s, d)| !s.contains("Sharing") && !d.contains("Sharing")), "{rows:?}");
    let accepted = rows.iter().find(|r| r.0 == "proposal.accepted").expect("audited");
    assert_eq!(accepted.1, format!("{SLUG}/proposal/{id}"));
    assert!(accepted.2.starts_with("TLP:RED"), "{accepted:?}");
    // The mails name a RED proposal by its number.
    for (_, subject) in sent(&app).await {
        assert!(!subject.contains("Sharing"), "{subject}");
    }
    for m in app.emails() {
        assert!(!m.body_text(0).unwrap_or_default().contains("Sharing"), "a RED title in a mail");
    }

    // Placing it in the editor: the next release publishes it.
    let path = format!("{EDITOR}/sessions/{session_id}");
    let form = [
        ("title", "Sharing indicators across borders"),
        ("abstract_text", ""),
        ("kind", "team_update"),
        ("track", ""),
        ("room", ""),
        ("day", "2026-06-20"),
        ("starts", "11:00"),
        ("ends", "11:45"),
        ("speakers", "Ana (CERT Austria)\nBo Lind (CERT Austria)"),
        ("tlp", "TLP:RED"),
    ];
    assert_eq!(app.post_form(&path, &form).await.status(), 303);
    assert!(app.db.query(move |c| unscheduled::of_meeting(c, meeting_id)).await.expect("ids").is_empty());
    publish_agenda(&app).await;
    let agenda = app.page_with(&a.client, &format!("/meetings/{SLUG}/agenda")).await;
    assert!(agenda.contains("Sharing indicators"), "{agenda}");

    // An accepted proposal is not decided again.
    let again =
        app.post_form(&format!("{}/decision", review(id)), &[("decision", "reject"), ("message", "")]).await;
    assert_eq!(again.status(), 422);
    let count: i64 = app.db.query(|c| sessions::table.count().get_result(c)).await.expect("count");
    assert_eq!(count, 1);
}

#[tokio::test]
async fn a_withdrawn_proposal_cannot_be_decided_and_rejection_mails_the_speakers() {
    let app = spawn_app().await;
    let a = open_call(&app, &[]).await;
    let gone = propose(&app, &a.client, &proposal_form(&[])).await;
    let kept = propose(&app, &a.client, &proposal_form(&[("title", "Second")])).await;
    let res =
        app.post_form_with(&a.client, &format!("{PROPOSALS}/{gone}/withdraw"), &[("confirm", "yes")]).await;
    assert_eq!(res.status(), 303);
    refused_with(
        app.post_form(&format!("{}/decision", review(gone)), &[("decision", "accept")]).await,
        &[("decision", "this decision no longer applies")],
    )
    .await;
    assert_eq!(state_of(&app, gone).await, "withdrawn");

    let res = app
        .post_form(
            &format!("{}/decision", review(kept)),
            &[("decision", "reject"), ("message", "Too close to another talk.")],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(state_of(&app, kept).await, "rejected");
    let mails = sent(&app).await;
    assert!(
        mails.iter().any(|(to, s)| to == "ana@cert-at.example" && s.starts_with("A decision")),
        "{mails:?}"
    );
    let detail: String = app
        .db
        .query(|c| {
            audit_log::table
                .filter(audit_log::action.eq("proposal.rejected"))
                .select(audit_log::detail)
                .first(c)
        })
        .await
        .expect("audited");
    assert_eq!(detail, "TLP:GREEN");
}

#[tokio::test]
async fn an_accepted_proposal_waits_in_the_editor_as_not_placed_without_a_made_up_time() {
    let app = spawn_app().await;
    let a = open_call(&app, &[]).await;
    let id = propose(&app, &a.client, &proposal_form(&[("minutes", "45")])).await;
    let res =
        app.post_form(&format!("{}/decision", review(id)), &[("decision", "accept"), ("message", "")]).await;
    assert_eq!(res.status(), 303);
    let session_id =
        app.db.query(move |c| proposal::get(c, id)).await.expect("proposal").session_id.expect("a session");

    let editor = app.get(EDITOR).await.text().await.expect("body");
    let unplaced = editor.split(r#"id="unplaced-h""#).nth(1).expect("a list of sessions not yet placed");
    let unplaced = unplaced.split("</ul>").next().expect("the list");
    assert!(
        unplaced.contains("Sharing indicators across borders</a>: not placed (45 minutes)"),
        "{unplaced}"
    );
    assert!(!editor.contains("09:00–09:45"), "no placeholder time: {editor}");

    // Its form asks for the times instead of showing the placeholder's; unchanged, it is refused.
    let path = format!("{EDITOR}/sessions/{session_id}");
    let form = app.get(&path).await.text().await.expect("form");
    assert!(form.contains("Not yet placed: this session comes from an accepted proposal (45 minutes asked)"));
    assert!(form.contains(r#"id="starts" name="starts" value="""#), "{form}");
    let fields = [
        ("title", "Sharing indicators across borders"),
        ("abstract_text", ""),
        ("kind", "team_update"),
        ("track", ""),
        ("room", ""),
        ("day", "2026-06-20"),
        ("starts", ""),
        ("ends", ""),
        ("speakers", ""),
        ("tlp", "TLP:GREEN"),
    ];
    assert_eq!(app.post_form(&path, &fields).await.status(), 422, "no times: nothing placed");
    let meeting_id = a.meeting.id;
    assert_eq!(
        app.db.query(move |c| unscheduled::of_meeting(c, meeting_id)).await.expect("ids"),
        [session_id]
    );
}
