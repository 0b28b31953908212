//! Meetings, one a year, each with its co-located FIRST conference. The meeting and the
//! conference are calendar objects: each has a random UID made once and a SEQUENCE that
//! rises when its dates, city, venue or status change (docs/CALENDAR.md S6, S7).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::{
    db::{DbConnection, schema::meetings},
    domain::{endorsement::Mode as EndorsementMode, states::MeetingStatus},
};

#[derive(Queryable, Selectable, Debug, Clone, Serialize)]
#[diesel(table_name = meetings)]
pub struct Meeting {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub year: i32,
    pub city: String,
    pub venue: String,
    pub time_zone: String,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub status: MeetingStatus,
    pub conference_name: String,
    pub conference_city: String,
    pub conference_first_day: NaiveDate,
    pub conference_last_day: NaiveDate,
    pub registration_opens: NaiveDateTime,
    pub registration_closes: NaiveDateTime,
    pub default_cap: i32,
    pub meeting_uid: String,
    pub meeting_sequence: i32,
    pub conference_uid: String,
    pub conference_sequence: i32,
    pub is_demo: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The FIRST edition the meeting was created from; its values were copied then.
    pub edition_id: Option<i64>,
    pub conference_time_zone: String,
    /// Public: shown on the overview as plain text.
    pub description: String,
    /// Public: where people write with questions; empty when none is given.
    pub contact_email: String,
    /// How many hours a waitlisted person has to answer the offer of a freed place.
    pub offer_hours: i32,
    /// Whether the team's contacts are asked to endorse registrations, and whether approval
    /// waits for it.
    pub endorsement: EndorsementMode,
}

/// What an organizer sets on a meeting (validated by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingFields {
    pub slug: String,
    pub title: String,
    pub city: String,
    pub venue: String,
    pub time_zone: String,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub conference_name: String,
    pub conference_city: String,
    pub conference_first_day: NaiveDate,
    pub conference_last_day: NaiveDate,
    pub registration_opens: NaiveDateTime,
    pub registration_closes: NaiveDateTime,
    pub default_cap: i32,
    pub conference_time_zone: String,
    pub description: String,
    pub contact_email: String,
    /// The edition the meeting is created from; kept as it was when the meeting changes.
    pub edition_id: Option<i64>,
    pub offer_hours: i32,
    pub endorsement: EndorsementMode,
}

pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<Meeting>> {
    meetings::table.order(meetings::first_day.desc()).select(Meeting::as_select()).load(conn)
}

/// The meetings after the id `after` by id, at most `limit`: a page of the API's list.
pub fn page(conn: &mut DbConnection, after: Option<i64>, limit: i64) -> QueryResult<Vec<Meeting>> {
    meetings::table
        .filter(meetings::id.gt(after.unwrap_or(0)))
        .order(meetings::id)
        .limit(limit)
        .select(Meeting::as_select())
        .load(conn)
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Meeting> {
    meetings::table.find(id).select(Meeting::as_select()).first(conn)
}

pub fn by_slug(conn: &mut DbConnection, slug: &str) -> QueryResult<Meeting> {
    meetings::table.filter(meetings::slug.eq(slug)).select(Meeting::as_select()).first(conn)
}

pub fn slug_taken(conn: &mut DbConnection, slug: &str, except: Option<i64>) -> QueryResult<bool> {
    let owner: Option<i64> =
        meetings::table.filter(meetings::slug.eq(slug)).select(meetings::id).first(conn).optional()?;
    Ok(owner.is_some_and(|id| Some(id) != except))
}

/// The meeting people look for: the one whose last day is the soonest not yet past;
/// otherwise the latest.
pub fn current(conn: &mut DbConnection, today: NaiveDate) -> QueryResult<Option<Meeting>> {
    let upcoming = meetings::table
        .filter(meetings::last_day.ge(today))
        .order(meetings::last_day.asc())
        .select(Meeting::as_select())
        .first(conn)
        .optional()?;
    match upcoming {
        Some(m) => Ok(Some(m)),
        None => meetings::table
            .order(meetings::last_day.desc())
            .select(Meeting::as_select())
            .first(conn)
            .optional(),
    }
}

/// The columns an organizer's form sets, for both insert and update.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = meetings)]
struct FormColumns<'a> {
    slug: &'a str,
    title: &'a str,
    year: i32,
    city: &'a str,
    venue: &'a str,
    time_zone: &'a str,
    first_day: NaiveDate,
    last_day: NaiveDate,
    conference_name: &'a str,
    conference_city: &'a str,
    conference_first_day: NaiveDate,
    conference_last_day: NaiveDate,
    registration_opens: NaiveDateTime,
    registration_closes: NaiveDateTime,
    default_cap: i32,
    conference_time_zone: &'a str,
    description: &'a str,
    contact_email: &'a str,
    offer_hours: i32,
    endorsement: EndorsementMode,
    updated_at: NaiveDateTime,
}

