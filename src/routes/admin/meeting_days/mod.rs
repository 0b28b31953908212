//! The meeting days (issue 15, point 8): the door list and the badge sheet to print
//! ([`print`]), and the check-in page made for a phone ([`checkin`]). Only approved people
//! are printed or checked in; the rules are in `domain::checkin` and `domain::badge_name`.

mod checkin;
mod marking;
mod print;

use chrono::NaiveDate;
use serde::Serialize;

use crate::{
    domain::{badge_name, checkin as rules, local_time, registration::Status},
    error::AppError,
    models::{
        checkin::{self as door, Expected},
        meeting::{self, Meeting},
    },
    state::AppState,
};

pub use checkin::show as checkin;
pub use marking::{arrive, undo};
pub use print::{badges, door_list};

/// The meeting as the pages name it.
#[derive(Serialize)]
struct MeetingRef {
    slug: String,
    title: String,
}

/// A person as the door sees them: the badge shows `badge_name`.
#[derive(Serialize)]
struct Person {
    id: i64,
    name: String,
    badge_name: String,
    team: String,
    country: String,
}

impl From<Expected> for Person {
    fn from(e: Expected) -> Self {
        let badge_name = badge_name::shown(e.badge_name.as_deref(), &e.name).to_owned();
        Person { id: e.registration_id, name: e.name, badge_name, team: e.team, country: e.country }
    }
}

/// The meeting's registrations in door order (team country, then name, in any case).
async fn load(state: &AppState, slug: String) -> Result<(Meeting, Vec<Expected>), AppError> {
    let (m, mut rows) = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &slug)?;
            let rows = door::expected(c, m.id)?;
            Ok((m, rows))
        })
        .await?;
    rows.sort_by_cached_key(|r| (rules::door_order(&r.country, &r.name), r.registration_id));
    Ok((m, rows))
}

/// Only the approved, still in door order.
fn approved(rows: Vec<Expected>) -> Vec<Person> {
    rows.into_iter().filter(|r| r.status == Status::Approved).map(Person::from).collect()
}

/// Today on the meeting's wall clocks.
fn local_today(state: &AppState, m: &Meeting) -> Result<NaiveDate, AppError> {
    let zone = local_time::parse_zone(&m.time_zone).map_err(|e| AppError::Unexpected(e.into()))?;
    Ok(local_time::to_local(state.clock.now_naive(), zone).date())
}
