//! Materials of a session (`domain::material`) and their bytes, kept in the database as
//! rows of at most [`SNIFF_BYTES`](crate::domain::material::SNIFF_BYTES): an upload
//! begins a row, appends its chunks one query at a time as they stream in, then marks it
//! stored; until then it is neither listed nor served. Who may upload is [`may_upload`].

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::{
    db::{
        DbConnection,
        schema::{material_chunks, materials, meetings, sessions, users},
    },
    domain::{material::FileKind, tlp::Tlp},
    models::{speaking, user::User},
};

#[derive(Queryable, Selectable, Clone)]
#[diesel(table_name = materials)]
pub struct Material {
    pub id: i64,
    pub session_id: i64,
    pub uploaded_by: Option<i64>,
    pub file_name: String,
    pub kind: FileKind,
    pub tlp: Tlp,
    pub byte_size: i64,
    pub chunk_count: i32,
}

// The file name is TLP content, like a session's title: never in a log.
crate::domain::redact::debug_redacted!(Material { id, session_id, uploaded_by, kind, tlp, byte_size, chunk_count } secret: { file_name });

/// A stored material as the session page lists it.
#[derive(Queryable, Serialize, Clone, PartialEq, Eq)]
pub struct Listed {
    pub id: i64,
    pub file_name: String,
    pub kind: FileKind,
    pub tlp: Tlp,
    pub byte_size: i64,
    pub uploaded_by: Option<i64>,
    /// The uploader's name; `None` once their account is deleted.
    pub uploader: Option<String>,
}

crate::domain::redact::debug_redacted!(Listed { id, kind, tlp, byte_size, uploaded_by } secret: { file_name, uploader });

/// A stored material as its uploader's data export names it: the session by its meeting
/// and id, both labels (the file's own and its session's), never the bytes.
#[derive(Queryable, Clone, PartialEq, Eq)]
pub struct Uploaded {
    pub slug: String,
    pub session_id: i64,
    pub session_tlp: Tlp,
    pub file_name: String,
    pub tlp: Tlp,
    pub byte_size: i64,
    pub stored_at: NaiveDateTime,
}

crate::domain::redact::debug_redacted!(Uploaded { slug, session_id, session_tlp, tlp, byte_size, stored_at } secret: { file_name });

/// Uploads that never finished (the connection dropped, the instance stopped) are removed
/// by the next upload after this long.
const ABANDONED_AFTER_HOURS: i64 = 24;

/// Starts an upload: a row that is not listed until [`finish`], whose id is returned.
/// Deletes abandoned uploads on the way.
pub fn begin(
    conn: &mut DbConnection,
    session_id: i64,
    by: i64,
    file_name: &str,
    kind: FileKind,
    tlp: Tlp,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::delete(
        materials::table
            .filter(materials::stored_at.is_null())
            .filter(materials::created_at.lt(now - Duration::hours(ABANDONED_AFTER_HOURS))),
    )
    .execute(conn)?;
    let uid = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(materials::table)
        .values((
            materials::uid.eq(&uid),
            materials::session_id.eq(session_id),
            materials::uploaded_by.eq(by),
            materials::file_name.eq(file_name),
            materials::kind.eq(kind),
            materials::tlp.eq(tlp),
            materials::byte_size.eq(0i64),
            materials::chunk_count.eq(0),
            materials::created_at.eq(now),
        ))
        .execute(conn)?;
    materials::table.filter(materials::uid.eq(&uid)).select(materials::id).first(conn)
}

/// Stores chunk `position` (from 0) of an upload.
pub fn append(conn: &mut DbConnection, material_id: i64, position: i32, bytes: &[u8]) -> QueryResult<usize> {
    diesel::insert_into(material_chunks::table)
        .values((
            material_chunks::material_id.eq(material_id),
            material_chunks::position.eq(position),
            material_chunks::bytes.eq(bytes),
        ))
        .execute(conn)
}

/// Marks an upload complete: from now on it is listed and served.
pub fn finish(
    conn: &mut DbConnection,
    material_id: i64,
    byte_size: i64,
    chunk_count: i32,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(materials::table.find(material_id))
        .set((
            materials::byte_size.eq(byte_size),
            materials::chunk_count.eq(chunk_count),
            materials::stored_at.eq(now),
        ))
        .execute(conn)
}

/// Removes a material and its bytes (an upload refused part way, or a deletion).
pub fn delete(conn: &mut DbConnection, material_id: i64) -> QueryResult<usize> {
    diesel::delete(material_chunks::table.filter(material_chunks::material_id.eq(material_id)))
        .execute(conn)?;
    diesel::delete(materials::table.find(material_id)).execute(conn)
}

/// A stored material of `session_id`.
pub fn find(conn: &mut DbConnection, session_id: i64, id: i64) -> QueryResult<Option<Material>> {
    materials::table
        .filter(materials::id.eq(id))
        .filter(materials::session_id.eq(session_id))
        .filter(materials::stored_at.is_not_null())
        .select(Material::as_select())
        .first(conn)
        .optional()
}

/// The bytes of chunk `position`.
pub fn chunk(conn: &mut DbConnection, material_id: i64, position: i32) -> QueryResult<Vec<u8>> {
    material_chunks::table
        .filter(material_chunks::material_id.eq(material_id))
        .filter(material_chunks::position.eq(position))
        .select(material_chunks::bytes)
        .first(conn)
}

/// The stored materials of a session, oldest first.
pub fn listed(conn: &mut DbConnection, session_id: i64) -> QueryResult<Vec<Listed>> {
    materials::table
        .left_join(users::table)
        .filter(materials::session_id.eq(session_id))
        .filter(materials::stored_at.is_not_null())
        .order(materials::id)
        .select((
            materials::id,
            materials::file_name,
            materials::kind,
            materials::tlp,
            materials::byte_size,
            materials::uploaded_by,
            users::name.nullable(),
        ))
        .load(conn)
}

/// The stored materials `user_id` uploaded, oldest first.
pub fn uploaded_by(conn: &mut DbConnection, user_id: i64) -> QueryResult<Vec<Uploaded>> {
    materials::table
        .inner_join(sessions::table.inner_join(meetings::table))
        .filter(materials::uploaded_by.eq(user_id))
        .filter(materials::stored_at.is_not_null())
        .order(materials::id)
        .select((
            meetings::slug,
            materials::session_id,
            sessions::tlp,
            materials::file_name,
            materials::tlp,
            materials::byte_size,
            materials::stored_at.assume_not_null(),
        ))
        .load(conn)
}

/// Whether `user` may upload files to `session_id`: organizers for every session, anyone
/// else only as one of its speakers with an approved registration (`speaking::is_speaker`).
pub fn may_upload(conn: &mut DbConnection, user: &User, session_id: i64) -> QueryResult<bool> {
    Ok(user.is_organizer() || speaking::is_speaker(conn, user.id, session_id)?)
}
