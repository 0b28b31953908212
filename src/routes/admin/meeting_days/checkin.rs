//! GET `/admin/meetings/{slug}/checkin`: the door's page, made for a phone. A search by
//! name (account or badge name, any case), each person found with their status and a
//! button to mark them arrived today or undo it ([`super::marking`]), and the counts of
//! each meeting day (approved people who arrived that day, against all approved).

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::{MeetingRef, Person, load, local_today};
use crate::{
    auth::guard::Organizer,
    domain::{checkin as rules, local_time, registration::Status},
    error::AppError,
    models::checkin as door,
    render::{Layout, page_with_status},
    routes::form_errors::FormErrors,
    state::AppState,
};

/// Most search results shown: a phone screen's worth; a longer name narrows it.
const MAX_RESULTS: usize = 30;

/// The search, in the query (GET) and carried through the buttons (POST) so the page
/// comes back to the same results.
#[derive(Deserialize, Default)]
pub struct Search {
    #[serde(default)]
    pub(super) q: String,
}

#[derive(Serialize)]
struct DayCount {
    label: String,
    arrived: usize,
    today: bool,
}

#[derive(Serialize)]
struct Found {
    #[serde(flatten)]
    person: Person,
    status: &'static str,
    approved: bool,
    /// When they were marked arrived today, on the meeting's clocks ("09:14").
    arrived_at: Option<String>,
}

#[derive(Serialize)]
struct CheckinPage {
    title: String,
    layout: Layout,
    meeting: MeetingRef,
    errors: FormErrors,
    q: String,
    today: String,
    /// Why nothing can be marked today, when today is not a meeting day.
    closed: Option<String>,
    days: Vec<DayCount>,
    approved: usize,
    results: Vec<Found>,
    more: bool,
}

pub(super) async fn render(
    state: &AppState,
    layout: Layout,
    slug: String,
    q: String,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let (m, rows) = load(state, slug).await?;
    let zone = local_time::parse_zone(&m.time_zone).map_err(|e| AppError::Unexpected(e.into()))?;
    let today = local_today(state, &m)?;
    let id = m.id;
    let checkins = state.db.query(move |c| door::of_meeting(c, id)).await?;
    let approved: Vec<i64> =
        rows.iter().filter(|r| r.status == Status::Approved).map(|r| r.registration_id).collect();
    let days = rules::days(m.first_day, m.last_day)
        .into_iter()
        .map(|d| DayCount {
            label: rules::day_label(d),
            arrived: checkins.iter().filter(|(r, day, _)| *day == d && approved.contains(r)).count(),
            today: d == today,
        })
        .collect();
    let arrived_at = |id: i64| {
        let at = checkins.iter().find(|(r, day, _)| *r == id && *day == today)?.2;
        Some(local_time::to_local(at, zone).format("%H:%M").to_string())
    };
    let mut results: Vec<Found> = rows
        .into_iter()
        .filter(|r| rules::matches(&q, &[&r.name, r.badge_name.as_deref().unwrap_or_default()]))
        .map(|r| Found {
            status: r.status.label(),
            approved: r.status == Status::Approved,
            arrived_at: arrived_at(r.registration_id),
            person: Person::from(r),
        })
        .collect();
    let more = results.len() > MAX_RESULTS;
    results.truncate(MAX_RESULTS);
    let data = CheckinPage {
        title: format!("Check-in · {}", m.title),
        layout,
        closed: rules::day_for(today, m.first_day, m.last_day).err().map(|e| e.to_string()),
        today: rules::day_label(today),
        meeting: MeetingRef { slug: m.slug, title: m.title },
        errors,
        q,
        days,
        approved: approved.len(),
        results,
        more,
    };
    page_with_status(data.errors.status(), &state.tera, "pages/admin/checkin.html", &data)
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
    path: web::Path<String>,
    search: web::Query<Search>,
) -> Result<HttpResponse, AppError> {
    let q = search.into_inner().q.trim().to_owned();
    render(&state, layout, path.into_inner(), q, FormErrors::default()).await
}
