//! A meeting's questions, in the organizers' order: those of the registration form and
//! those of the survey after the meeting (`domain::feedback::QuestionPurpose`); a retired
//! one is kept (with its answers) but no longer asked. The rules are `domain::questions`.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::{
    db::{
        DbConnection,
        schema::{answers, questions},
    },
    domain::{
        feedback::QuestionPurpose,
        questions::{Asked, Choices, QuestionKind},
    },
};

#[derive(Queryable, Selectable, Debug, Clone, Serialize)]
#[diesel(table_name = questions)]
pub struct Question {
    pub id: i64,
    pub meeting_id: i64,
    pub prompt: String,
    pub hint: String,
    pub kind: QuestionKind,
    pub required: bool,
    pub sensitive: bool,
    /// One per line; read with [`Question::choices`].
    pub choices: String,
    pub position: i32,
    pub retired_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub purpose: QuestionPurpose,
}

impl Question {
    pub fn choices(&self) -> Choices {
        Choices::stored(&self.choices)
    }

    pub fn is_retired(&self) -> bool {
        self.retired_at.is_some()
    }
}

/// What an organizer sets on a question.
#[derive(Insertable, AsChangeset, Debug, Clone)]
#[diesel(table_name = questions)]
pub struct QuestionFields {
    pub prompt: String,
    pub hint: String,
    pub kind: QuestionKind,
    pub required: bool,
    pub sensitive: bool,
    pub choices: String,
    pub position: i32,
    pub purpose: QuestionPurpose,
}

impl QuestionFields {
    pub fn asked<'a>(&self, choices: &'a Choices) -> Asked<'a> {
        Asked { kind: self.kind, required: self.required, choices }
    }
}

/// Every question of the meeting for `purpose`, retired ones included, in order.
pub fn of_purpose(
    conn: &mut DbConnection,
    meeting_id: i64,
    purpose: QuestionPurpose,
) -> QueryResult<Vec<Question>> {
    questions::table
        .filter(questions::meeting_id.eq(meeting_id))
        .filter(questions::purpose.eq(purpose))
        .order((questions::position, questions::id))
        .select(Question::as_select())
        .load(conn)
}

/// Every registration question of the meeting, retired ones included, in order.
pub fn for_meeting(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<Vec<Question>> {
    of_purpose(conn, meeting_id, QuestionPurpose::Registration)
}

/// Every question of the meeting, registration and survey, retired ones included.
pub fn all_for_meeting(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<Vec<Question>> {
    questions::table
        .filter(questions::meeting_id.eq(meeting_id))
        .order((questions::position, questions::id))
        .select(Question::as_select())
        .load(conn)
}

/// The questions the meeting's registration form asks now.
pub fn asked(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<Vec<Question>> {
    Ok(for_meeting(conn, meeting_id)?.into_iter().filter(|q| !q.is_retired()).collect())
}

/// The questions the meeting's survey asks now.
pub fn survey(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<Vec<Question>> {
    let all = of_purpose(conn, meeting_id, QuestionPurpose::Survey)?;
    Ok(all.into_iter().filter(|q| !q.is_retired()).collect())
}

/// The meeting's question `id`; another meeting's is "not found".
pub fn find(conn: &mut DbConnection, meeting_id: i64, id: i64) -> QueryResult<Question> {
    questions::table
        .filter(questions::id.eq(id))
        .filter(questions::meeting_id.eq(meeting_id))
        .select(Question::as_select())
        .first(conn)
}

pub fn insert(
    conn: &mut DbConnection,
    meeting_id: i64,
    f: &QuestionFields,
    now: NaiveDateTime,
) -> QueryResult<Question> {
    diesel::insert_into(questions::table)
        .values((
            questions::meeting_id.eq(meeting_id),
            f,
            questions::created_at.eq(now),
            questions::updated_at.eq(now),
        ))
        .execute(conn)?;
    questions::table
        .filter(questions::meeting_id.eq(meeting_id))
        .order(questions::id.desc())
        .select(Question::as_select())
        .first(conn)
}

pub fn update(
    conn: &mut DbConnection,
    id: i64,
    f: &QuestionFields,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(questions::table.find(id)).set((f, questions::updated_at.eq(now))).execute(conn)
}

/// Retires the question at `now`, or brings it back with `None`.
pub fn set_retired(conn: &mut DbConnection, id: i64, at: Option<NaiveDateTime>) -> QueryResult<usize> {
    diesel::update(questions::table.find(id)).set(questions::retired_at.eq(at)).execute(conn)
}

/// Deletes the question unless someone answered it; whether it did.
pub fn delete_unanswered(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    let answered = answers::table.filter(answers::question_id.eq(id));
    let gone = diesel::delete(
        questions::table.filter(questions::id.eq(id)).filter(diesel::dsl::not(diesel::dsl::exists(answered))),
    )
    .execute(conn)?;
    Ok(gone == 1)
}
