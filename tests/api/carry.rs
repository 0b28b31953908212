//! Carrying a meeting into the next year: "New meeting from this one" prefills the form
//! from the old meeting and creating it copies rooms, tracks, the questions still asked,
//! the practical information and the cap (never sessions or registrations); then the new
//! meeting proposes last year's approved attendees, by team, for invitation.

use csirt_meet::{
    domain::{agenda::Colour, registration::Status, states::TeamStatus},
    models::{
        agenda::{
            room,
            track::{self, TrackFields},
        },
        audit, meeting, practical_info, question, registration, team, user,
    },
};

use crate::{
    fixtures::{MeetingRow, Person, SLUG, Team, add_question, create_meeting, register, venue},
    helpers::{TestApp, error_summary, location, spawn_app},
};

const NEXT: &str = "natcsirt-2027";

/// The Denver form moved to June 2027, carried from `from` when given.
fn next_year(from: Option<&'static str>) -> Vec<(&'static str, &'static str)> {
    let mut form = crate::fixtures::meeting_form(&[
        ("title", "NatCSIRT 2027"),
        ("slug", NEXT),
        ("first_day", "2027-06-26"),
        ("last_day", "2027-06-27"),
        ("conference_name", "FIRST Conference 2027"),
        ("conference_first_day", "2027-06-20"),
        ("conference_last_day", "2027-06-25"),
        ("registration_opens", "2027-05-01"),
        ("registration_closes", "2027-06-15"),
    ]);
    if let Some(slug) = from {
        form.push(("from", slug));
    }
    form
}

async fn by_slug(app: &TestApp, slug: &'static str) -> Option<meeting::Meeting> {
    app.db.query(move |c| meeting::by_slug(c, slug)).await.ok()
}

async fn user_id(app: &TestApp, email: &'static str) -> i64 {
    app.db.query(move |c| user::by_email(c, email)).await.expect("query").expect("a user").id
}

