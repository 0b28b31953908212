//! A meeting's practical information: the organizers' Markdown (checked by
//! `domain::markdown` before it is saved), who saved it last and when. One row per
//! meeting, made by the first save.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::{DbConnection, schema::practical_information};

/// The stored text. Its `Debug` leaves the text out: it is the meeting's own, for
/// approved attendees, and has no place in a log.
#[derive(Queryable, Selectable, Clone)]
#[diesel(table_name = practical_information)]
pub struct PracticalInfo {
    pub meeting_id: i64,
    pub markdown: String,
    pub updated_by: Option<i64>,
    pub updated_at: NaiveDateTime,
}

crate::domain::redact::debug_redacted!(PracticalInfo { meeting_id, updated_by, updated_at } secret: { markdown });

/// The meeting's practical information, if an organizer has saved any.
pub fn for_meeting(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<Option<PracticalInfo>> {
    practical_information::table.find(meeting_id).select(PracticalInfo::as_select()).first(conn).optional()
}

/// Stores `markdown` as the meeting's practical information, saved by `by` at `at`.
pub fn save(
    conn: &mut DbConnection,
    meeting_id: i64,
    markdown: &str,
    by: i64,
    at: NaiveDateTime,
) -> QueryResult<()> {
    let values = (
        practical_information::markdown.eq(markdown),
        practical_information::updated_by.eq(Some(by)),
        practical_information::updated_at.eq(at),
    );
    let updated = diesel::update(practical_information::table.find(meeting_id)).set(values).execute(conn)?;
    if updated == 0 {
        diesel::insert_into(practical_information::table)
            .values((practical_information::meeting_id.eq(meeting_id), values))
            .execute(conn)?;
    }
    Ok(())
}
