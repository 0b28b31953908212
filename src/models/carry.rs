//! Carrying a meeting into the next year: what a new meeting copies from an earlier one
//! (rooms, tracks, the questions still asked, the practical information; never sessions,
//! registrations, invitations or answers), and the earlier meeting's approved attendees
//! proposed for invitation to the new one.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::{
    db::{
        DbConnection,
        schema::{invitations, meetings, registrations, teams, tracks, users},
    },
    domain::{registration::Status, states::TeamStatus},
    models::{
        agenda::{
            room::{self, RoomFields},
            track::{self, TrackFields},
        },
        meeting::Meeting,
        practical_info,
        question::{self, QuestionFields},
    },
};

/// Copies the setup of meeting `from` into the new meeting `to`, replacing the tracks it
/// was created with. The caller owns the transaction.
pub fn copy_setup(
    conn: &mut DbConnection,
    from: i64,
    to: i64,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(tracks::table.filter(tracks::meeting_id.eq(to))).execute(conn)?;
    for t in track::for_meeting(conn, from)? {
        let f =
            TrackFields { name: t.name, colour: t.colour, description: t.description, position: t.position };
        track::insert(conn, to, &f)?;
    }
    for r in room::for_meeting(conn, from)? {
        room::insert(conn, to, &RoomFields { name: r.name, capacity: r.capacity, position: r.position })?;
    }
    for q in question::all_for_meeting(conn, from)?.into_iter().filter(|q| !q.is_retired()) {
        let f = QuestionFields {
            prompt: q.prompt,
            hint: q.hint,
            kind: q.kind,
            required: q.required,
            sensitive: q.sensitive,
            choices: q.choices,
            position: q.position,
            purpose: q.purpose,
        };
        question::insert(conn, to, &f, now)?;
    }
    if let Some(p) = practical_info::for_meeting(conn, from)? {
        practical_info::save(conn, to, &p.markdown, by, now)?;
    }
    Ok(())
}

/// The meeting held last before `m`, if any.
pub fn previous(conn: &mut DbConnection, m: &Meeting) -> QueryResult<Option<Meeting>> {
    meetings::table
        .filter(meetings::first_day.lt(m.first_day))
        .filter(meetings::id.ne(m.id))
        .order(meetings::first_day.desc())
        .select(Meeting::as_select())
        .first(conn)
        .optional()
}

/// A person approved for the earlier meeting, proposed for the new one.
#[derive(Queryable, Debug, Clone)]
pub struct Returning {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub team_id: i64,
    pub team_name: String,
    pub team_country: String,
}

/// The approved attendees of meeting `from` to propose for meeting `to`, by team name then
/// name: not those whose team is suspended, nor those already registered for `to` or
/// holding an invitation to it that is not revoked.
pub fn returning(conn: &mut DbConnection, from: i64, to: i64) -> QueryResult<Vec<Returning>> {
    let registered: Vec<i64> = registrations::table
        .filter(registrations::meeting_id.eq(to))
        .select(registrations::user_id)
        .load(conn)?;
    let invited: Vec<String> = invitations::table
        .filter(invitations::meeting_id.eq(to))
        .filter(invitations::revoked_at.is_null())
        .select(invitations::email)
        .load(conn)?;
    let people: Vec<Returning> = registrations::table
        .inner_join(users::table)
        .inner_join(teams::table)
        .filter(registrations::meeting_id.eq(from))
        .filter(registrations::status.eq(Status::Approved))
        .filter(teams::status.eq(TeamStatus::Recognized))
        .order((teams::name, users::name, users::id))
        .select((users::id, users::name, users::email, teams::id, teams::name, teams::country_code))
        .load(conn)?;
    Ok(people
        .into_iter()
        .filter(|p| !registered.contains(&p.user_id))
        .filter(|p| !invited.iter().any(|e| e.eq_ignore_ascii_case(&p.email)))
        .collect())
}
