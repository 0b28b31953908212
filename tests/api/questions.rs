//! Registration questions per meeting: organizers add, reword, retire and delete them from
//! the meeting's hub; every form a person registers with asks them and refuses a bad answer
//! beside its question, writing nothing; answers show in review, on the attendee's page and
//! in the CSV export (which warns before sensitive answers); sensitive answers are purged
//! after the meeting.

use chrono::{NaiveDate, NaiveDateTime};
use csirt_meet::{
    domain::{questions::QuestionKind, registration::Status},
    models::{
        answer,
        question::{self, QuestionFields},
    },
    privacy,
};

use crate::{
    fixtures::{
        BOB, MeetingRow, Person, Registration, SLUG, add_question, approved_attendee, audit_actions, invite,
        meeting_and_team, register, registration_form, self_registration_form, signed_in_attendee,
        stored_answers,
    },
    helpers::{TestApp, location, new_client, refused_with, spawn_app},
};

fn questions_path() -> String {
    format!("/admin/meetings/{SLUG}/questions")
}

async fn question_count(app: &TestApp) -> usize {
    let m = app.db.query(|c| csirt_meet::models::meeting::by_slug(c, SLUG)).await.expect("meeting");
    app.db.query(move |c| question::for_meeting(c, m.id)).await.expect("questions").len()
}

async fn question_row(app: &TestApp, id: i64) -> question::Question {
    let m = app.db.query(|c| csirt_meet::models::meeting::by_slug(c, SLUG)).await.expect("meeting");
    app.db.query(move |c| question::find(c, m.id, id)).await.expect("question")
}

/// The registration form's fields with `answers` appended.
fn with<'a>(mut form: Vec<(&'a str, &'a str)>, answers: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    form.extend_from_slice(answers);
    form
}

