//! Answers to registration questions: one row per registration and question, the value as
//! `domain::questions` stores it. An optional question left empty has no row.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::{
    DbConnection,
    schema::{answers, meetings, questions},
};

/// (question id, stored value) of one registration.
pub fn for_registration(conn: &mut DbConnection, registration_id: i64) -> QueryResult<Vec<(i64, String)>> {
    answers::table
        .filter(answers::registration_id.eq(registration_id))
        .select((answers::question_id, answers::value))
        .load(conn)
}

/// (registration id, question id, stored value) of every answer to the meeting's questions.
pub fn for_meeting(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<Vec<(i64, i64, String)>> {
    answers::table
        .inner_join(questions::table)
        .filter(questions::meeting_id.eq(meeting_id))
        .select((answers::registration_id, answers::question_id, answers::value))
        .load(conn)
}

/// The stored answers to one question.
pub fn values_of(conn: &mut DbConnection, question_id: i64) -> QueryResult<Vec<String>> {
    answers::table.filter(answers::question_id.eq(question_id)).select(answers::value).load(conn)
}

/// How many answers each question of the meeting has: (question id, count).
pub fn counts(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<Vec<(i64, i64)>> {
    answers::table
        .inner_join(questions::table)
        .filter(questions::meeting_id.eq(meeting_id))
        .group_by(answers::question_id)
        .select((answers::question_id, diesel::dsl::count_star()))
        .load(conn)
}

/// Writes the registration's answers to the questions named, in the caller's transaction:
/// `Some` stores the value, `None` removes the answer. Questions not named keep theirs
/// (a retired question's answer stays when the person edits the rest).
pub fn save(
    conn: &mut DbConnection,
    registration_id: i64,
    given: &[(i64, Option<String>)],
    now: NaiveDateTime,
) -> QueryResult<()> {
    for (question_id, value) in given {
        // Delete and insert: an upsert is not portable through the connection enum.
        diesel::delete(
            answers::table
                .filter(answers::registration_id.eq(registration_id))
                .filter(answers::question_id.eq(question_id)),
        )
        .execute(conn)?;
        if let Some(value) = value {
            diesel::insert_into(answers::table)
                .values((
                    answers::registration_id.eq(registration_id),
                    answers::question_id.eq(question_id),
                    answers::value.eq(value),
                    answers::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// Deletes the answers to sensitive questions of every meeting that ended on or before
/// `last_day`; returns how many.
pub fn purge_sensitive(conn: &mut DbConnection, last_day: chrono::NaiveDate) -> QueryResult<usize> {
    let ended = meetings::table.filter(meetings::last_day.le(last_day)).select(meetings::id);
    let sensitive = questions::table
        .filter(questions::sensitive.eq(true))
        .filter(questions::meeting_id.eq_any(ended))
        .select(questions::id);
    diesel::delete(answers::table.filter(answers::question_id.eq_any(sensitive))).execute(conn)
}
