//! Feedback on the program: approved attendees rate a session once it has ended (1–5, an
//! optional comment, editable), answer the survey after the meeting (questions the
//! organizers set in the registration-questions editor), speakers read their sessions'
//! ratings without names and organizers read everything.

use chrono::{TimeZone as _, Utc};
use csirt_meet::{
    db::schema::{answers, session_feedback},
    domain::{registration::Status, states::Role},
    models::agenda::session,
};
use diesel::{QueryDsl as _, RunQueryDsl as _};

use crate::{
    fixtures::{
        Account, EDITOR, Registration, SLUG, Team, add_question, add_session, create_meeting, publish_agenda,
        speakers_of_session,
    },
    helpers::{PASSWORD, TestApp, TestUser, location, new_client, spawn_app},
};

/// Moves the test clock to `at` (UTC). Sessions time out after two idle hours: tests
/// start the clock shortly before what they check and move it by less.
fn set_clock(app: &TestApp, y: i32, mo: u32, d: u32, h: u32, min: u32) {
    let at = Utc.with_ymd_and_hms(y, mo, d, h, min, 0).single().expect("time");
    app.clock.advance(at - app.clock.now());
}

/// The talk of the Denver meeting: Sat 20 June 2026, 09:00–10:00 MDT (15:00–16:00 UTC).
struct Talk {
    organizer: TestUser,
    meeting_id: i64,
    team: i64,
    session: i64,
}

impl Talk {
    fn page(&self) -> String {
        format!("/meetings/{SLUG}/sessions/{}", self.session)
    }

    fn feedback(&self) -> String {
        format!("/meetings/{SLUG}/sessions/{}/feedback", self.session)
    }
}

/// At 14:30 UTC on the talk's day, the organizer (on `app.client`) creates the meeting and
/// publishes the talk with `tlp`.
async fn talk(app: &TestApp, tlp: &str) -> Talk {
    set_clock(app, 2026, 6, 20, 14, 30);
    let organizer = app.login_as_organizer().await;
    let m = create_meeting(app, &[]).await;
    add_session(app, "Hunting a wiper", tlp, "2026-06-20", ("09:00", "10:00"), "How we found it.").await;
    publish_agenda(app).await;
    let meeting_id = m.id;
    let sessions = app.db.query(move |c| session::for_meeting(c, meeting_id)).await.expect("sessions");
    let team = Team::austria().insert(app).await;
    Talk { organizer, meeting_id, team, session: sessions[0].id }
}

/// A person of CERT.at with a registration in `status`, signed in on their own client:
/// (client, registration id, user id).
async fn person(
    app: &TestApp,
    t: &Talk,
    name: &str,
    email: &str,
    status: Status,
) -> (reqwest::Client, i64, i64) {
    let u = Account::member(email).name(name).password(PASSWORD).insert(app).await;
    let id = Registration::new(status).insert(app, t.meeting_id, t.team, u.id).await;
    let client = new_client();
    app.sign_in_with(&client, &u).await;
    (client, id, u.id)
}

async fn rows(app: &TestApp) -> Vec<(i64, i32, String)> {
    app.db
        .query(|c| {
            session_feedback::table
                .order(session_feedback::id)
                .select((
                    session_feedback::registration_id,
                    session_feedback::rating,
                    session_feedback::comment,
                ))
                .load(c)
        })
        .await
        .expect("ratings")
}

async fn rate(
    app: &TestApp,
    client: &reqwest::Client,
    t: &Talk,
    rating: &str,
    comment: &str,
) -> reqwest::Response {
    app.post_form_with(client, &t.feedback(), &[("rating", rating), ("comment", comment)]).await
}

async fn get(app: &TestApp, client: &reqwest::Client, path: &str) -> reqwest::Response {
    client.get(app.url(path)).send().await.expect("sent")
}

/// The page's text with HTML's escapes of quotes and slashes undone.
async fn text(res: reqwest::Response) -> String {
    res.text().await.expect("body").replace("&#x27;", "'").replace("&#x2F;", "/").replace("&quot;", "\"")
}

