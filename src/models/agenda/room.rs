//! Rooms of a meeting's venue, in the organizers' order.

use diesel::prelude::*;
use serde::Serialize;

use crate::db::{DbConnection, schema::rooms};

#[derive(Queryable, Selectable, Debug, Clone, Serialize)]
#[diesel(table_name = rooms)]
pub struct Room {
    pub id: i64,
    pub meeting_id: i64,
    pub name: String,
    pub capacity: i32,
    pub position: i32,
}

#[derive(Insertable, AsChangeset, Debug, Clone)]
#[diesel(table_name = rooms)]
pub struct RoomFields {
    pub name: String,
    pub capacity: i32,
    pub position: i32,
}

pub fn for_meeting(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<Vec<Room>> {
    rooms::table
        .filter(rooms::meeting_id.eq(meeting_id))
        .order((rooms::position, rooms::id))
        .select(Room::as_select())
        .load(conn)
}

pub fn insert(conn: &mut DbConnection, meeting_id: i64, f: &RoomFields) -> QueryResult<usize> {
    diesel::insert_into(rooms::table).values((rooms::meeting_id.eq(meeting_id), f)).execute(conn)
}

pub fn update(conn: &mut DbConnection, meeting_id: i64, id: i64, f: &RoomFields) -> QueryResult<usize> {
    diesel::update(rooms::table.filter(rooms::id.eq(id)).filter(rooms::meeting_id.eq(meeting_id)))
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
        rooms::table
            .filter(rooms::meeting_id.eq(meeting_id))
            .filter(rooms::name.eq(name))
            .filter(rooms::id.ne(except.unwrap_or(0))),
    ))
    .get_result(conn)
}
