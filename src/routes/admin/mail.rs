//! `/admin/mail`: the outbox by status, recent messages (never their bodies), failures
//! with their errors, and retry.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use crate::{
    auth::guard::Organizer,
    domain::states::MailStatus,
    error::AppError,
    models::{audit, outbox},
    render::{Layout, page, see_other},
    state::AppState,
};

#[derive(Serialize)]
struct Row {
    id: i64,
    recipient: String,
    subject: String,
    status: MailStatus,
    attempts: i32,
    last_error: Option<String>,
    created_at: String,
}

#[derive(Serialize)]
struct MailPage {
    title: &'static str,
    layout: Layout,
    counts: Vec<(MailStatus, i64)>,
    errors: Vec<Row>,
    recent: Vec<Row>,
}

impl From<outbox::OutboxRow> for Row {
    fn from(r: outbox::OutboxRow) -> Self {
        Row {
            id: r.id,
            recipient: r.recipient,
            subject: r.subject,
            status: r.status,
            attempts: r.attempts,
            last_error: r.last_error,
            created_at: r.created_at.format("%a %-d %b %Y %H:%M UTC").to_string(),
        }
    }
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
) -> Result<HttpResponse, AppError> {
    let (counts, errors, recent) = state
        .db
        .query(|c| Ok((outbox::counts(c)?, outbox::recent_errors(c, 50)?, outbox::recent(c, 50)?)))
        .await?;
    let rows = |v: Vec<outbox::OutboxRow>| v.into_iter().map(Row::from).collect();
    page(
        &state.tera,
        "pages/admin/mail.html",
        &MailPage { title: "Mail", layout, counts, errors: rows(errors), recent: rows(recent) },
    )
}

/// Makes every failed message due again.
pub async fn retry(state: web::Data<AppState>, who: Organizer) -> Result<HttpResponse, AppError> {
    let (actor, now) = (who.0.user.id, state.clock.now_naive());
    state
        .db
        .query(move |c| {
            crate::db::transaction(c, |c| {
                let ids = outbox::retry_failed(c, None)?;
                audit::record(
                    c,
                    Some(actor),
                    "mail.retried",
                    "outbox",
                    &format!("{} messages", ids.len()),
                    now,
                )
            })
        })
        .await?;
    state.mail_queued();
    Ok(see_other("/admin/mail?done=retried"))
}