#[tokio::test]
async fn an_attendee_rates_a_session_once_it_ended_and_can_change_the_rating() {
    let app = spawn_app().await;
    let t = talk(&app, "TLP:GREEN").await;
    let (ana, registration, _) = person(&app, &t, "Ana Silva", "ana@cert-at.example", Status::Approved).await;

    let page = app.page_with(&ana, &t.page()).await;
    assert!(!page.contains("Feedback on this session"), "no link before the end");
    let page = app.page_with(&ana, &t.feedback()).await;
    assert!(page.contains("You can rate this session once it has ended"), "{page}");
    assert!(!page.contains("name=\"rating\""), "no form before the end");

    set_clock(&app, 2026, 6, 20, 16, 0);
    let page = app.page_with(&ana, &t.page()).await;
    assert!(page.contains(&format!("href=\"{}\"", t.feedback())), "{page}");
    assert!(page.contains("Feedback on this session"), "the session page links to its feedback once ended");

    let res = rate(&app, &ana, &t, "4", "Clear and useful.\nMore time for questions.").await;
    assert_eq!(location(&res), format!("{}?done=feedback-saved", t.feedback()));
    let page = text(get(&app, &ana, &format!("{}?done=feedback-saved", t.feedback())).await).await;
    assert!(page.contains("Thank you: your rating is saved."), "{page}");
    assert!(page.contains("value=\"4\" checked"), "the saved rating is chosen: {page}");
    assert!(page.contains("More time for questions."), "the comment is in the form");
    assert!(page.contains("Change my rating"));

    assert_eq!(rate(&app, &ana, &t, "2", "").await.status(), 303, "a second rating replaces the first");
    assert_eq!(rows(&app).await, vec![(registration, 2, String::new())], "one row per person and session");
}

#[tokio::test]
async fn a_rating_outside_one_to_five_is_refused_and_nothing_is_written() {
    let app = spawn_app().await;
    let t = talk(&app, "TLP:GREEN").await;
    let (ana, _, _) = person(&app, &t, "Ana Silva", "ana@cert-at.example", Status::Approved).await;
    set_clock(&app, 2026, 6, 20, 16, 20);
    for bad in ["0", "6", "", "4.5", "five"] {
        let res = rate(&app, &ana, &t, bad, "Kept in the form").await;
        assert_eq!(res.status(), 422, "rating {bad:?}");
        let page = text(res).await;
        assert!(page.contains("Choose a rating from 1 (poor) to 5 (excellent)."), "{bad:?}: {page}");
        assert!(page.contains("Kept in the form"), "the comment is kept");
    }
    assert!(rows(&app).await.is_empty());
}

#[tokio::test]
async fn a_comment_on_a_session_not_yet_ended_is_refused() {
    let app = spawn_app().await;
    let t = talk(&app, "TLP:GREEN").await;
    let (ana, _, _) = person(&app, &t, "Ana Silva", "ana@cert-at.example", Status::Approved).await;
    set_clock(&app, 2026, 6, 20, 15, 59);
    let res = rate(&app, &ana, &t, "5", "Too early").await;
    assert_eq!(res.status(), 422);
    let page = text(res).await;
    assert!(
        page.contains(
            "You can rate this session once it has ended, at Sat 20 June 2026, 10:00 MDT. Nothing was saved."
        ),
        "{page}"
    );
    assert!(rows(&app).await.is_empty());
}

#[tokio::test]
async fn an_over_long_comment_is_refused_and_kept_in_the_form() {
    let app = spawn_app().await;
    let t = talk(&app, "TLP:GREEN").await;
    let (ana, _, _) = person(&app, &t, "Ana Silva", "ana@cert-at.example", Status::Approved).await;
    set_clock(&app, 2026, 6, 20, 16, 20);
    let long = "x".repeat(2001);
    let res = rate(&app, &ana, &t, "3", &long).await;
    assert_eq!(res.status(), 422);
    let page = text(res).await;
    assert!(page.contains("Keep the comment to at most 2000 characters."), "{page}");
    assert!(page.contains(&long), "the comment is kept");
    assert!(rows(&app).await.is_empty());
    assert_eq!(rate(&app, &ana, &t, "3", &long[..2000]).await.status(), 303, "2000 characters are fine");
}

