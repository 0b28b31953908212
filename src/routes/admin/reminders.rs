//! `/admin/meetings/{slug}/reminders`: the days before the meeting on which approved
//! attendees are reminded ("7, 1" until saved; `domain::reminder`), when each is due on the
//! meeting's clocks and how many were queued. A save that does not parse is shown again
//! with its message (422) and writes nothing; a good one is stored and audited in one
//! transaction.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::{
    auth::guard::Organizer,
    db,
    domain::{
        local_time::parse_zone,
        reminder::{self, ReminderDays},
        schedule::long_time,
    },
    error::AppError,
    models::{audit, meeting, reminder as stored},
    render::{Layout, page_with_status, see_other},
    routes::form_errors::FormErrors,
    state::AppState,
};

#[derive(Deserialize)]
pub struct RemindersForm {
    days: String,
}

#[derive(Serialize)]
struct Due {
    days: u32,
    at: String,
    queued: i64,
}

#[derive(Serialize)]
struct RemindersPage {
    title: String,
    layout: Layout,
    slug: String,
    meeting: String,
    days: String,
    errors: FormErrors,
    due: Vec<Due>,
    zone: String,
}

async fn render(
    state: &AppState,
    layout: Layout,
    slug: String,
    typed: Option<String>,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let (m, days, counts) = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &slug)?;
            let days = stored::days_for(c, m.id)?;
            let counts = stored::queued_counts(c, m.id)?;
            Ok((m, days, counts))
        })
        .await?;
    let zone = parse_zone(&m.time_zone).map_err(|e| AppError::Unexpected(e.into()))?;
    let days = ReminderDays::stored(days.as_deref().unwrap_or(reminder::DEFAULT_DAYS));
    let due = days
        .days()
        .iter()
        .map(|&d| Due {
            days: d,
            at: long_time(reminder::due_at(m.first_day, d, zone), zone),
            queued: counts.iter().find(|(n, _)| *n as u32 == d).map_or(0, |(_, k)| *k),
        })
        .collect();
    let status = errors.status();
    let data = RemindersPage {
        title: format!("{}: reminders", m.title),
        layout,
        slug: m.slug,
        meeting: m.title,
        days: typed.unwrap_or_else(|| days.text()),
        errors,
        due,
        zone: m.time_zone,
    };
    page_with_status(status, &state.tera, "pages/admin/reminders.html", &data)
}

pub async fn form(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    render(&state, layout, path.into_inner(), None, FormErrors::default()).await
}

pub async fn save(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<String>,
    form: web::Form<RemindersForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, typed) = (path.into_inner(), form.into_inner().days);
    let days = match ReminderDays::parse(&typed) {
        Ok(days) => days.text(),
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.field("days", e.to_string());
            return render(&state, layout, slug, Some(typed), errors).await;
        }
    };
    let (actor, now, lookup) = (who.0.user.id, state.clock.now_naive(), slug.clone());
    state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                let m = meeting::by_slug(c, &lookup)?;
                stored::save_days(c, m.id, &days, actor, now)?;
                let subject = format!("meeting {}", m.slug);
                audit::record(c, Some(actor), "reminders.updated", &subject, &format!("days: {days}"), now)
            })
        })
        .await?;
    Ok(see_other(&format!("/admin/meetings/{slug}/reminders?done=reminders-saved")))
}
