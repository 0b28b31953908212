//! `/admin`: what needs an organizer now.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use crate::{
    auth::guard::Organizer,
    error::AppError,
    models::{agenda::release, meeting, outbox},
    render::{Layout, page},
    startup::AppState,
};

#[derive(Serialize)]
struct Dashboard {
    title: &'static str,
    layout: Layout,
    mail_failed: i64,
    mail_pending: i64,
    agenda_drafts: Vec<AgendaDraft>,
}

/// A meeting whose draft agenda differs from what attendees see.
#[derive(Serialize)]
struct AgendaDraft {
    slug: String,
    title: String,
    changed: usize,
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
) -> Result<HttpResponse, AppError> {
    let counts = state.db.query(outbox::counts).await?;
    let agenda_drafts = state
        .db
        .query(|c| {
            let mut drafts = Vec::new();
            for m in meeting::list(c)? {
                let changed = release::pending_changes(c, m.id)?.len();
                if changed > 0 {
                    drafts.push(AgendaDraft { slug: m.slug, title: m.title, changed });
                }
            }
            Ok(drafts)
        })
        .await?;
    let count = |status: &str| counts.iter().find(|(s, _)| s == status).map_or(0, |(_, n)| *n);
    let data = Dashboard {
        title: "Organizer console",
        layout,
        mail_failed: count(outbox::FAILED),
        mail_pending: count(outbox::PENDING),
        agenda_drafts,
    };
    page(&state.tera, "pages/admin/dashboard.html", &data)
}
