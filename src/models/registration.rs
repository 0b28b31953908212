//! Registrations: one per person and meeting, with the organizer's decision. The rules of
//! who may move a registration where live in `domain::registration`.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::{
    db::{
        DbConnection,
        schema::{meetings, registrations, teams, users},
    },
    domain::registration::Status,
};

#[derive(Queryable, Selectable, Debug, Clone, Serialize)]
#[diesel(table_name = registrations)]
pub struct Registration {
    pub id: i64,
    pub meeting_id: i64,
    pub user_id: i64,
    pub team_id: i64,
    pub status: Status,
    pub role_title: String,
    pub dietary: String,
    pub accessibility: String,
    pub consent_listed: bool,
    pub decided_by: Option<i64>,
    pub decided_at: Option<NaiveDateTime>,
    pub reason: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The invitation the person came through; none when they registered by themselves.
    pub invitation_id: Option<i64>,
    /// The name on the badge, when the approved attendee chose one (else the account's).
    pub badge_name: Option<String>,
    /// When the registration was (last) put on its team's waitlist: the waitlist's order.
    pub waitlisted_at: Option<NaiveDateTime>,
    /// The deadline of the open offer, while the status is `offered`.
    pub offer_expires_at: Option<NaiveDateTime>,
    /// Opted in to show the email address and key fingerprint to the meeting's other
    /// attendees (off by default).
    pub share_contact: bool,
    /// Opted in to the organizers' roster for the community's mailing list (off by default).
    pub mailing_list: bool,
}

#[derive(Insertable, Debug)]
#[diesel(table_name = registrations)]
pub struct NewRegistration<'a> {
    pub meeting_id: i64,
    pub user_id: i64,
    pub team_id: i64,
    pub status: Status,
    pub role_title: &'a str,
    pub dietary: &'a str,
    pub accessibility: &'a str,
    pub consent_listed: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub invitation_id: Option<i64>,
}

/// Inserts the registration; one made waitlisted joins its team's waitlist now.
pub fn insert(conn: &mut DbConnection, new: &NewRegistration<'_>) -> QueryResult<Registration> {
    let waitlisted_at = (new.status == Status::Waitlisted).then_some(new.created_at);
    diesel::insert_into(registrations::table)
        .values((new, registrations::waitlisted_at.eq(waitlisted_at)))
        .execute(conn)?;
    registrations::table
        .filter(registrations::meeting_id.eq(new.meeting_id))
        .filter(registrations::user_id.eq(new.user_id))
        .select(Registration::as_select())
        .first(conn)
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Registration> {
    registrations::table.find(id).select(Registration::as_select()).first(conn)
}

pub fn exists(conn: &mut DbConnection, meeting_id: i64, user_id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        registrations::table
            .filter(registrations::meeting_id.eq(meeting_id))
            .filter(registrations::user_id.eq(user_id)),
    ))
    .get_result(conn)
}

/// The account of each of these registrations that exists: (registration id, user id).
pub fn owners(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<(i64, i64)>> {
    registrations::table
        .filter(registrations::id.eq_any(ids))
        .select((registrations::id, registrations::user_id))
        .load(conn)
}

/// A person's registrations with their meeting and the team's name, newest meeting first.
pub fn for_user(
    conn: &mut DbConnection,
    user_id: i64,
) -> QueryResult<Vec<(Registration, crate::models::meeting::Meeting, String)>> {
    registrations::table
        .inner_join(meetings::table)
        .inner_join(teams::table)
        .filter(registrations::user_id.eq(user_id))
        .order(meetings::first_day.desc())
        .select((Registration::as_select(), crate::models::meeting::Meeting::as_select(), teams::name))
        .load(conn)
}

/// A row of the review queue.
#[derive(Queryable, Debug, Clone)]
pub struct QueueRow {
    pub registration: Registration,
    pub name: String,
    pub email: String,
    pub team_name: String,
    pub team_cap: Option<i32>,
    pub team_country: String,
}

type Backend = <DbConnection as Connection>::Backend;

/// The columns of a [`QueueRow`].
type QueueColumns = (
    diesel::dsl::AsSelect<Registration, Backend>,
    users::name,
    users::email,
    teams::name,
    teams::cap_override,
    teams::country_code,
);

fn queue_columns() -> QueueColumns {
    (
        Registration::as_select(),
        users::name,
        users::email,
        teams::name,
        teams::cap_override,
        teams::country_code,
    )
}

/// The meeting's registrations (optionally of one status): those that need a decision
/// (pending) first, then oldest first.
pub fn for_meeting(
    conn: &mut DbConnection,
    meeting_id: i64,
    status: Option<Status>,
) -> QueryResult<Vec<QueueRow>> {
    let mut query = registrations::table
        .inner_join(users::table)
        .inner_join(teams::table)
        .filter(registrations::meeting_id.eq(meeting_id))
        .select(queue_columns())
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(registrations::status.eq(status));
    }
    let mut rows: Vec<QueueRow> = query.order(registrations::id).load(conn)?;
    rows.sort_by_key(|r| !r.registration.status.needs_decision());
    Ok(rows)
}

