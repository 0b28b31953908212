//! The roster for the community's channels (issue 19, point 4): the approved attendees of
//! some meetings who opted in to the mailing list, one line per address, with the meetings
//! whose opt-in put them there.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::{
    db::{
        DbConnection,
        schema::{meetings, registrations, teams, users},
    },
    domain::registration::Status,
};

/// One person on the roster: from their newest opt-in's registration, with every meeting
/// whose opt-in counts (newest first).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Member {
    pub email: String,
    pub name: String,
    pub team: String,
    pub country: String,
    /// (slug, title) of each meeting where they opted in.
    pub meetings: Vec<(String, String)>,
}

type Row = (String, String, String, String, String, String, NaiveDate);

/// The opted-in approved attendees of `meeting_ids`, by address (one line each).
pub fn members(conn: &mut DbConnection, meeting_ids: &[i64]) -> QueryResult<Vec<Member>> {
    let rows: Vec<Row> = registrations::table
        .inner_join(users::table)
        .inner_join(teams::table)
        .inner_join(meetings::table)
        .filter(registrations::meeting_id.eq_any(meeting_ids))
        .filter(registrations::status.eq(Status::Approved))
        .filter(registrations::mailing_list.eq(true))
        .order((users::email, meetings::first_day.desc(), meetings::id.desc()))
        .select((
            users::email,
            users::name,
            teams::name,
            teams::country_code,
            meetings::slug,
            meetings::title,
            meetings::first_day,
        ))
        .load(conn)?;
    let mut members: Vec<Member> = Vec::new();
    // Ordered by address, then newest meeting: the first row of an address gives its team.
    for (email, name, team, country, slug, title, _) in rows {
        match members.last_mut() {
            Some(m) if m.email == email => m.meetings.push((slug, title)),
            _ => members.push(Member { email, name, team, country, meetings: vec![(slug, title)] }),
        }
    }
    members.sort_by(|a, b| {
        (a.country.as_str(), a.team.as_str(), a.name.as_str()).cmp(&(&b.country, &b.team, &b.name))
    });
    Ok(members)
}

/// The `n` latest meetings by first day, one not yet held included (newest first):
/// (id, slug, title).
pub fn last_meetings(conn: &mut DbConnection, n: i64) -> QueryResult<Vec<(i64, String, String)>> {
    meetings::table
        .order((meetings::first_day.desc(), meetings::id.desc()))
        .limit(n)
        .select((meetings::id, meetings::slug, meetings::title))
        .load(conn)
}
