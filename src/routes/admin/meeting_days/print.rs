//! GET `/admin/meetings/{slug}/door-list` and `/badges`: the approved attendees to print
//! on A4 (the print rules of `assets/style.css`), a table with an empty "arrived" box for
//! the door and a sheet of badges, in door order.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use super::{MeetingRef, Person, approved, load};
use crate::{
    auth::guard::Organizer,
    error::AppError,
    render::{Layout, page},
    state::AppState,
};

/// Badges on one printed A4 page: two columns of five 90 × 55 mm badges.
const BADGES_PER_PAGE: usize = 10;

#[derive(Serialize)]
struct DoorListPage {
    title: String,
    layout: Layout,
    meeting: MeetingRef,
    people: Vec<Person>,
}

#[derive(Serialize)]
struct BadgesPage {
    title: String,
    layout: Layout,
    meeting: MeetingRef,
    count: usize,
    /// One list per printed page.
    sheets: Vec<Vec<Person>>,
}

pub async fn door_list(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (m, rows) = load(&state, path.into_inner()).await?;
    let data = DoorListPage {
        title: format!("Door list · {}", m.title),
        layout,
        meeting: MeetingRef { slug: m.slug, title: m.title },
        people: approved(rows),
    };
    page(&state.tera, "pages/admin/door_list.html", &data)
}

pub async fn badges(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (m, rows) = load(&state, path.into_inner()).await?;
    let mut people = approved(rows).into_iter().peekable();
    let count = people.len();
    let mut sheets = Vec::new();
    while people.peek().is_some() {
        sheets.push(people.by_ref().take(BADGES_PER_PAGE).collect());
    }
    let data = BadgesPage {
        title: format!("Badges · {}", m.title),
        layout,
        meeting: MeetingRef { slug: m.slug, title: m.title },
        count,
        sheets,
    };
    page(&state.tera, "pages/admin/badges.html", &data)
}
