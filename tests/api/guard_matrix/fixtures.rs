//! The people and things the matrix needs, made once: two meetings, a published session,
//! one person per role with a session of their own, and a real id or token for every path
//! parameter of the route table.

use chrono::Duration;
use csirt_meet::{
    db::schema::{agenda_releases, registrations, rooms, sessions, tracks},
    domain::{
        api_token::Scope as ApiScope,
        registration::Status,
        states::{Purpose, Role as UserRole},
        token::Token,
    },
    models::{one_time_token, session, user},
};
use diesel::{ExpressionMethods as _, QueryDsl as _, RunQueryDsl as _};

use super::roles::Role;
use crate::{
    fixtures::{
        Account, Person, SLUG, add_question, add_session, api_token_named, approved_attendee, feed_path,
        invite, meeting_form, organizer_feed_token, proposal_row, publish_agenda, register, schedule_token,
    },
    helpers::TestApp,
};

pub const OTHER_SLUG: &str = "natcsirt-2026-bis";

/// Ids and tokens that fill the route table's path parameters.
pub struct Fixtures {
    /// The approved attendee's registration for `SLUG` (every `{id}` of a registration).
    pub registration: i64,
    pub session: i64,
    pub track: i64,
    pub room: i64,
    /// A registration question of `SLUG` nobody answered.
    pub question: i64,
    pub team: i64,
    /// A FIRST edition of the seed, which no meeting was created from.
    pub edition: i64,
    pub invitation: i64,
    /// The approved attendee's proposal for `SLUG` (every `{id}` of a proposal).
    pub proposal: i64,
    /// A TLP:GREEN file the organizer shared on `session` (`{material}`).
    pub material: i64,
    /// A co-speaker's confirmation link of that proposal, not yet used.
    pub speaker_token: String,
    /// A team contact's endorsement link for the pending registration, not yet used.
    pub endorsement_token: String,
    /// An organizer other than the signed-in ones (`/admin/organizers/{id}/…`).
    pub other_organizer: i64,
    pub organizer_invitation: i64,
    /// An API token of `other_organizer` (`/me/api-tokens/{id}/…`: someone else's for all).
    pub api_token: i64,
    pub feed_token: String,
    /// The approved attendee's schedule address for conference apps.
    pub schedule_token: String,
    /// The signed-in organizer's own feed of `SLUG`.
    pub organizer_feed_token: String,
    pub invitation_token: String,
    pub setup_token: String,
    pub verify_token: String,
    pub reset_token: String,
    /// Who plays each role: (user id, whether both sign-in steps are done).
    pub players: Vec<(Role, i64, bool)>,
}