#[tokio::test]
async fn a_carried_meeting_copies_the_setup_but_not_the_people() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let old = create_meeting(
        &app,
        &[("default_cap", "5"), ("offer_hours", "48"), ("description", "The yearly meeting.")],
    )
    .await;
    let team = Team::austria().insert(&app).await;
    venue(&app, old.id).await;
    let (now, id) = (app.clock.now_naive(), old.id);
    app.db
        .query(move |c| {
            let f = TrackFields {
                name: "Hardware hacking".into(),
                colour: Colour::Orange,
                description: "Bring a soldering iron.".into(),
                position: 9,
            };
            track::insert(c, id, &f)?;
            practical_info::save(c, id, "# Venue\n\nHotel Example.", 1, now)
        })
        .await
        .expect("setup");
    add_question(&app, &[("prompt", "Badge name")]).await;
    let retired = add_question(&app, &[("prompt", "Visa letter needed?"), ("kind", "yes_no")]).await;
    app.db.query(move |c| question::set_retired(c, retired, Some(now))).await.expect("retired");
    register(&app, old.id, team, Person::new("Ana", "ana@cert-at.example", Status::Approved)).await;

    let page = app.page_with(&app.client, &format!("/admin/meetings/new?from={SLUG}&edition=none")).await;
    assert!(page.contains(r#"value="NatCSIRT 2027""#), "the title's year moves on");
    assert!(page.contains(r#"value="natcsirt-2027""#), "so does the short name's");
    assert!(page.contains(r#"value="Sheraton Denver Downtown""#), "the venue is kept");
    assert!(page.contains(r#"id="default_cap" name="default_cap" value="5""#), "the cap is kept");
    assert!(
        page.contains(r#"id="offer_hours" name="offer_hours" value="48""#),
        "so are the hours to answer an offer"
    );
    assert!(page.contains("The yearly meeting."), "the description is kept");
    assert!(page.contains(r#"name="from" value="natcsirt-2026""#), "the form carries the old meeting");

    // The cap travels in the prefilled form, as checked above.
    let mut form = next_year(Some(SLUG));
    for (key, value) in [("default_cap", "5"), ("offer_hours", "48")] {
        form.iter_mut().filter(|(k, _)| *k == key).for_each(|f| f.1 = value);
    }
    let res = app.post_form("/admin/meetings", &form).await;
    assert_eq!(location(&res), format!("/admin/meetings/{NEXT}/returning?done=meeting-carried"));
    let new = by_slug(&app, NEXT).await.expect("the meeting is created");
    let (old_id, new_id) = (old.id, new.id);
    let (rooms, tracks, questions, practical, registrations) = app
        .db
        .query(move |c| {
            let names = |c: &mut _, id| -> diesel::QueryResult<_> {
                let rooms: Vec<_> =
                    room::for_meeting(c, id)?.into_iter().map(|r| (r.name, r.capacity)).collect();
                let tracks: Vec<_> =
                    track::for_meeting(c, id)?.into_iter().map(|t| (t.name, t.description)).collect();
                Ok((rooms, tracks))
            };
            let (old_rooms, old_tracks) = names(c, old_id)?;
            let (rooms, tracks) = names(c, new_id)?;
            assert_eq!(
                (rooms.clone(), tracks.clone()),
                (old_rooms, old_tracks),
                "rooms and tracks as they were: the new meeting's default tracks are replaced, not doubled"
            );
            let questions: Vec<_> = question::for_meeting(c, new_id)?.into_iter().map(|q| q.prompt).collect();
            let practical = practical_info::for_meeting(c, new_id)?.map(|p| p.markdown);
            let registrations = registration::for_meeting(c, new_id, None)?.len();
            Ok((rooms, tracks, questions, practical, registrations))
        })
        .await
        .expect("query");
    assert_eq!(rooms, vec![("Ballroom".to_owned(), 80), ("Room B".to_owned(), 80)]);
    assert!(tracks.iter().any(|t| t.0 == "Hardware hacking"), "the organizers' own track too");
    assert_eq!(questions, vec!["Badge name".to_owned()], "retired questions are not carried");
    assert_eq!(practical.as_deref(), Some("# Venue\n\nHotel Example."));
    assert_eq!((new.default_cap, new.offer_hours), (5, 48));
    assert_eq!(registrations, 0, "registrations stay with their meeting");
    let entries = app.db.query(|c| audit::recent(c, 20)).await.expect("audit");
    assert!(
        entries
            .iter()
            .any(|e| e.action == "meeting.created" && e.subject == NEXT && e.detail == "from natcsirt-2026"),
        "the creation is audited with the meeting it came from"
    );
}

#[tokio::test]
async fn carrying_from_a_meeting_that_does_not_exist_is_not_found_and_creates_nothing() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    assert_eq!(app.get("/admin/meetings/new?from=natcsirt-1999").await.status(), 404);
    let res = app.post_form("/admin/meetings", &next_year(Some("natcsirt-1999"))).await;
    assert_eq!(res.status(), 404);
    assert!(by_slug(&app, NEXT).await.is_none(), "no meeting is created");
}

/// The 2026 meeting (by the form) and the 2027 one (in the database, not carried).
async fn two_years(app: &TestApp) -> (meeting::Meeting, meeting::Meeting) {
    app.login_as_organizer().await;
    let old = create_meeting(app, &[]).await;
    let day = chrono::NaiveDate::from_ymd_opt(2027, 6, 26).expect("a day");
    let new = MeetingRow::new(NEXT, day).title("NatCSIRT 2027").insert(app).await;
    (old, new)
}

#[tokio::test]
async fn the_proposal_groups_last_years_attendees_by_team_without_suspended_teams_or_people_already_in() {
    let app = spawn_app().await;
    let (old, new) = two_years(&app).await;
    let austria = Team::austria().insert(&app).await;
    let belgium = Team::new("CERT Belgium", "CERT.be", "BE").insert(&app).await;
    let croatia = Team::new("CERT Croatia", "CERT.hr", "HR").insert(&app).await;
    for (team, name, email, status) in [
        (austria, "Bert Auer", "bert@cert-at.example", Status::Approved),
        (austria, "Ana Adler", "ana@cert-at.example", Status::Approved),
        (austria, "Eve Egger", "eve@cert-at.example", Status::Pending),
        (belgium, "Cleo Claes", "cleo@cert-be.example", Status::Approved),
        (belgium, "Fred Fontaine", "fred@cert-be.example", Status::Approved),
        (belgium, "Gus Goossens", "gus@cert-be.example", Status::Approved),
        (croatia, "Dora Dukic", "dora@cert-hr.example", Status::Approved),
    ] {
        register(&app, old.id, team, Person::new(name, email, status)).await;
    }
    let now = app.clock.now_naive();
    app.db.query(move |c| team::set_status(c, croatia, TeamStatus::Suspended, now)).await.expect("suspended");
    register(&app, new.id, belgium, Person::new("Gus Goossens", "gus@cert-be.example", Status::Pending))
        .await;
    let belgium_id = belgium.to_string();
    let res = app
        .post_form(
            &format!("/admin/meetings/{NEXT}/invitations"),
            &[("team", &belgium_id), ("emails", "fred@cert-be.example")],
        )
        .await;
    assert_eq!(res.status(), 303, "Fred is invited already");

    let page = app.page_with(&app.client, &format!("/admin/meetings/{NEXT}/returning")).await;
    let at = page.find("<legend>CERT Austria (AT)</legend>").expect("Austria's group");
    let be = page.find("<legend>CERT Belgium (BE)</legend>").expect("Belgium's group");
    assert!(at < be, "teams in name order");
    let (austria_part, belgium_part) = (&page[at..be], &page[be..]);
    let ana = austria_part.find("Ana Adler").expect("Ana under Austria");
    let bert = austria_part.find("Bert Auer").expect("Bert under Austria");
    assert!(ana < bert, "people in name order");
    assert!(belgium_part.contains("Cleo Claes"), "Cleo under Belgium");
    for absent in ["Eve Egger", "Fred Fontaine", "Gus Goossens", "Dora Dukic", "CERT Croatia"] {
        assert!(!page.contains(absent), "{absent} is not proposed");
    }
    assert_eq!(page.matches(r#"name="people""#).count(), 3);
    assert_eq!(page.matches(" checked>").count(), 3, "everyone is ticked by default");

    let first = app.page_with(&app.client, &format!("/admin/meetings/{SLUG}/returning")).await;
    assert!(
        first.contains("There was no meeting before this one"),
        "the first meeting has nobody to propose"
    );
}

#[tokio::test]
async fn ticking_two_of_three_sends_exactly_two_invitations() {
    let app = spawn_app().await;
    let (old, new) = two_years(&app).await;
    let austria = Team::austria().insert(&app).await;
    for (name, email) in [
        ("Ana Adler", "ana@cert-at.example"),
        ("Bert Auer", "bert@cert-at.example"),
        ("Cleo Cerny", "cleo@cert-at.example"),
    ] {
        register(&app, old.id, austria, Person::new(name, email, Status::Approved)).await;
    }
    let path = format!("/admin/meetings/{NEXT}/returning");
    let res = app.post_form(&path, &[]).await;
    assert_eq!(res.status(), 422);
    assert!(error_summary(&res.text().await.expect("body")).contains("Tick at least one person to invite."));

    let (ana, bert) =
        (user_id(&app, "ana@cert-at.example").await, user_id(&app, "bert@cert-at.example").await);
    let (ana, bert) = (ana.to_string(), bert.to_string());
    let res = app.post_form(&path, &[("people", &ana), ("people", &bert)]).await;
    assert_eq!(location(&res), format!("/admin/meetings/{NEXT}/invitations?done=invitations-sent"));
    let new_id = new.id;
    let invited: Vec<String> = app
        .db
        .query(move |c| csirt_meet::models::invitation::for_meeting(c, new_id))
        .await
        .expect("invitations")
        .into_iter()
        .map(|(i, _)| i.email)
        .collect();
    assert_eq!(invited.len(), 2);
    app.dispatch_pending_emails().await;
    let mut to: Vec<String> = app
        .emails()
        .iter()
        .filter(|m| m.subject() == Some("Your invitation to NatCSIRT 2027"))
        .map(|m| m.to().and_then(|a| a.first()).and_then(|a| a.address()).expect("To").to_owned())
        .collect();
    to.sort();
    assert_eq!(to, vec!["ana@cert-at.example", "bert@cert-at.example"]);
    let page = app.page_with(&app.client, &path).await;
    assert!(page.contains("Cleo Cerny") && !page.contains("Ana Adler"), "the invited are no longer proposed");
}
