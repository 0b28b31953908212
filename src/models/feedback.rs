//! Ratings of sessions: one row per approved registration and session, the score (1–5) and
//! an optional comment, editable. The rules are `domain::feedback`. A comment is TLP content
//! under its session's label: the row's `Debug` leaves it out, so no log line can carry it.

use std::fmt;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::{
    db::{
        DbConnection,
        schema::{answers, questions, registrations, session_feedback, sessions, teams, users},
    },
    domain::{feedback::QuestionPurpose, tlp::Tlp},
};

/// A person's own rating of a session.
#[derive(Queryable, Selectable, Clone, Serialize)]
#[diesel(table_name = session_feedback)]
pub struct Rated {
    pub rating: i32,
    pub comment: String,
    pub updated_at: NaiveDateTime,
}

impl fmt::Debug for Rated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rated").field("rating", &self.rating).finish_non_exhaustive()
    }
}

/// Stores `registration_id`'s rating of `session_id`, replacing an earlier one (its first
/// time kept); the caller owns the transaction.
pub fn save(
    conn: &mut DbConnection,
    session_id: i64,
    registration_id: i64,
    rating: i32,
    comment: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let mine = session_feedback::table
        .filter(session_feedback::session_id.eq(session_id))
        .filter(session_feedback::registration_id.eq(registration_id));
    // Update, else insert: an upsert is not portable through the connection enum.
    let changed = diesel::update(mine)
        .set((
            session_feedback::rating.eq(rating),
            session_feedback::comment.eq(comment),
            session_feedback::updated_at.eq(now),
        ))
        .execute(conn)?;
    if changed == 0 {
        diesel::insert_into(session_feedback::table)
            .values((
                session_feedback::session_id.eq(session_id),
                session_feedback::registration_id.eq(registration_id),
                session_feedback::rating.eq(rating),
                session_feedback::comment.eq(comment),
                session_feedback::created_at.eq(now),
                session_feedback::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The registration's own rating of the session, if any.
pub fn own(conn: &mut DbConnection, session_id: i64, registration_id: i64) -> QueryResult<Option<Rated>> {
    session_feedback::table
        .filter(session_feedback::session_id.eq(session_id))
        .filter(session_feedback::registration_id.eq(registration_id))
        .select(Rated::as_select())
        .first(conn)
        .optional()
}

/// Every rating of the session without who gave it, for its speakers: (score, comment),
/// highest score first, so the order says nothing of who rated when.
pub fn anonymous(conn: &mut DbConnection, session_id: i64) -> QueryResult<Vec<(i32, String)>> {
    session_feedback::table
        .filter(session_feedback::session_id.eq(session_id))
        .order((session_feedback::rating.desc(), session_feedback::comment))
        .select((session_feedback::rating, session_feedback::comment))
        .load(conn)
}

/// A rating with its person, for the organizers.
#[derive(Queryable, Clone, Serialize)]
pub struct Named {
    pub name: String,
    pub team: String,
    pub rating: i32,
    pub comment: String,
    pub updated_at: NaiveDateTime,
}

impl fmt::Debug for Named {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Named").field("rating", &self.rating).finish_non_exhaustive()
    }
}

/// Every rating of the session with its person and team, by name.
pub fn named(conn: &mut DbConnection, session_id: i64) -> QueryResult<Vec<Named>> {
    session_feedback::table
        .inner_join(registrations::table.inner_join(users::table).inner_join(teams::table))
        .filter(session_feedback::session_id.eq(session_id))
        .order((users::name, session_feedback::id))
        .select((
            users::name,
            teams::name,
            session_feedback::rating,
            session_feedback::comment,
            session_feedback::updated_at,
        ))
        .load(conn)
}

/// Every rating of the meeting's sessions: (session id, score, whether it has a comment).
pub fn of_meeting(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<Vec<(i64, i32, bool)>> {
    let rows: Vec<(i64, i32, String)> = session_feedback::table
        .inner_join(sessions::table)
        .filter(sessions::meeting_id.eq(meeting_id))
        .select((session_feedback::session_id, session_feedback::rating, session_feedback::comment))
        .load(conn)?;
    Ok(rows.into_iter().map(|(s, r, c)| (s, r, !c.is_empty())).collect())
}

/// Every answer to the meeting's survey questions with its person: (question id, name,
/// team, stored value), by name.
pub fn survey_answers(
    conn: &mut DbConnection,
    meeting_id: i64,
) -> QueryResult<Vec<(i64, String, String, String)>> {
    answers::table
        .inner_join(questions::table)
        .inner_join(registrations::table.inner_join(users::table).inner_join(teams::table))
        .filter(questions::meeting_id.eq(meeting_id))
        .filter(questions::purpose.eq(QuestionPurpose::Survey))
        .order((users::name, answers::id))
        .select((answers::question_id, users::name, teams::name, answers::value))
        .load(conn)
}

/// A rating as the data export reads it: (registration id, session id, the session's label
/// in the draft, score, comment).
pub type Given = (i64, i64, Tlp, i32, String);

/// The ratings the registrations gave, for their person's data export.
pub fn of_registrations(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<Given>> {
    session_feedback::table
        .inner_join(sessions::table)
        .filter(session_feedback::registration_id.eq_any(ids.to_vec()))
        .order(session_feedback::id)
        .select((
            session_feedback::registration_id,
            session_feedback::session_id,
            sessions::tlp,
            session_feedback::rating,
            session_feedback::comment,
        ))
        .load(conn)
}
