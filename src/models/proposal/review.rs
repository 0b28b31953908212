//! The organizers' review of a proposal: internal comments (never shown to speakers) and
//! one optional score from 1 to 5 per organizer.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::{
    DbConnection,
    schema::{proposal_comments, proposal_scores, proposals, users},
};

#[derive(Queryable, Serialize, Debug, Clone)]
pub struct Comment {
    pub id: i64,
    pub author: Option<String>,
    pub body: String,
    pub at: NaiveDateTime,
}

pub fn add_comment(
    conn: &mut DbConnection,
    proposal_id: i64,
    author: i64,
    body: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(proposal_comments::table)
        .values((
            proposal_comments::proposal_id.eq(proposal_id),
            proposal_comments::author_id.eq(author),
            proposal_comments::body.eq(body),
            proposal_comments::at.eq(now),
        ))
        .execute(conn)
}

/// The proposal's comments, oldest first, with their authors' names (none: account gone).
pub fn comments(conn: &mut DbConnection, proposal_id: i64) -> QueryResult<Vec<Comment>> {
    proposal_comments::table
        .left_join(users::table)
        .filter(proposal_comments::proposal_id.eq(proposal_id))
        .order(proposal_comments::id)
        .select((
            proposal_comments::id,
            users::name.nullable(),
            proposal_comments::body,
            proposal_comments::at,
        ))
        .load(conn)
}

/// Sets (or replaces) `user_id`'s score of the proposal; `None` takes it back.
pub fn set_score(
    conn: &mut DbConnection,
    proposal_id: i64,
    user_id: i64,
    score: Option<i32>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    // Delete and insert: an upsert is not portable through the connection enum.
    diesel::delete(
        proposal_scores::table
            .filter(proposal_scores::proposal_id.eq(proposal_id))
            .filter(proposal_scores::user_id.eq(user_id)),
    )
    .execute(conn)?;
    if let Some(score) = score {
        diesel::insert_into(proposal_scores::table)
            .values((
                proposal_scores::proposal_id.eq(proposal_id),
                proposal_scores::user_id.eq(user_id),
                proposal_scores::score.eq(score),
                proposal_scores::at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// (organizer's name, score) of the proposal.
pub fn scores(conn: &mut DbConnection, proposal_id: i64) -> QueryResult<Vec<(i64, String, i32)>> {
    proposal_scores::table
        .inner_join(users::table)
        .filter(proposal_scores::proposal_id.eq(proposal_id))
        .order(users::name)
        .select((users::id, users::name, proposal_scores::score))
        .load(conn)
}

/// (proposal id, score) of every score given on the meeting's proposals.
pub fn meeting_scores(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<Vec<(i64, i32)>> {
    proposal_scores::table
        .inner_join(proposals::table)
        .filter(proposals::meeting_id.eq(meeting_id))
        .select((proposal_scores::proposal_id, proposal_scores::score))
        .load(conn)
}
