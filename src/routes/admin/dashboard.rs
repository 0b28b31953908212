//! `/admin`: what needs an organizer now.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use crate::{
    auth::guard::Organizer,
    error::AppError,
    models::outbox,
    render::{Layout, page},
    startup::AppState,
};

#[derive(Serialize)]
struct Dashboard {
    title: &'static str,
    layout: Layout,
    mail_failed: i64,
    mail_pending: i64,
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
) -> Result<HttpResponse, AppError> {
    let counts = state.db.query(outbox::counts).await?;
    let count = |status: &str| counts.iter().find(|(s, _)| s == status).map_or(0, |(_, n)| *n);
    let data = Dashboard {
        title: "Organizer console",
        layout,
        mail_failed: count(outbox::FAILED),
        mail_pending: count(outbox::PENDING),
    };
    page(&state.tera, "pages/admin/dashboard.html", &data)
}
