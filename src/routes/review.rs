//! `/review`: where a reviewer lands after signing in. Every meeting, newest first, with
//! how many registrations wait for review, leading to its queue and to its agenda.
//! Organizers may open it too; their console links to the same queues.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use crate::{
    auth::guard::Reviewer,
    domain::registration::Status,
    error::AppError,
    models::{meeting, registration},
    render::{Layout, page},
    state::AppState,
};

#[derive(Serialize)]
struct MeetingRow {
    slug: String,
    title: String,
    first_day: String,
    pending: usize,
}

#[derive(Serialize)]
struct ReviewPage {
    title: &'static str,
    layout: Layout,
    meetings: Vec<MeetingRow>,
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Reviewer,
) -> Result<HttpResponse, AppError> {
    let meetings = state
        .db
        .query(move |c| {
            let mut rows = Vec::new();
            for m in meeting::list(c)? {
                let queue = registration::for_meeting(c, m.id, None)?;
                let pending = queue.iter().filter(|r| r.registration.status == Status::Pending).count();
                rows.push(MeetingRow {
                    first_day: m.first_day.to_string(),
                    slug: m.slug,
                    title: m.title,
                    pending,
                });
            }
            Ok(rows)
        })
        .await?;
    page(&state.tera, "pages/review.html", &ReviewPage { title: "Review registrations", layout, meetings })
}