#[tokio::test]
async fn organizers_add_questions_from_the_hub_and_a_bad_question_writes_nothing() {
    let app = spawn_app().await;
    meeting_and_team(&app).await;
    let hub = app.get(&format!("/admin/meetings/{SLUG}")).await.text().await.expect("body");
    assert!(
        hub.contains(&format!(r#"href="{}""#, questions_path())),
        "the hub links to the questions: {hub}"
    );

    let bad = [("prompt", " "), ("kind", "one_of"), ("choices", "Only one"), ("position", "x")];
    let res = app.post_form(&questions_path(), &bad).await;
    refused_with(
        res,
        &[
            ("prompt", "Enter the question"),
            ("choices", "List at least two choices"),
            ("position", "Enter the order as a whole number"),
        ],
    )
    .await;
    let res = app
        .post_form(
            &questions_path(),
            &[("prompt", "Badge name"), ("kind", "short_text"), ("choices", "A\nB"), ("position", "1")],
        )
        .await;
    refused_with(res, &[("choices", "Only “one of a list” and “several of a list” questions have choices")])
        .await;
    let res =
        app.post_form(&questions_path(), &[("prompt", "Essay"), ("kind", "essay"), ("position", "1")]).await;
    refused_with(res, &[("kind", "Choose a kind of answer.")]).await;
    assert_eq!(question_count(&app).await, 0, "nothing was written");

    let id = add_question(
        &app,
        &[
            ("prompt", "Dinner on Saturday?"),
            ("kind", "one_of"),
            ("choices", "Yes\nYes, vegetarian\nNo"),
            ("required", "yes"),
        ],
    )
    .await;
    let q = question_row(&app, id).await;
    assert_eq!(
        (q.kind, q.required, q.sensitive, q.choices.as_str()),
        (QuestionKind::OneOf, true, false, "Yes\nYes, vegetarian\nNo")
    );
    let page = app.get(&questions_path()).await.text().await.expect("body");
    assert!(page.contains("Dinner on Saturday?") && page.contains("One of a list"), "{page}");
    assert!(audit_actions(&app).await.contains(&"question.created".to_owned()));
}

#[tokio::test]
async fn an_answered_question_is_reworded_and_gains_choices_but_keeps_its_kind_and_chosen_choices() {
    let app = spawn_app().await;
    let a = approved_attendee(&app, &[]).await;
    let id = add_question(&app, &[("prompt", "Dinner?"), ("kind", "one_of"), ("choices", "Vegan\nAnything")])
        .await;
    let field = format!("answer-{id}");
    let mine = format!("/me/registrations/{}", a.registration_id);
    let res =
        app.post_form_with(&a.client, &mine, &[("role_title", "Analyst"), (field.as_str(), "Vegan")]).await;
    assert_eq!(location(&res), format!("{mine}?done=details-saved"));
    assert_eq!(stored_answers(&app, a.registration_id).await, [(id, "Vegan".to_owned())]);

    let edit = format!("{}/{id}", questions_path());
    let before = question_row(&app, id).await;
    let as_date = [("prompt", "Dinner?"), ("kind", "date"), ("choices", ""), ("position", "1")];
    let page =
        refused_with(app.post_form(&edit, &as_date).await, &[("kind", "its kind cannot change")]).await;
    assert!(page.contains("Retire it and add a new question instead."), "{page}");
    let renamed =
        [("prompt", "Dinner?"), ("kind", "one_of"), ("choices", "Plant-based\nAnything"), ("position", "1")];
    refused_with(
        app.post_form(&edit, &renamed).await,
        &[("choices", "“Vegan” is the answer of at least one person")],
    )
    .await;
    let unchanged = question_row(&app, id).await;
    assert_eq!(
        (unchanged.kind, unchanged.choices.clone(), unchanged.updated_at),
        (before.kind, before.choices.clone(), before.updated_at)
    );

    let reworded = [
        ("prompt", "Dinner on Saturday?"),
        ("kind", "one_of"),
        ("choices", "Anything\nVegan\nHalal"),
        ("position", "2"),
    ];
    assert_eq!(
        location(&app.post_form(&edit, &reworded).await),
        format!("{}?done=question-saved", questions_path())
    );
    let q = question_row(&app, id).await;
    assert_eq!(
        (q.prompt.as_str(), q.choices.as_str(), q.position),
        ("Dinner on Saturday?", "Anything\nVegan\nHalal", 2)
    );
    assert_eq!(
        stored_answers(&app, a.registration_id).await,
        [(id, "Vegan".to_owned())],
        "the answer stands"
    );
}

#[tokio::test]
async fn retiring_keeps_the_answers_in_review_and_export_and_takes_the_question_off_the_form() {
    let app = spawn_app().await;
    let a = approved_attendee(&app, &[]).await;
    let id = add_question(&app, &[("prompt", "Badge name"), ("kind", "short_text")]).await;
    let unanswered = add_question(&app, &[("prompt", "Shirt size"), ("kind", "short_text")]).await;
    let field = format!("answer-{id}");
    let mine = format!("/me/registrations/{}", a.registration_id);
    app.post_form_with(&a.client, &mine, &[("role_title", "Analyst"), (field.as_str(), "=Ana")]).await;

    let res = app.post_form(&format!("{}/{id}/retire", questions_path()), &[]).await;
    assert_eq!(location(&res), format!("{}?done=question-retired", questions_path()));
    let form = a.client.get(app.url(&mine)).send().await.expect("sent").text().await.expect("body");
    assert!(!form.contains(&format!(r#"name="{field}""#)), "no longer asked: {form}");
    assert!(
        form.contains("Badge name (no longer asked)") && form.contains("=Ana"),
        "the person still reads it: {form}"
    );
    // Saving the rest keeps the retired question's answer.
    app.post_form_with(&a.client, &mine, &[("role_title", "Lead")]).await;
    assert_eq!(stored_answers(&app, a.registration_id).await, [(id, "=Ana".to_owned())]);

    let review = app.get(&format!("/admin/meetings/{SLUG}/registrations/{}", a.registration_id)).await;
    assert_eq!(review.status(), 200);
    let review = review.text().await.expect("body");
    assert!(review.contains("Badge name (no longer asked)") && review.contains("=Ana"), "{review}");
    let csv = app.get(&format!("/admin/meetings/{SLUG}/registrations.csv")).await.text().await.expect("body");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "name,email,team,country,status,role,registered at (UTC),how they came,email domain,dietary,accessibility,Badge name (retired),Shirt size"
        )
    );
    assert!(lines.next().is_some_and(|l| l.ends_with(",'=Ana,")), "neutralised like every cell: {csv}");

    // Answered: not deleted (retire it instead); unanswered: deleted after confirming.
    let res = app.post_form(&format!("{}/{id}/delete", questions_path()), &[("confirm", "yes")]).await;
    assert_eq!(location(&res), format!("{}/{id}?done=question-answered", questions_path()));
    assert_eq!(question_count(&app).await, 2);
    let delete = format!("{}/{unanswered}/delete", questions_path());
    let ask = app.post_form(&delete, &[]).await.text().await.expect("body");
    assert!(ask.contains("Delete the question “Shirt size”?"), "{ask}");
    assert_eq!(question_count(&app).await, 2, "nothing deleted before confirming");
    let res = app.post_form(&delete, &[("confirm", "yes")]).await;
    assert_eq!(location(&res), format!("{}?done=question-deleted", questions_path()));
    assert_eq!(question_count(&app).await, 1);
    let restore = app.post_form(&format!("{}/{id}/restore", questions_path()), &[]).await;
    assert_eq!(location(&restore), format!("{}?done=question-restored", questions_path()));
    let actions = audit_actions(&app).await;
    for action in ["question.retired", "question.deleted", "question.restored"] {
        assert!(actions.contains(&action.to_owned()), "{action}: {actions:?}");
    }
}

/// The questions of the self-registration tests: (date, one of, several of, yes/no, text).
async fn five_questions(app: &TestApp) -> [i64; 5] {
    [
        add_question(app, &[("prompt", "Arrival date"), ("kind", "date"), ("required", "yes")]).await,
        add_question(
            app,
            &[("prompt", "Dinner"), ("kind", "one_of"), ("choices", "Meat\nVegetarian"), ("required", "yes")],
        )
        .await,
        add_question(
            app,
            &[("prompt", "Meals"), ("kind", "several_of"), ("choices", "Sat lunch\nSun lunch")],
        )
        .await,
        add_question(
            app,
            &[
                ("prompt", "Visa letter needed?"),
                ("kind", "yes_no"),
                ("required", "yes"),
                ("sensitive", "yes"),
            ],
        )
        .await,
        add_question(app, &[("prompt", "Badge name"), ("kind", "short_text")]).await,
    ]
}

#[tokio::test]
async fn self_registration_refuses_each_bad_answer_beside_its_question_and_stores_good_ones() {
    let app = spawn_app().await;
    let (m, _) = meeting_and_team(&app).await;
    let ids = five_questions(&app).await;
    let f = ids.map(|id| format!("answer-{id}"));
    let bob = new_client();
    let page = bob.get(app.url("/register")).send().await.expect("sent").text().await.expect("body");
    let sensitive =
        format!(r#"id="{}-hint">Seen by the organizers only; deleted 30 days after the meeting."#, f[3]);
    assert!(page.contains("Visa letter needed?") && page.contains(&sensitive), "{page}");
    assert!(page.contains(&format!(r#"type="date" id="{}""#, f[0])), "{page}");

    let bad = [
        (f[0].as_str(), "30/06/2026"),
        (f[1].as_str(), "Fish"),
        (f[2].as_str(), "Sat lunch"),
        (f[2].as_str(), "Brunch"),
        (f[4].as_str(), "Ana\u{202e}"),
    ];
    let res = app.post_form_with(&bob, "/register", &with(self_registration_form(BOB), &bad)).await;
    let page = refused_with(
        res,
        &[
            (&f[0], "Arrival date: Enter a date as year, month and day"),
            (&f[1], "Dinner: Choose one of the listed answers."),
            (&f[2], "Meals: Choose one of the listed answers."),
            (&f[3], "Visa letter needed?: Choose an answer."),
            (&f[4], "Badge name: Remove the invisible formatting character"),
        ],
    )
    .await;
    assert!(page.contains(r#"value="Sat lunch" checked"#), "the ticks stay: {page}");
    assert!(
        app.db
            .query(move |c| csirt_meet::models::registration::for_meeting(c, m.id, None))
            .await
            .expect("rows")
            .is_empty()
    );

    let good = [
        (f[0].as_str(), "2026-06-19"),
        (f[1].as_str(), "Vegetarian"),
        (f[2].as_str(), "Sun lunch"),
        (f[2].as_str(), "Sat lunch"),
        (f[3].as_str(), "yes"),
        (f[4].as_str(), ""),
    ];
    let res = app.post_form_with(&bob, "/register", &with(self_registration_form(BOB), &good)).await;
    assert_eq!(res.status(), 200);
    let rows = app
        .db
        .query(move |c| csirt_meet::models::registration::for_meeting(c, m.id, None))
        .await
        .expect("rows");
    let stored = stored_answers(&app, rows[0].registration.id).await;
    let expected =
        [(ids[0], "2026-06-19"), (ids[1], "Vegetarian"), (ids[2], "Sat lunch\nSun lunch"), (ids[3], "yes")];
    assert_eq!(
        stored,
        expected.map(|(id, v)| (id, v.to_owned())),
        "an optional question left empty has no row"
    );
}

#[tokio::test]
async fn accepting_an_invitation_asks_the_questions_and_a_missing_answer_keeps_the_link_unspent() {
    let app = spawn_app().await;
    let (m, team) = meeting_and_team(&app).await;
    let id = add_question(&app, &[("prompt", "Arrival date"), ("kind", "date"), ("required", "yes")]).await;
    let retired = add_question(&app, &[("prompt", "Old question"), ("kind", "short_text")]).await;
    app.post_form(&format!("{}/{retired}/retire", questions_path()), &[]).await;
    let link = invite(&app, team, "alice@cert-at.example").await;
    let alice = new_client();
    let page = alice.get(app.url(&link)).send().await.expect("sent").text().await.expect("body");
    assert!(page.contains("Arrival date") && !page.contains("Old question"), "{page}");

    let field = format!("answer-{id}");
    let res = app.post_form_with(&alice, &link, &registration_form("Alice")).await;
    refused_with(res, &[(&field, "Arrival date: Answer this question.")]).await;
    assert!(
        app.db
            .query(move |c| csirt_meet::models::registration::for_meeting(c, m.id, None))
            .await
            .expect("rows")
            .is_empty()
    );

    let form = with(registration_form("Alice"), &[(field.as_str(), "2026-06-19")]);
    let res = app.post_form_with(&alice, &link, &form).await;
    assert_eq!(location(&res), "/me?done=registered", "the link still worked");
    let rows = app
        .db
        .query(move |c| csirt_meet::models::registration::for_meeting(c, m.id, None))
        .await
        .expect("rows");
    assert_eq!(stored_answers(&app, rows[0].registration.id).await, [(id, "2026-06-19".to_owned())]);
}

#[tokio::test]
async fn the_attendee_sees_and_changes_their_answers_and_a_bad_one_changes_nothing() {
    let app = spawn_app().await;
    let (m, team) = meeting_and_team(&app).await;
    let id = add_question(
        &app,
        &[("prompt", "Meals"), ("kind", "several_of"), ("choices", "Sat lunch\nSun lunch")],
    )
    .await;
    let (_, client, reg) =
        signed_in_attendee(&app, m.id, team, "eve@cert-at.example", Registration::new(Status::Pending)).await;
    let field = format!("answer-{id}");
    let mine = format!("/me/registrations/{reg}");
    let form = [("role_title", "Analyst"), (field.as_str(), "Sun lunch")];
    assert_eq!(
        location(&app.post_form_with(&client, &mine, &form).await),
        format!("{mine}?done=details-saved")
    );
    let page = client.get(app.url(&mine)).send().await.expect("sent").text().await.expect("body");
    assert!(
        page.contains(r#"value="Sun lunch" checked"#) && !page.contains(r#"value="Sat lunch" checked"#),
        "{page}"
    );

    let bad = [("role_title", "Lead"), (field.as_str(), "Sun lunch"), (field.as_str(), "Dinner")];
    refused_with(
        app.post_form_with(&client, &mine, &bad).await,
        &[(&field, "Meals: Choose one of the listed answers.")],
    )
    .await;
    assert_eq!(stored_answers(&app, reg).await, [(id, "Sun lunch".to_owned())]);
    let rows = app
        .db
        .query(move |c| csirt_meet::models::registration::for_meeting(c, m.id, None))
        .await
        .expect("rows");
    assert_eq!(rows[0].registration.role_title, "Analyst", "nothing of the form was written");

    let data =
        client.get(app.url("/me/privacy/data.json")).send().await.expect("sent").text().await.expect("body");
    assert!(
        data.contains(r#""prompt": "Meals""#) && data.contains(r#""answer": "Sun lunch""#),
        "in my data: {data}"
    );

    let none = [("role_title", "Analyst")];
    app.post_form_with(&client, &mine, &none).await;
    assert_eq!(stored_answers(&app, reg).await, [], "unticking every box removes the answer");
}

#[tokio::test]
async fn an_export_with_sensitive_answers_says_so_before_it_downloads() {
    let app = spawn_app().await;
    let (m, team) = meeting_and_team(&app).await;
    let visa =
        add_question(&app, &[("prompt", "Visa letter needed?"), ("kind", "yes_no"), ("sensitive", "yes")])
            .await;
    let csv_path = format!("/admin/meetings/{SLUG}/registrations.csv");
    let plain = app.get(&csv_path).await;
    assert!(
        plain.headers()["content-type"].to_str().expect("ascii").starts_with("text/csv"),
        "no answers yet: no warning"
    );

    let reg = register(&app, m.id, team, Person::new("Pia", "pia@cert-at.example", Status::Approved)).await;
    let now = app.clock.now_naive();
    app.db.query(move |c| answer::save(c, reg, &[(visa, Some("yes".into()))], now)).await.expect("answer");
    let hub = app.get(&format!("/admin/meetings/{SLUG}")).await.text().await.expect("body");
    assert!(hub.contains("you are told and confirm before it downloads"), "{hub}");
    let warning = app.get(&csv_path).await;
    assert_eq!(warning.status(), 200);
    assert!(warning.headers()["content-type"].to_str().expect("ascii").starts_with("text/html"));
    let warning = warning.text().await.expect("body");
    assert!(
        warning.contains("This export holds sensitive answers")
            && warning.contains("<li>Visa letter needed?</li>"),
        "{warning}"
    );
    assert!(warning.contains(&format!(r#"href="{csv_path}?sensitive=yes""#)), "{warning}");
    let confirmed = app.get(&format!("{csv_path}?sensitive=yes")).await;
    assert!(confirmed.headers()["content-type"].to_str().expect("ascii").starts_with("text/csv"));
    let csv = confirmed.text().await.expect("body");
    assert!(csv.starts_with("name,email,team,country,status,role,registered at (UTC),how they came,email domain,dietary,accessibility,Visa letter needed?\n"), "{csv}");
    assert!(
        csv.contains("Pia,pia@cert-at.example,CERT Austria,AT,approved,Incident handler,")
            && csv.ends_with(",,,Yes\n"),
        "{csv}"
    );
}

fn day(s: &str) -> NaiveDate {
    s.parse().expect("a date")
}

#[tokio::test]
async fn sensitive_answers_are_purged_after_the_meeting_and_others_kept() {
    let app = spawn_app().await;
    let (_, team) = meeting_and_team(&app).await;
    let now = app.clock.now_naive();
    let fields = |prompt: &str, sensitive| QuestionFields {
        prompt: prompt.into(),
        hint: String::new(),
        kind: QuestionKind::ShortText,
        required: false,
        sensitive,
        choices: String::new(),
        position: 1,
        purpose: csirt_meet::domain::feedback::QuestionPurpose::Registration,
    };
    let (old, later) = app
        .db
        .query(move |c| {
            let old = MeetingRow::new("old", day("2026-06-20")).insert_in(c, now)?;
            let later = MeetingRow::new("later", day("2026-06-27")).insert_in(c, now)?;
            Ok((old, later))
        })
        .await
        .expect("meetings");
    let (visa, badge, later_visa) = app
        .db
        .query(move |c| {
            Ok((
                question::insert(c, old.id, &fields("Passport number", true), now)?.id,
                question::insert(c, old.id, &fields("Badge name", false), now)?.id,
                question::insert(c, later.id, &fields("Passport number", true), now)?.id,
            ))
        })
        .await
        .expect("questions");
    let a = register(&app, old.id, team, Person::new("Anton", "anton@a.example", Status::Approved)).await;
    let b = register(&app, later.id, team, Person::new("Anton", "anton@a.example", Status::Approved)).await;
    app.db
        .query(move |c| {
            answer::save(c, a, &[(visa, Some("P123".into())), (badge, Some("Toni".into()))], now)?;
            answer::save(c, b, &[(later_visa, Some("P123".into()))], now)
        })
        .await
        .expect("answers");

    let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("a time");
    let run = |now: NaiveDateTime| app.db.query(move |c| privacy::purge(c, 30, now));
    assert_eq!(run(at("2026-07-20 23:59")).await.expect("purge").answers, 0, "kept until the limit");
    let done = run(at("2026-07-21 00:00")).await.expect("purge");
    assert_eq!(done.answers, 1);
    assert_eq!(stored_answers(&app, a).await, [(badge, "Toni".to_owned())], "only the sensitive answer goes");
    assert_eq!(
        stored_answers(&app, b).await,
        [(later_visa, "P123".to_owned())],
        "the later meeting's is not due"
    );
    let entries = app.db.query(|c| csirt_meet::models::audit::recent(c, 10)).await.expect("audit");
    let run = entries.iter().find(|e| e.action == "privacy.purged").expect("an audit row");
    assert!(run.detail.contains("1 answers to sensitive questions"), "{}", run.detail);
}