impl<'a> FormColumns<'a> {
    fn new(f: &'a MeetingFields, now: NaiveDateTime) -> Self {
        use chrono::Datelike as _;
        Self {
            slug: &f.slug,
            title: &f.title,
            year: f.first_day.year(),
            city: &f.city,
            venue: &f.venue,
            time_zone: &f.time_zone,
            first_day: f.first_day,
            last_day: f.last_day,
            conference_name: &f.conference_name,
            conference_city: &f.conference_city,
            conference_first_day: f.conference_first_day,
            conference_last_day: f.conference_last_day,
            registration_opens: f.registration_opens,
            registration_closes: f.registration_closes,
            default_cap: f.default_cap,
            conference_time_zone: &f.conference_time_zone,
            description: &f.description,
            contact_email: &f.contact_email,
            offer_hours: f.offer_hours,
            endorsement: f.endorsement,
            updated_at: now,
        }
    }
}

pub fn insert(
    conn: &mut DbConnection,
    f: &MeetingFields,
    uids: (&str, &str),
    is_demo: bool,
    now: NaiveDateTime,
) -> QueryResult<Meeting> {
    diesel::insert_into(meetings::table)
        .values((
            FormColumns::new(f, now),
            meetings::meeting_uid.eq(uids.0),
            meetings::conference_uid.eq(uids.1),
            meetings::is_demo.eq(is_demo),
            meetings::edition_id.eq(f.edition_id),
            meetings::created_at.eq(now),
        ))
        .execute(conn)?;
    let meeting = by_slug(conn, &f.slug)?;
    super::agenda::track::insert_defaults(conn, meeting.id)?;
    Ok(meeting)
}

/// Saves the fields; each calendar object's SEQUENCE rises when what a calendar shows of it
/// changed. Returns the meeting as saved.
pub fn update(
    conn: &mut DbConnection,
    before: &Meeting,
    f: &MeetingFields,
    now: NaiveDateTime,
) -> QueryResult<Meeting> {
    let meeting_changed = (before.first_day, before.last_day, &before.city, &before.venue)
        != (f.first_day, f.last_day, &f.city, &f.venue);
    let conference_changed =
        (before.conference_first_day, before.conference_last_day, &before.conference_city)
            != (f.conference_first_day, f.conference_last_day, &f.conference_city);
    diesel::update(meetings::table.find(before.id))
        .set((
            FormColumns::new(f, now),
            meetings::meeting_sequence.eq(meetings::meeting_sequence + i32::from(meeting_changed)),
            meetings::conference_sequence.eq(meetings::conference_sequence + i32::from(conference_changed)),
        ))
        .execute(conn)?;
    by_slug(conn, &f.slug)
}

/// Cancels or reopens; a status change is a change of the meeting as a calendar object.
pub fn set_status(
    conn: &mut DbConnection,
    before: &Meeting,
    status: MeetingStatus,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let bump = i32::from(before.status != status);
    diesel::update(meetings::table.find(before.id))
        .set((
            meetings::status.eq(status),
            meetings::meeting_sequence.eq(meetings::meeting_sequence + bump),
            meetings::updated_at.eq(now),
        ))
        .execute(conn)
}

/// Serialises changes to a meeting's agenda until the caller's transaction ends (on
/// PostgreSQL; SQLite's `db::transaction` holds the write lock from BEGIN).
pub fn lock(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    if let DbConnection::Postgresql(c) = conn {
        let _: Vec<i64> = meetings::table.find(id).select(meetings::id).for_update().load(c)?;
    }
    Ok(())
}
