//! Tracks of a meeting's agenda, in the organizers' order.

use diesel::prelude::*;
use serde::Serialize;

use crate::{
    db::{DbConnection, schema::tracks},
    domain::agenda::{Colour, DEFAULT_TRACKS},
};

#[derive(Queryable, Selectable, Debug, Clone, Serialize)]
#[diesel(table_name = tracks)]
pub struct Track {
    pub id: i64,
    pub meeting_id: i64,
    pub name: String,
    pub colour: Colour,
    pub description: String,
    pub position: i32,
}

#[derive(Insertable, AsChangeset, Debug, Clone)]
#[diesel(table_name = tracks)]
pub struct TrackFields {
    pub name: String,
    pub colour: Colour,
    pub description: String,
    pub position: i32,
}

pub fn for_meeting(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<Vec<Track>> {
    tracks::table
        .filter(tracks::meeting_id.eq(meeting_id))
        .order((tracks::position, tracks::id))
        .select(Track::as_select())
        .load(conn)
}

pub fn insert(conn: &mut DbConnection, meeting_id: i64, f: &TrackFields) -> QueryResult<usize> {
    diesel::insert_into(tracks::table).values((tracks::meeting_id.eq(meeting_id), f)).execute(conn)
}

pub fn update(conn: &mut DbConnection, meeting_id: i64, id: i64, f: &TrackFields) -> QueryResult<usize> {
    diesel::update(tracks::table.filter(tracks::id.eq(id)).filter(tracks::meeting_id.eq(meeting_id)))
        .set(f)
        .execute(conn)
}

pub fn name_taken(
    conn: &mut DbConnection,
    meeting_id: i64,
    name: &str,
    except: Option<i64>,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        tracks::table
            .filter(tracks::meeting_id.eq(meeting_id))
            .filter(tracks::name.eq(name))
            .filter(tracks::id.ne(except.unwrap_or(0))),
    ))
    .get_result(conn)
}

/// The four tracks every meeting starts with.
pub fn insert_defaults(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<()> {
    for (position, (name, colour, description)) in (1..).zip(DEFAULT_TRACKS) {
        let f = TrackFields { name: name.to_owned(), colour, description: description.to_owned(), position };
        insert(conn, meeting_id, &f)?;
    }
    Ok(())
}
