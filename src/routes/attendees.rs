//! `/meetings/{slug}/attendees`: who attends, for those who attend. Approved attendees
//! who agreed to be listed, by country and team, shown only to the approved attendees of
//! that meeting and to organizers; never dietary or accessibility answers.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use crate::{
    auth::guard::SignedIn,
    error::AppError,
    models::{meeting, registration},
    render::{Layout, page},
    state::AppState,
};

#[derive(Serialize)]
struct AttendeesPage {
    title: String,
    layout: Layout,
    countries: Vec<Country>,
    total: usize,
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
}

pub async fn list(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (slug, viewer) = (path.into_inner(), who.0.user);
    // Reviewers read the list as organizers do (they see every registration anyway).
    let (organizer, user_id) = (viewer.reviews(), viewer.id);
    let found = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &slug)?;
            if !organizer && !registration::is_approved(c, m.id, user_id)? {
                return Ok(None);
            }
            let rows = registration::listed_attendees(c, m.id)?;
            Ok(Some((m, rows)))
        })
        .await?;
    // 403 with the fixed "not allowed" page: the list is only for those who attend.
    let Some((m, rows)) = found else { return Err(AppError::Forbidden) };
    let total = rows.len();
    let mut countries: Vec<Country> = Vec::new();
    // Rows arrive ordered by country, team and name, so grouping is a single pass.
    for (name, team, code, role) in rows {
        if countries.last().is_none_or(|c| c.code != code) {
            countries.push(Country { code: code.clone(), teams: Vec::new() });
        }
        let Some(country) = countries.last_mut() else { continue };
        if country.teams.last().is_none_or(|t| t.name != team) {
            country.teams.push(Team { name: team, people: Vec::new() });
        }
        if let Some(t) = country.teams.last_mut() {
            t.people.push(Person { name, role });
        }
    }
    let data = AttendeesPage { title: format!("Attendees · {}", m.title), layout, countries, total };
    page(&state.tera, "pages/attendee/attendees.html", &data)
}
