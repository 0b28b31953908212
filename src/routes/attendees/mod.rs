//! `/meetings/{slug}/attendees`: who attends, for those who attend (issue 19, point 2).
//! Approved attendees who agreed to be listed, by country and team, with the address and
//! OpenPGP fingerprint of those who opted in to share them; the shared keys as one keyring
//! (`keyring`) and the shared contacts as a vCard file (`contacts`). Shown only to the
//! meeting's approved attendees and to organizers and reviewers; never dietary or
//! accessibility answers. After `directory.readable_months_after` months past the
//! meeting's last day it closes for everyone: a 410 page says so.

pub mod contacts;
pub mod keyring;

use actix_web::{HttpResponse, http::StatusCode, web};
use serde::Serialize;

use crate::{
    auth::guard::SignedIn,
    domain::{directory, local_time},
    error::AppError,
    models::{
        directory::{self as rows, Entry},
        meeting::{self, Meeting},
        registration,
    },
    render::{Layout, page, page_with_status},
    state::AppState,
};

/// The directory if `who` may read it now: `Ok(Err(page))` is the 410 page of a closed one.
pub(super) async fn read(
    state: &AppState,
    layout: Layout,
    who: SignedIn,
    slug: String,
) -> Result<Result<(Meeting, Vec<Entry>), HttpResponse>, AppError> {
    let viewer = who.0.user;
    // Reviewers read the list as organizers do (they see every registration anyway).
    let (organizer, user_id) = (viewer.reviews(), viewer.id);
    let found = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &slug)?;
            if !organizer && !registration::is_approved(c, m.id, user_id)? {
                return Ok(None);
            }
            let entries = rows::entries(c, m.id)?;
            Ok(Some((m, entries)))
        })
        .await?;
    // 403 with the fixed "not allowed" page: the list is only for those who attend.
    let Some((m, entries)) = found else { return Err(AppError::Forbidden) };
    let zone = local_time::parse_zone(&m.time_zone).map_err(|e| AppError::Unexpected(e.into()))?;
    let today = local_time::to_local(state.clock.now_naive(), zone).date();
    let months = state.settings.directory.readable_months_after;
    if directory::is_open(m.last_day, months, today) {
        return Ok(Ok((m, entries)));
    }
    let data = Closed {
        title: format!("Attendees · {}", m.title),
        layout,
        meeting: m.title,
        closed_on: directory::closes_on(m.last_day, months).format("%A %-d %B %Y").to_string(),
        months,
    };
    Ok(Err(page_with_status(StatusCode::GONE, &state.tera, "pages/attendee/directory_closed.html", &data)?))
}

#[derive(Serialize)]
struct Closed {
    title: String,
    layout: Layout,
    meeting: String,
    closed_on: String,
    months: u32,
}

#[derive(Serialize)]
struct AttendeesPage {
    title: String,
    layout: Layout,
    slug: String,
    countries: Vec<Country>,
    total: usize,
    shared_contacts: usize,
    shared_keys: usize,
}

#[derive(Serialize)]
struct Country {
    code: String,
    teams: Vec<Team>,
}

#[derive(Serialize)]
struct Team {
    name: String,
    people: Vec<Person>,
}

#[derive(Serialize)]
struct Person {
    name: String,
    role: String,
    email: Option<String>,
    /// In groups of four hex digits, as gpg prints it.
    fingerprint: Option<String>,
}

pub async fn list(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (m, entries) = match read(&state, layout.clone(), who, path.into_inner()).await? {
        Ok(open) => open,
        Err(closed) => return Ok(closed),
    };
    let total = entries.len();
    let shared_contacts = entries.iter().filter(|e| e.email.is_some()).count();
    let shared_keys = entries.iter().filter(|e| e.key.is_some()).count();
    let mut countries: Vec<Country> = Vec::new();
    // Entries arrive ordered by country, team and name, so grouping is a single pass.
    for e in entries {
        if countries.last().is_none_or(|c| c.code != e.country) {
            countries.push(Country { code: e.country.clone(), teams: Vec::new() });
        }
        let Some(country) = countries.last_mut() else { continue };
        if country.teams.last().is_none_or(|t| t.name != e.team) {
            country.teams.push(Team { name: e.team.clone(), people: Vec::new() });
        }
        if let Some(t) = country.teams.last_mut() {
            let fingerprint = e.key.map(|(f, _)| grouped(&f));
            t.people.push(Person { name: e.name, role: e.role, email: e.email, fingerprint });
        }
    }
    let data = AttendeesPage {
        title: format!("Attendees · {}", m.title),
        layout,
        slug: m.slug,
        countries,
        total,
        shared_contacts,
        shared_keys,
    };
    page(&state.tera, "pages/attendee/attendees.html", &data)
}

/// `ABCD1234…` as `ABCD 1234 …`.
pub(crate) fn grouped(fingerprint: &str) -> String {
    let chars: Vec<char> = fingerprint.chars().collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join(" ")
}