/// Builds everything through the organizer's pages where that is short, directly in the
/// database otherwise. Leaves the organizer signed in on `app.client`.
pub async fn set_up(app: &TestApp) -> Fixtures {
    let attendee = approved_attendee(app, &[]).await;
    let meeting_id = attendee.meeting.id;
    let editor = format!("/admin/meetings/{SLUG}/agenda");
    add_session(app, "Guarded talk", "TLP:GREEN", "2026-06-20", ("09:00", "10:00"), "").await;
    publish_agenda(app).await;
    let room = [("name", "Main hall"), ("capacity", "80"), ("position", "1")];
    assert_eq!(app.post_form(&format!("{editor}/rooms"), &room).await.status(), 303, "a room");
    let feed = feed_path(app, &attendee).await;
    let schedule = schedule_token(app, &attendee).await;
    let organizer_feed = organizer_feed_token(app).await;
    let other = meeting_form(&[("slug", OTHER_SLUG), ("title", "NatCSIRT 2026 bis")]);
    assert_eq!(app.post_form("/admin/meetings", &other).await.status(), 303, "a second meeting");
    let other_meeting = app.db.query(|c| csirt_meet::models::meeting::by_slug(c, OTHER_SLUG)).await;
    let other_meeting = other_meeting.expect("second meeting").id;

    let question = add_question(app, &[("prompt", "Badge name"), ("kind", "short_text")]).await;
    let registration = attendee.registration_id;
    let (session, track, room, team) = app
        .db
        .query(move |c| {
            let published = agenda_releases::table.filter(agenda_releases::meeting_id.eq(meeting_id)).count();
            assert_eq!(published.get_result::<i64>(c)?, 1);
            Ok((
                sessions::table.filter(sessions::meeting_id.eq(meeting_id)).select(sessions::id).first(c)?,
                tracks::table.filter(tracks::meeting_id.eq(meeting_id)).select(tracks::id).first(c)?,
                rooms::table.filter(rooms::meeting_id.eq(meeting_id)).select(rooms::id).first(c)?,
                registrations::table.find(registration).select(registrations::team_id).first(c)?,
            ))
        })
        .await
        .expect("the agenda's ids");
    let invitation_path = invite(app, team, "bob@cert-at.example").await;
    let invitation = app
        .db
        .query(move |c| csirt_meet::models::invitation::for_meeting(c, meeting_id))
        .await
        .expect("invitations")[0]
        .0
        .id;

    let edition = app.db.query(csirt_meet::models::first_edition::list).await.expect("editions")[0].id;

    let mut players = Vec::new();
    let organizer = app.db.query(|c| user::by_email(c, "organizer@cert.example")).await;
    players.push((Role::Organizer, organizer.expect("query").expect("the organizer").id, true));
    let halfway = app.create_user("halfway@cert.example", UserRole::Organizer).await;
    players.push((Role::OrganizerBetweenSteps, halfway.id, false));
    let other_organizer = app.create_user("other-organizer@cert.example", UserRole::Organizer).await.id;
    players.push((Role::ApprovedAttendee, attendee_user(app, registration).await, true));
    let second_factor = Account::member("totp@cert-at.example").second_factor().insert(app).await.id;
    players.push((Role::MemberWithSecondFactor, second_factor, true));
    let reviewer =
        Account::new("reviewer@cert.example", UserRole::Reviewer).second_factor().insert(app).await.id;
    players.push((Role::Reviewer, reviewer, true));
    for (role, status, meeting, email) in [
        (Role::Pending, Status::Pending, meeting_id, "pending@cert-at.example"),
        (Role::Waitlisted, Status::Waitlisted, meeting_id, "waitlisted@cert-at.example"),
        (Role::Rejected, Status::Rejected, meeting_id, "rejected@cert-at.example"),
        (Role::Withdrawn, Status::Withdrawn, meeting_id, "withdrawn@cert-at.example"),
        (Role::Revoked, Status::Revoked, meeting_id, "revoked@cert-at.example"),
        (Role::AttendeeOfAnotherMeeting, Status::Approved, other_meeting, "elsewhere@cert-at.example"),
        (Role::UnprovenAddress, Status::PendingVerification, meeting_id, "unproven@cert-at.example"),
    ] {
        let person = Person::new("Someone", email, status);
        let person = if role == Role::UnprovenAddress { person.unproven() } else { person };
        let id = register(app, meeting, team, person).await;
        players.push((role, attendee_user(app, id).await, true));
    }
    let unproven = players.iter().find(|p| p.0 == Role::UnprovenAddress).expect("unproven").1;

    let organizer_id = players[0].1;
    let (setup_token, organizer_invitation) =
        token(app, Purpose::OrganizerInvite, None, Some(organizer_id)).await;
    let (verify_token, _) = token(app, Purpose::VerifyEmail, Some(unproven), None).await;
    let attendee_id = players.iter().find(|p| p.0 == Role::ApprovedAttendee).expect("attendee").1;
    let (reset_token, _) = token(app, Purpose::PasswordReset, Some(attendee_id), None).await;
    let proposal = proposal_row(app, meeting_id, registration, csirt_meet::domain::tlp::Tlp::Green).await;
    let pending = players.iter().find(|p| p.0 == Role::Pending).expect("pending").1;
    let speaker_token = speaker_token(app, meeting_id, proposal, pending).await;
    let endorsement_token = endorsement_token(app, meeting_id, pending).await;
    let material = shared_file(app, session, organizer_id).await;
    let api_token = api_token_named(app, other_organizer, ApiScope::Attendee, "someone else's").await.0;
    Fixtures {
        registration,
        session,
        track,
        room,
        question,
        team,
        edition,
        invitation,
        proposal,
        material,
        speaker_token,
        endorsement_token,
        other_organizer,
        organizer_invitation,
        api_token,
        feed_token: feed.trim_start_matches("/feeds/").trim_end_matches(".ics").to_owned(),
        schedule_token: schedule,
        organizer_feed_token: organizer_feed,
        invitation_token: invitation_path.trim_start_matches("/invitations/").to_owned(),
        setup_token,
        verify_token,
        reset_token,
        players,
    }
}