#[tokio::test]
async fn feedback_by_someone_not_approved_is_refused_and_nothing_is_written() {
    let app = spawn_app().await;
    let t = talk(&app, "TLP:RED").await;
    let (waiting, _, _) = person(&app, &t, "Wim", "wim@cert-at.example", Status::Waitlisted).await;
    let (withdrawn, _, _) = person(&app, &t, "Wanda", "wanda@cert-at.example", Status::Withdrawn).await;
    let outsider = new_client();
    let carl = app.create_user("carl@cert-at.example", Role::Member).await;
    app.sign_in_with(&outsider, &carl).await;
    set_clock(&app, 2026, 6, 20, 16, 20);

    for (who, client, status) in
        [("waitlisted", &waiting, "waitlisted"), ("withdrawn", &withdrawn, "withdrawn")]
    {
        let res = rate(&app, client, &t, "5", "").await;
        assert_eq!(res.status(), 422, "{who}");
        let page = text(res).await;
        assert!(
            page.contains(&format!(
                "Only approved attendees of this meeting can give feedback. Your registration: {status}."
            )),
            "{who}: {page}"
        );
        assert!(!page.contains("Hunting a wiper"), "{who}: the refusal does not name the RED session");
    }
    let res = rate(&app, &app.client, &t, "5", "").await;
    assert_eq!(res.status(), 422, "an organizer gives no feedback");
    assert!(text(res).await.contains("only approved attendees give it"));
    assert_eq!(
        rate(&app, &outsider, &t, "5", "").await.status(),
        403,
        "no registration: the agenda's refusal"
    );
    assert!(!app.page_with(&waiting, &t.feedback()).await.contains("Hunting a wiper"), "a 403 names nothing");
    assert!(rows(&app).await.is_empty());
}

#[tokio::test]
async fn a_cancelled_session_cannot_be_rated() {
    let app = spawn_app().await;
    let t = talk(&app, "TLP:GREEN").await;
    let res = app.post_form(&format!("{EDITOR}/sessions/{}/cancel", t.session), &[("confirm", "yes")]).await;
    assert_eq!(res.status(), 303);
    publish_agenda(&app).await;
    let (ana, _, _) = person(&app, &t, "Ana Silva", "ana@cert-at.example", Status::Approved).await;
    set_clock(&app, 2026, 6, 20, 16, 20);
    let res = rate(&app, &ana, &t, "1", "").await;
    assert_eq!(res.status(), 422);
    assert!(text(res).await.contains("This session was cancelled: there is nothing to rate."));
    assert!(!app.page_with(&ana, &t.page()).await.contains("Feedback on this session"));
    assert!(rows(&app).await.is_empty());
}

/// The proposer and the co-speaker who confirmed speak in the talk; the one who did not
/// confirm does not.
async fn speakers_of(app: &TestApp, t: &Talk, proposer: i64, co: i64, _unconfirmed: i64) {
    speakers_of_session(app, t.session, &[proposer, co]).await;
}