/// The meeting's registrations after the id `after` by id, at most `limit`, of one status
/// and one team when given: a page of the API's list.
pub fn page_for_meeting(
    conn: &mut DbConnection,
    meeting_id: i64,
    (status, team): (Option<Status>, Option<i64>),
    after: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<QueueRow>> {
    let mut query = registrations::table
        .inner_join(users::table)
        .inner_join(teams::table)
        .filter(registrations::meeting_id.eq(meeting_id))
        .filter(registrations::id.gt(after.unwrap_or(0)))
        .select(queue_columns())
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(registrations::status.eq(status));
    }
    if let Some(team) = team {
        query = query.filter(registrations::team_id.eq(team));
    }
    query.order(registrations::id).limit(limit).load(conn)
}

/// One registration of the meeting as the queue shows it.
pub fn queue_row(conn: &mut DbConnection, meeting_id: i64, id: i64) -> QueryResult<QueueRow> {
    registrations::table
        .inner_join(users::table)
        .inner_join(teams::table)
        .filter(registrations::meeting_id.eq(meeting_id))
        .filter(registrations::id.eq(id))
        .select(queue_columns())
        .first(conn)
}

/// The places of a team for a meeting held by others than `except`: (approved, offered).
pub fn held_in_team(
    conn: &mut DbConnection,
    meeting_id: i64,
    team_id: i64,
    except: i64,
) -> QueryResult<(i64, i64)> {
    let count = |conn: &mut DbConnection, status: Status| -> QueryResult<i64> {
        registrations::table
            .filter(registrations::meeting_id.eq(meeting_id))
            .filter(registrations::team_id.eq(team_id))
            .filter(registrations::status.eq(status))
            .filter(registrations::id.ne(except))
            .count()
            .get_result(conn)
    };
    Ok((count(conn, Status::Approved)?, count(conn, Status::Offered)?))
}

