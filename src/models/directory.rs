//! The attendee directory's reads and the person's sharing choices (issue 19, point 2):
//! who is listed with what they chose to share, and the two opt-ins of a registration.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::{
    db::{
        DbConnection,
        schema::{openpgp_keys, registrations, teams, users},
    },
    domain::registration::Status,
};

/// A listed attendee: approved, agreed to be listed. The address and key are read only
/// for those who opted in to share them (`share_contact`); never dietary or accessibility
/// answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub team: String,
    pub country: String,
    pub role: String,
    /// The address, when the person shares it.
    pub email: Option<String>,
    /// The key's fingerprint and armor, when the person shares and has one.
    pub key: Option<(String, String)>,
}

type Row = (String, String, String, String, bool, String, Option<String>, Option<String>);

/// The meeting's listed attendees by country, team and name.
pub fn entries(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<Vec<Entry>> {
    let rows: Vec<Row> = registrations::table
        .inner_join(users::table.left_join(openpgp_keys::table))
        .inner_join(teams::table)
        .filter(registrations::meeting_id.eq(meeting_id))
        .filter(registrations::status.eq(Status::Approved))
        .filter(registrations::consent_listed.eq(true))
        .order((teams::country_code, teams::name, users::name, users::id))
        .select((
            users::name,
            teams::name,
            teams::country_code,
            registrations::role_title,
            registrations::share_contact,
            users::email,
            openpgp_keys::fingerprint.nullable(),
            openpgp_keys::armored.nullable(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(name, team, country, role, share, email, fingerprint, armored)| Entry {
            name,
            team,
            country,
            role,
            email: share.then_some(email),
            key: if share { fingerprint.zip(armored) } else { None },
        })
        .collect())
}

/// The registration's two opt-ins.
pub fn set_sharing(
    conn: &mut DbConnection,
    id: i64,
    share_contact: bool,
    mailing_list: bool,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(registrations::table.find(id))
        .set((
            registrations::share_contact.eq(share_contact),
            registrations::mailing_list.eq(mailing_list),
            registrations::updated_at.eq(now),
        ))
        .execute(conn)
}

/// Whether the account is approved for any meeting (who may keep an OpenPGP key here).
pub fn approved_anywhere(conn: &mut DbConnection, user_id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        registrations::table
            .filter(registrations::user_id.eq(user_id))
            .filter(registrations::status.eq(Status::Approved)),
    ))
    .get_result(conn)
}