#[tokio::test]
async fn speakers_see_their_sessions_summary_and_comments_without_names() {
    let app = spawn_app().await;
    let t = talk(&app, "TLP:GREEN").await;
    let (ana, ana_id, _) = person(&app, &t, "Ana Silva", "ana@cert-at.example", Status::Approved).await;
    let (dara, dara_id, _) = person(&app, &t, "Dara Quinn", "dara@cert-at.example", Status::Approved).await;
    let (eli, eli_id, _) = person(&app, &t, "Eli Unconfirmed", "eli@cert-at.example", Status::Approved).await;
    let (ben, _, _) = person(&app, &t, "Ben Okafor", "ben@cert-at.example", Status::Approved).await;
    let (cleo, _, _) = person(&app, &t, "Cleo Marsh", "cleo@cert-at.example", Status::Approved).await;
    speakers_of(&app, &t, ana_id, dara_id, eli_id).await;

    set_clock(&app, 2026, 6, 20, 16, 10);
    assert_eq!(rate(&app, &ben, &t, "5", "Great demo of the wiper's loader.").await.status(), 303);
    assert_eq!(rate(&app, &cleo, &t, "4", "").await.status(), 303);
    assert_eq!(rate(&app, &eli, &t, "2", "Too fast for me.").await.status(), 303);

    for (who, client) in [("the proposer", &ana), ("a confirmed co-speaker", &dara)] {
        let page = text(get(&app, client, &t.feedback()).await).await;
        assert!(page.contains("What attendees said about your session"), "{who}: {page}");
        assert!(
            page.contains("<strong>3</strong> ratings, average <strong>3.7</strong> out of 5."),
            "{who}: {page}"
        );
        assert!(
            page.contains("Great demo of the wiper's loader.") && page.contains("Too fast for me."),
            "{who}"
        );
        for name in ["Ben Okafor", "Cleo Marsh", "Eli Unconfirmed", "ben@cert-at.example"] {
            assert!(!page.contains(name), "{who} sees no name: {name}");
        }
    }
    for (who, client, others) in
        [("an attendee", &ben, "Too fast for me."), ("an unconfirmed co-speaker", &eli, "Great demo")]
    {
        let page = app.page_with(client, &t.feedback()).await;
        assert!(!page.contains("What attendees said"), "{who} sees no summary");
        assert!(!page.contains(others), "{who} reads no one else's comment");
    }
}

#[tokio::test]
async fn speakers_do_not_rate_their_own_session_and_nothing_is_written() {
    let app = spawn_app().await;
    let t = talk(&app, "TLP:GREEN").await;
    let (ana, ana_id, _) = person(&app, &t, "Ana Silva", "ana@cert-at.example", Status::Approved).await;
    let (ben, _, _) = person(&app, &t, "Ben Okafor", "ben@cert-at.example", Status::Approved).await;
    speakers_of_session(&app, t.session, &[ana_id]).await;

    set_clock(&app, 2026, 6, 20, 16, 10);
    let res = rate(&app, &ana, &t, "5", "My own talk was great.").await;
    assert_eq!(res.status(), 422);
    let page = text(res).await;
    assert!(page.contains("You speak at this session"), "{page}");
    assert!(rows(&app).await.is_empty(), "nothing written");
    let form = text(get(&app, &ana, &t.feedback()).await).await;
    assert!(!form.contains("Send my rating"), "a speaker gets no rating form: {form}");
    assert_eq!(rate(&app, &ben, &t, "4", "").await.status(), 303, "an attendee rates");
}

#[tokio::test]
async fn a_speaker_who_withdrew_or_was_revoked_no_longer_reads_the_feedback() {
    let app = spawn_app().await;
    let t = talk(&app, "TLP:GREEN").await;
    let (ben, _, _) = person(&app, &t, "Ben Okafor", "ben@cert-at.example", Status::Approved).await;
    let (wes, wes_id, _) = person(&app, &t, "Wes Gone", "wes@cert-at.example", Status::Withdrawn).await;
    // A reviewer reads every agenda as organizers do, with or without a registration: only
    // the registration's status says whether they still speak.
    let rita = Account::new("rita@cert-at.example", Role::Reviewer).name("Rita Roe").password(PASSWORD);
    let rita = rita.insert(&app).await;
    let rita_id = Registration::new(Status::Revoked).insert(&app, t.meeting_id, t.team, rita.id).await;
    let reviewer = new_client();
    app.sign_in_with(&reviewer, &rita).await;
    speakers_of_session(&app, t.session, &[wes_id, rita_id]).await;

    set_clock(&app, 2026, 6, 20, 16, 10);
    assert_eq!(rate(&app, &ben, &t, "5", "Loved the loader part.").await.status(), 303);
    for (who, client) in [("a speaker who withdrew", &wes), ("a revoked speaker who reviews", &reviewer)] {
        let page = text(get(&app, client, &t.feedback()).await).await;
        assert!(!page.contains("What attendees said"), "{who} sees no summary: {page}");
        assert!(!page.contains("Loved the loader part.") && !page.contains("average"), "{who}: {page}");
    }

    // Approved again, the same person reads it: the status decides, not the account.
    app.db
        .query(move |c| {
            use csirt_meet::db::schema::registrations as r;
            use diesel::ExpressionMethods as _;
            diesel::update(r::table.find(rita_id)).set(r::status.eq(Status::Approved)).execute(c)
        })
        .await
        .expect("approved");
    let page = text(get(&app, &reviewer, &t.feedback()).await).await;
    assert!(page.contains("What attendees said") && page.contains("Loved the loader part."), "{page}");
}

