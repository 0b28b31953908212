//! `/`: the current meeting (the one whose last day is the soonest not yet past, else the
//! latest), its co-located FIRST conference, and how a team asks for an invitation.
//! Nothing of the agenda.

use actix_web::{HttpResponse, web};
use chrono::TimeZone as _;
use serde::Serialize;

use crate::{
    domain::{colocation::DateRange, local_time, states::MeetingStatus},
    error::AppError,
    models::meeting,
    render::{Layout, page},
    state::AppState,
};

#[derive(Serialize)]
struct Overview {
    title: String,
    city: String,
    venue: String,
    days: String,
    time_zone: String,
    cancelled: bool,
    demo: bool,
    conference_name: String,
    conference_city: String,
    conference_days: String,
    description: String,
    contact_email: String,
    /// When registration closes, on the meeting's wall clocks, with the zone named.
    registration_closes: String,
}

#[derive(Serialize)]
struct Home {
    title: &'static str,
    layout: Layout,
    meeting: Option<Overview>,
    /// The fingerprint of the key that signs encrypted announcements (grouped by four).
    organizer_key: Option<String>,
}

/// "Wed 10 June 2026, 23:59 MDT (America/Denver)": the deadline as the meeting's clocks
/// show it; a stored zone that no longer parses shows UTC, named.
fn deadline(utc: chrono::NaiveDateTime, zone: &str) -> String {
    let zone = local_time::parse_zone(zone).unwrap_or(chrono_tz::UTC);
    let local = zone.from_utc_datetime(&utc);
    format!("{} ({})", local.format("%a %-d %B %Y, %H:%M %Z"), zone.name())
}

fn days(first: chrono::NaiveDate, last: chrono::NaiveDate) -> String {
    DateRange::new(first, last).map(|r| r.to_string()).unwrap_or_else(|_| format!("{first} – {last}"))
}

pub async fn show(state: web::Data<AppState>, layout: Layout) -> Result<HttpResponse, AppError> {
    let today = state.clock.now().date_naive();
    let current = state.db.query(move |c| meeting::current(c, today)).await?;
    let meeting = current.map(|m| Overview {
        registration_closes: deadline(m.registration_closes, &m.time_zone),
        description: m.description,
        contact_email: m.contact_email,
        days: days(m.first_day, m.last_day),
        conference_days: days(m.conference_first_day, m.conference_last_day),
        cancelled: m.status == MeetingStatus::Cancelled,
        demo: m.is_demo,
        title: m.title,
        city: m.city,
        venue: m.venue,
        time_zone: m.time_zone,
        conference_name: m.conference_name,
        conference_city: m.conference_city,
    });
    let title = "Annual Technical Meeting of CSIRTs with National Responsibility";
    let organizer_key = state.organizer_key.as_ref().map(|k| k.fingerprint_grouped());
    page(&state.tera, "pages/public/home.html", &Home { title, layout, meeting, organizer_key })
}
