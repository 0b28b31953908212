//! The speakers of draft sessions as accounts where they can be (a registration of the
//! meeting) and outside guests otherwise; the people an organizer may choose; the speakers
//! who withdrew or were revoked, which the dashboard and the editor warn about.

use diesel::prelude::*;
use serde::Serialize;

use crate::{
    db::{
        DbConnection,
        schema::{proposals, registrations, session_speakers, sessions, teams, users},
    },
    domain::{registration::Status, speaker, tlp::Tlp},
};

/// A speaker as saved: name and team are shown ("Name (Team)"); for a registration they
/// are copied from its account and team when the session is saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSpeaker {
    pub name: String,
    pub team: String,
    pub registration_id: Option<i64>,
    /// A guest's address for the plain notice; empty for none (and for a registration).
    pub email: String,
}

impl NewSpeaker {
    /// Someone known only by name and team (no account, no mail).
    pub fn text(name: &str, team: &str) -> Self {
        NewSpeaker {
            name: name.to_owned(),
            team: team.to_owned(),
            registration_id: None,
            email: String::new(),
        }
    }
}

/// Replaces the session's speakers, in this order.
pub fn replace(conn: &mut DbConnection, session_id: i64, speakers: &[NewSpeaker]) -> QueryResult<()> {
    diesel::delete(session_speakers::table.filter(session_speakers::session_id.eq(session_id)))
        .execute(conn)?;
    for (position, s) in (1..).zip(speakers) {
        diesel::insert_into(session_speakers::table)
            .values((
                session_speakers::session_id.eq(session_id),
                session_speakers::position.eq(position),
                session_speakers::name.eq(&s.name),
                session_speakers::team.eq(&s.team),
                session_speakers::registration_id.eq(s.registration_id),
                session_speakers::email.eq(&s.email),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A registration of the meeting an organizer may name as a speaker.
#[derive(Queryable, Debug, Clone, Serialize)]
pub struct Candidate {
    pub registration_id: i64,
    pub name: String,
    pub team: String,
    pub status: Status,
}

impl Candidate {
    pub fn speaker(&self) -> NewSpeaker {
        NewSpeaker { registration_id: Some(self.registration_id), ..NewSpeaker::text(&self.name, &self.team) }
    }
}

/// The meeting's registered people (everyone but unconfirmed addresses and rejections), by
/// name: withdrawn and revoked ones too, so that a session keeps a speaker who left until
/// the organizer changes it.
pub fn candidates(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<Vec<Candidate>> {
    registrations::table
        .inner_join(users::table)
        .inner_join(teams::table)
        .filter(registrations::meeting_id.eq(meeting_id))
        .filter(registrations::status.ne_all(vec![Status::PendingVerification, Status::Rejected]))
        .order((users::name, registrations::id))
        .select((registrations::id, users::name, teams::name, registrations::status))
        .load(conn)
}

/// A speaker of a session still on the draft whose registration was withdrawn or revoked,
/// or who withdrew the accepted proposal the session came from.
#[derive(Debug, Clone, Serialize)]
pub struct Gone {
    pub session_id: i64,
    pub title: String,
    pub tlp: Tlp,
    pub name: String,
    pub team: String,
    pub status: Status,
    pub proposal_withdrawn: bool,
}

/// The meeting's speakers who withdrew (their registration, or the proposal of their
/// session) or were revoked, on sessions not cancelled.
pub fn gone(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<Vec<Gone>> {
    let withdrawn: Vec<(Option<i64>, i64)> = proposals::table
        .filter(proposals::meeting_id.eq(meeting_id))
        .filter(proposals::state.eq(crate::domain::proposal::State::Withdrawn))
        .filter(proposals::session_id.is_not_null())
        .select((proposals::session_id, proposals::registration_id))
        .load(conn)?;
    let rows: Vec<(i64, String, Tlp, String, String, Status, Option<i64>)> = session_speakers::table
        .inner_join(sessions::table)
        .inner_join(registrations::table)
        .filter(sessions::meeting_id.eq(meeting_id))
        .filter(sessions::status.ne(crate::domain::agenda::SessionStatus::Cancelled))
        .order((sessions::starts_at, sessions::id, session_speakers::position))
        .select((
            sessions::id,
            sessions::title,
            sessions::tlp,
            session_speakers::name,
            session_speakers::team,
            registrations::status,
            session_speakers::registration_id,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(session_id, title, tlp, name, team, status, registration)| {
            let proposal_withdrawn = registration.is_some_and(|r| withdrawn.contains(&(Some(session_id), r)));
            (speaker::gone(status) || proposal_withdrawn).then_some(Gone {
                session_id,
                title,
                tlp,
                name,
                team,
                status,
                proposal_withdrawn,
            })
        })
        .collect())
}

/// The addresses of a session's guests who have one, for the plain notice.
pub fn guests_to_mail(conn: &mut DbConnection, session_id: i64) -> QueryResult<Vec<String>> {
    session_speakers::table
        .filter(session_speakers::session_id.eq(session_id))
        .filter(session_speakers::registration_id.is_null())
        .filter(session_speakers::email.ne(""))
        .order(session_speakers::position)
        .select(session_speakers::email)
        .load(conn)
}