#[tokio::test]
async fn organizers_read_every_rating_with_names_from_the_meeting_hub() {
    let app = spawn_app().await;
    let t = talk(&app, "TLP:RED").await;
    let (ben, _, _) = person(&app, &t, "Ben Okafor", "ben@cert-at.example", Status::Approved).await;
    let (cleo, _, _) = person(&app, &t, "Cleo Marsh", "cleo@cert-at.example", Status::Approved).await;
    set_clock(&app, 2026, 6, 20, 16, 5);
    assert_eq!(rate(&app, &ben, &t, "5", "Worth the trip.").await.status(), 303);
    assert_eq!(rate(&app, &cleo, &t, "2", "").await.status(), 303);

    let hub = app.page_with(&app.client, &format!("/admin/meetings/{SLUG}")).await;
    let overview = format!("/admin/meetings/{SLUG}/feedback");
    assert!(hub.contains(&format!("href=\"{overview}\"")), "the hub links to it");
    let page = text(app.get(&overview).await).await;
    assert!(page.contains("Hunting a wiper"), "the console shows the RED title: {page}");
    assert!(page.contains("<td data-label=\"Ratings\">2</td>") && page.contains("3.5"), "{page}");
    assert!(page.contains("<td data-label=\"Comments\">1</td>"), "{page}");
    let one = format!("/admin/meetings/{SLUG}/feedback/sessions/{}", t.session);
    assert!(page.contains(&one), "the overview links to the session's page");

    let res = app.get(&one).await;
    assert_eq!(res.status(), 200);
    let page = text(res).await;
    for seen in
        ["Ben Okafor", "Cleo Marsh", "CERT Austria", "Worth the trip.", "average <strong>3.5</strong>"]
    {
        assert!(page.contains(seen), "{seen}: {page}");
    }
    let title = page.split("<title>").nth(1).and_then(|t| t.split("</title>").next()).unwrap_or_default();
    assert!(!title.contains("Hunting a wiper"), "T1: the page's title leaves the RED title out: {title}");
    assert_eq!(app.get(&format!("/admin/meetings/{SLUG}/feedback/sessions/999999")).await.status(), 404);
}

async fn survey_question(app: &TestApp, fields: &[(&str, &str)]) -> i64 {
    let mut all = vec![("purpose", "survey")];
    all.extend_from_slice(fields);
    add_question(app, &all).await
}

async fn survey_answers(app: &TestApp) -> Vec<(i64, i64, String)> {
    app.db
        .query(|c| {
            answers::table
                .order((answers::registration_id, answers::question_id))
                .select((answers::registration_id, answers::question_id, answers::value))
                .load(c)
        })
        .await
        .expect("answers")
}