/// Approved registrations per team for a meeting.
pub fn approved_by_team(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<Vec<(i64, i64)>> {
    registrations::table
        .filter(registrations::meeting_id.eq(meeting_id))
        .filter(registrations::status.eq(Status::Approved))
        .group_by(registrations::team_id)
        .select((registrations::team_id, diesel::dsl::count_star()))
        .load(conn)
}

/// Serialises decisions about one team's registrations until the caller's transaction
/// ends, so two approvals cannot both see room under the cap. SQLite needs nothing here:
/// `db::transaction` took the database's write lock at BEGIN.
pub fn lock_team(conn: &mut DbConnection, team_id: i64) -> QueryResult<()> {
    if let DbConnection::Postgresql(c) = conn {
        let _: Vec<i64> = teams::table.find(team_id).select(teams::id).for_update().load(c)?;
    }
    Ok(())
}

/// Records a decision; a waitlisted registration joins the end of its team's waitlist, and
/// any open offer ends with the move.
pub fn set_decision(
    conn: &mut DbConnection,
    id: i64,
    status: Status,
    by: i64,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let waitlisted_at = (status == Status::Waitlisted).then_some(now);
    diesel::update(registrations::table.find(id))
        .set((
            registrations::status.eq(status),
            registrations::decided_by.eq(Some(by)),
            registrations::decided_at.eq(Some(now)),
            registrations::reason.eq(reason),
            registrations::updated_at.eq(now),
            registrations::waitlisted_at.eq(waitlisted_at),
            registrations::offer_expires_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
}

/// Deletes the dietary and accessibility answers of every registration for a meeting that
/// ended on or before `last_day`; returns how many registrations had any to delete.
pub fn clear_answers(conn: &mut DbConnection, last_day: chrono::NaiveDate) -> QueryResult<usize> {
    let ended = meetings::table.filter(meetings::last_day.le(last_day)).select(meetings::id);
    diesel::update(
        registrations::table
            .filter(registrations::meeting_id.eq_any(ended))
            .filter(registrations::dietary.ne("").or(registrations::accessibility.ne(""))),
    )
    .set((registrations::dietary.eq(""), registrations::accessibility.eq("")))
    .execute(conn)
}

/// A person's registration for one meeting, if any.
pub fn of_user_for_meeting(
    conn: &mut DbConnection,
    meeting_id: i64,
    user_id: i64,
) -> QueryResult<Option<Registration>> {
    registrations::table
        .filter(registrations::meeting_id.eq(meeting_id))
        .filter(registrations::user_id.eq(user_id))
        .select(Registration::as_select())
        .first(conn)
        .optional()
}

/// Moves the registration from `from` to `to` (a step the attendee takes); `false` when
/// it was no longer in `from`, so two parallel requests cannot both act. An open offer ends
/// with the move.
pub fn set_status(
    conn: &mut DbConnection,
    id: i64,
    from: Status,
    to: Status,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let moved = diesel::update(registrations::table.find(id).filter(registrations::status.eq(from)))
        .set((
            registrations::status.eq(to),
            registrations::updated_at.eq(now),
            registrations::offer_expires_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(moved == 1)
}

/// The person's registrations still waiting for their address to be confirmed.
pub fn awaiting_address(conn: &mut DbConnection, user_id: i64) -> QueryResult<Vec<i64>> {
    registrations::table
        .filter(registrations::user_id.eq(user_id))
        .filter(registrations::status.eq(Status::PendingVerification))
        .select(registrations::id)
        .load(conn)
}

/// What the attendee may change on their registration.
pub struct Details<'a> {
    pub role_title: &'a str,
    pub dietary: &'a str,
    pub accessibility: &'a str,
    pub consent_listed: bool,
}

pub fn update_details(
    conn: &mut DbConnection,
    id: i64,
    details: &Details<'_>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(registrations::table.find(id))
        .set((
            registrations::role_title.eq(details.role_title),
            registrations::dietary.eq(details.dietary),
            registrations::accessibility.eq(details.accessibility),
            registrations::consent_listed.eq(details.consent_listed),
            registrations::updated_at.eq(now),
        ))
        .execute(conn)
}

/// The name printed on the badge; `None` prints the account's name.
pub fn set_badge_name(
    conn: &mut DbConnection,
    id: i64,
    badge_name: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(registrations::table.find(id))
        .set((registrations::badge_name.eq(badge_name), registrations::updated_at.eq(now)))
        .execute(conn)
}

pub fn is_approved(conn: &mut DbConnection, meeting_id: i64, user_id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        registrations::table
            .filter(registrations::meeting_id.eq(meeting_id))
            .filter(registrations::user_id.eq(user_id))
            .filter(registrations::status.eq(Status::Approved)),
    ))
    .get_result(conn)
}

/// Whether the person is approved for a meeting whose last day is `today` or later.
pub fn approved_for_coming_meeting(
    conn: &mut DbConnection,
    user_id: i64,
    today: chrono::NaiveDate,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        registrations::table
            .inner_join(meetings::table)
            .filter(registrations::user_id.eq(user_id))
            .filter(registrations::status.eq(Status::Approved))
            .filter(meetings::last_day.ge(today)),
    ))
    .get_result(conn)
}

/// A line of the attendee list: (name, team, country code, role). Never dietary or
/// accessibility answers.
pub type ListedAttendee = (String, String, String, String);

/// Approved attendees who agreed to be listed, by country, team and name.
pub fn listed_attendees(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<Vec<ListedAttendee>> {
    registrations::table
        .inner_join(users::table)
        .inner_join(teams::table)
        .filter(registrations::meeting_id.eq(meeting_id))
        .filter(registrations::status.eq(Status::Approved))
        .filter(registrations::consent_listed.eq(true))
        .order((teams::country_code, teams::name, users::name))
        .select((users::name, teams::name, teams::country_code, registrations::role_title))
        .load(conn)
}

/// The meeting a registration belongs to.
pub fn meeting_of(conn: &mut DbConnection, id: i64) -> QueryResult<i64> {
    registrations::table.find(id).select(registrations::meeting_id).first(conn)
}

/// The ids of the meeting's approved registrations.
pub fn approved_ids(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<Vec<i64>> {
    registrations::table
        .filter(registrations::meeting_id.eq(meeting_id))
        .filter(registrations::status.eq(Status::Approved))
        .select(registrations::id)
        .load(conn)
}

/// The address and name of a registration's person (who receives its calendar mail).
pub fn address_and_name(conn: &mut DbConnection, id: i64) -> QueryResult<(String, String)> {
    registrations::table
        .inner_join(users::table)
        .filter(registrations::id.eq(id))
        .select((users::email, users::name))
        .first(conn)
}