/// A stored TLP:GREEN PDF on `session`, shared by `by`.
async fn shared_file(app: &TestApp, session: i64, by: i64) -> i64 {
    use csirt_meet::{
        domain::{material::FileKind, tlp::Tlp},
        models::material,
    };
    let now = app.clock.now_naive();
    app.db
        .query(move |c| {
            let id = material::begin(c, session, by, "guarded.pdf", FileKind::Pdf, Tlp::Green, now)?;
            material::append(c, id, 0, b"%PDF-1.7\n")?;
            material::finish(c, id, 9, 1, now)?;
            Ok(id)
        })
        .await
        .expect("a shared file")
}

async fn attendee_user(app: &TestApp, registration: i64) -> i64 {
    let query = registrations::table.find(registration).select(registrations::user_id);
    app.db.query(move |c| query.first(c)).await.expect("the registration's user")
}

/// The raw link token of a co-speaker (`user_id`'s registration for the meeting) asked to
/// confirm `proposal`.
async fn speaker_token(app: &TestApp, meeting_id: i64, proposal: i64, user_id: i64) -> String {
    let (raw, now) = (Token::generate(), app.clock.now_naive());
    let hash = raw.hash();
    app.db
        .query(move |c| {
            let registration = registrations::table
                .filter(registrations::meeting_id.eq(meeting_id))
                .filter(registrations::user_id.eq(user_id))
                .select(registrations::id)
                .first(c)?;
            csirt_meet::models::proposal::speakers::add(c, proposal, registration, false, &hash, now)
        })
        .await
        .expect("a co-speaker");
    raw.as_str().to_owned()
}

/// The raw link of a team contact asked to endorse `user_id`'s registration for the meeting.
async fn endorsement_token(app: &TestApp, meeting_id: i64, user_id: i64) -> String {
    let (raw, now) = (Token::generate(), app.clock.now_naive());
    let hash = raw.hash();
    app.db
        .query(move |c| {
            let registration = registrations::table
                .filter(registrations::meeting_id.eq(meeting_id))
                .filter(registrations::user_id.eq(user_id))
                .select(registrations::id)
                .first(c)?;
            let contact = ("Carla Contact", "carla@cert-at.example");
            let expires = now + chrono::Days::new(14);
            csirt_meet::models::endorsement::insert(c, registration, contact, &hash, (now, expires))
        })
        .await
        .expect("an endorsement request");
    raw.as_str().to_owned()
}

/// A valid one-time token: (raw token, row id).
async fn token(app: &TestApp, purpose: Purpose, user_id: Option<i64>, by: Option<i64>) -> (String, i64) {
    let (raw, now) = (Token::generate(), app.clock.now_naive());
    let hash = raw.hash();
    let id = app
        .db
        .query(move |c| {
            let email = user_id.is_none().then_some("new-organizer@cert.example");
            one_time_token::insert(
                c,
                &one_time_token::NewToken {
                    purpose,
                    token_hash: &hash,
                    user_id,
                    email,
                    name: email.map(|_| "New Organizer"),
                    expires_at: now + Duration::days(2),
                    created_by: by,
                    created_at: now,
                },
            )?;
            use csirt_meet::db::schema::one_time_tokens as t;
            t::table.filter(t::token_hash.eq(&hash)).select(t::id).first(c)
        })
        .await
        .expect("token");
    (raw.as_str().to_owned(), id)
}

/// A session of the player's own, as signing in would make it: (cookie value, CSRF token).
pub async fn session_for(app: &TestApp, user_id: i64, both_steps: bool) -> (String, String) {
    let (raw, csrf, now) = (Token::generate(), Token::generate().as_str().to_owned(), app.clock.now_naive());
    let (hash, stored) = (raw.hash(), csrf.clone());
    app.db
        .query(move |c| session::create(c, &hash, user_id, &stored, both_steps, now))
        .await
        .expect("session");
    (raw.as_str().to_owned(), csrf)
}