#[tokio::test]
async fn the_survey_opens_after_the_last_day_and_its_answers_can_be_changed() {
    let app = spawn_app().await;
    let t = talk(&app, "TLP:GREEN").await;
    let again = survey_question(
        &app,
        &[("prompt", "Would you come again?"), ("kind", "yes_no"), ("required", "yes")],
    )
    .await;
    let best = survey_question(&app, &[("prompt", "What worked best?"), ("kind", "long_text")]).await;
    // The last day (21 June) ends at midnight in Denver: 06:00 UTC on the 22nd.
    set_clock(&app, 2026, 6, 22, 5, 0);
    app.sign_in_with(&app.client, &t.organizer).await;
    let (ana, ana_id, _) = person(&app, &t, "Ana Silva", "ana@cert-at.example", Status::Approved).await;
    let survey = format!("/meetings/{SLUG}/survey");

    assert!(!app.page_with(&ana, "/me").await.contains(&survey), "no survey link before the end");
    let page = text(get(&app, &ana, &survey).await).await;
    assert!(page.contains("The survey opens when the meeting has ended, after Sun 21 June 2026."), "{page}");
    let answer = [
        (format!("answer-{again}"), "yes".to_owned()),
        (format!("answer-{best}"), "The team updates.".to_owned()),
    ];
    let fields: Vec<(&str, &str)> = answer.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = app.post_form_with(&ana, &survey, &fields).await;
    assert_eq!(res.status(), 422, "before the end");
    assert!(text(res).await.contains("Nothing was saved."));
    assert!(survey_answers(&app).await.is_empty());

    set_clock(&app, 2026, 6, 22, 6, 0);
    let me = app.page_with(&ana, "/me").await;
    assert!(me.contains("Tell us how the meeting went"), "/me links to the survey: {me}");
    let page = app.page_with(&ana, &survey).await;
    assert!(
        page.contains("Would you come again?") && page.contains("What worked best? (optional)"),
        "{page}"
    );

    let best_field = format!("answer-{best}");
    let res = app.post_form_with(&ana, &survey, &[(best_field.as_str(), "Only this")]).await;
    assert_eq!(res.status(), 422, "a required question left empty");
    assert!(text(res).await.contains("Would you come again?: Choose an answer."));
    assert!(survey_answers(&app).await.is_empty());

    let res = app.post_form_with(&ana, &survey, &fields).await;
    assert_eq!(location(&res), format!("{survey}?done=survey-saved"));
    assert_eq!(
        survey_answers(&app).await,
        vec![(ana_id, again, "yes".into()), (ana_id, best, "The team updates.".into())]
    );
    let page = text(get(&app, &ana, &format!("{survey}?done=survey-saved")).await).await;
    assert!(
        page.contains("Thank you: your answers are saved.") && page.contains("Save my changes"),
        "{page}"
    );
    let field = format!("answer-{again}");
    let changed = [(field.as_str(), "no")];
    assert_eq!(app.post_form_with(&ana, &survey, &changed).await.status(), 303, "answers can change");
    assert_eq!(survey_answers(&app).await, vec![(ana_id, again, "no".into())]);

    let results = text(app.get(&format!("/admin/meetings/{SLUG}/feedback")).await).await;
    assert!(results.contains("Would you come again?"), "{results}");
    assert!(results.contains("<td>No</td><td data-label=\"People\">1</td>"), "{results}");
}

#[tokio::test]
async fn survey_answers_by_someone_not_approved_are_refused() {
    let app = spawn_app().await;
    let t = talk(&app, "TLP:GREEN").await;
    let q = survey_question(&app, &[("prompt", "Would you come again?"), ("kind", "yes_no")]).await;
    set_clock(&app, 2026, 6, 22, 7, 0);
    let (waiting, _, _) = person(&app, &t, "Wim", "wim@cert-at.example", Status::Waitlisted).await;
    let field = format!("answer-{q}");
    let res =
        app.post_form_with(&waiting, &format!("/meetings/{SLUG}/survey"), &[(field.as_str(), "yes")]).await;
    assert_eq!(res.status(), 422);
    assert!(text(res).await.contains("Your registration: waitlisted. Nothing was saved."));
    assert!(!app.page_with(&waiting, "/me").await.contains("Tell us how the meeting went"));
    assert!(survey_answers(&app).await.is_empty());
}

#[tokio::test]
async fn survey_questions_are_not_asked_at_registration_and_keep_their_purpose_once_answered() {
    let app = spawn_app().await;
    let t = talk(&app, "TLP:GREEN").await;
    add_question(&app, &[("prompt", "Badge name")]).await;
    let q = survey_question(&app, &[("prompt", "Would you come again?"), ("kind", "yes_no")]).await;
    // Back before the meeting, while registrations can still be edited (the organizer's
    // session stays: it was last seen "later").
    set_clock(&app, 2026, 6, 1, 9, 0);
    let (ana, ana_id, _) = person(&app, &t, "Ana Silva", "ana@cert-at.example", Status::Approved).await;

    let mine = app.page_with(&ana, &format!("/me/registrations/{ana_id}")).await;
    assert!(mine.contains("Badge name") && !mine.contains("Would you come again?"), "{mine}");
    let list = app.page_with(&app.client, &format!("/admin/meetings/{SLUG}/questions")).await;
    let survey_part = list.split("id=\"survey\"").nth(1).expect("a survey part");
    assert!(survey_part.contains("Would you come again?") && !survey_part.contains("Badge name"), "{list}");

    let now = app.clock.now_naive();
    app.db
        .query(move |c| csirt_meet::models::answer::save(c, ana_id, &[(q, Some("yes".into()))], now))
        .await
        .expect("answered");
    let path = format!("/admin/meetings/{SLUG}/questions/{q}");
    let form = [
        ("prompt", "Would you come again?"),
        ("hint", ""),
        ("kind", "yes_no"),
        ("choices", ""),
        ("position", "1"),
        ("purpose", "registration"),
    ];
    let res = app.post_form(&path, &form).await;
    assert_eq!(res.status(), 422);
    assert!(text(res).await.contains("People have answered this question, so it stays where it is asked."));
    let stored = app.db.query(move |c| csirt_meet::models::question::survey(c, t.meeting_id)).await;
    assert_eq!(stored.expect("questions").len(), 1, "still a survey question");
}

#[tokio::test]
async fn my_data_export_holds_my_ratings_and_survey_answers_but_no_red_comment() {
    let app = spawn_app().await;
    let t = talk(&app, "TLP:RED").await;
    let green = {
        add_session(&app, "Open tooling", "TLP:GREEN", "2026-06-20", ("10:00", "10:30"), "").await;
        publish_agenda(&app).await;
        let meeting_id = t.meeting_id;
        let all = app.db.query(move |c| session::for_meeting(c, meeting_id)).await.expect("sessions");
        all.iter().find(|s| s.title == "Open tooling").expect("the green session").id
    };
    let q = survey_question(&app, &[("prompt", "Would you come again?"), ("kind", "yes_no")]).await;
    let (ana, ana_id, _) = person(&app, &t, "Ana Silva", "ana@cert-at.example", Status::Approved).await;
    let now = app.clock.now_naive();
    app.db
        .query(move |c| {
            csirt_meet::models::feedback::save(c, t.session, ana_id, 4, "RED-ONLY-REMARK", now)?;
            csirt_meet::models::feedback::save(c, green, ana_id, 5, "Green remark", now)?;
            csirt_meet::models::answer::save(c, ana_id, &[(q, Some("yes".into()))], now)
        })
        .await
        .expect("rated and answered");

    let export = app.page_with(&ana, "/me/privacy/data.json").await;
    let json: serde_json::Value = serde_json::from_str(&export).expect("JSON");
    let registration = &json["registrations"][0];
    let ratings = registration["ratings"].as_array().expect("ratings");
    assert_eq!(ratings.len(), 2, "{export}");
    assert_eq!(ratings[0]["session"], format!("{SLUG}/session/{}", t.session));
    assert_eq!((ratings[0]["rating"].as_i64(), ratings[0]["comment"].is_null()), (Some(4), true));
    assert_eq!(ratings[1]["comment"], "Green remark");
    assert!(!export.contains("RED-ONLY-REMARK") && !export.contains("Hunting a wiper"), "T1: {export}");
    assert!(export.contains("Would you come again?"), "the survey's answers: {export}");
}
