//! POST `/admin/meetings/{slug}/checkin/{id}` and `…/{id}/undo`: mark a person arrived
//! on today's meeting day, or take that back. Refused outside the meeting's days and, for
//! marking, for anyone not approved: the page again with the message, nothing written.
//! Two organizers marking the same person at once write one row (the key of `checkins`)
//! and one audit row; both are sent back to the page, which shows them arrived.

use actix_web::{HttpResponse, web};
use chrono::{NaiveDate, NaiveDateTime};

use super::{
    checkin::{Search, render},
    local_today,
};
use crate::{
    auth::guard::Organizer,
    db::{self, DbConnection},
    domain::{checkin as rules, registration::Status},
    error::AppError,
    models::{audit, checkin as door, meeting, registration},
    render::{Layout, see_other},
    routes::form_errors::FormErrors,
    state::AppState,
};

/// What a button asks for.
#[derive(Clone, Copy)]
enum Action {
    Arrive,
    Undo,
}

/// What the transaction found.
enum Outcome {
    Done,
    Unchanged,
    NotApproved(String, Status),
}

pub async fn arrive(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<(String, i64)>,
    form: web::Form<Search>,
) -> Result<HttpResponse, AppError> {
    press(&state, layout, who, path.into_inner(), form.into_inner(), Action::Arrive).await
}

pub async fn undo(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<(String, i64)>,
    form: web::Form<Search>,
) -> Result<HttpResponse, AppError> {
    press(&state, layout, who, path.into_inner(), form.into_inner(), Action::Undo).await
}

/// Marks or undoes registration `id`'s check-in of today's meeting day, with its audit row,
/// in one transaction; refuses (the page again, 422, nothing written) outside the meeting's
/// days and, for marking, anyone not approved.
async fn press(
    state: &AppState,
    layout: Layout,
    who: Organizer,
    (slug, id): (String, i64),
    search: Search,
    action: Action,
) -> Result<HttpResponse, AppError> {
    let q = search.q.trim().to_owned();
    let s = slug.clone();
    let m = state.db.query(move |c| meeting::by_slug(c, &s)).await?;
    let day = match rules::day_for(local_today(state, &m)?, m.first_day, m.last_day) {
        Ok(day) => day,
        Err(e) => return refuse(state, layout, slug, q, e.to_string()).await,
    };
    let (actor, now, meeting_id) = (who.0.user.id, state.clock.now_naive(), m.id);
    let outcome = state
        .db
        .query(move |c| db::transaction(c, |c| write(c, (meeting_id, id, day), action, (actor, now))))
        .await?;
    let done = match (action, outcome) {
        (Action::Arrive, Outcome::Done) => "checked-in",
        (Action::Arrive, Outcome::Unchanged) => "checked-in-already",
        (Action::Undo, Outcome::Done) => "checkin-undone",
        (Action::Undo, Outcome::Unchanged) => "checkin-not-there",
        (_, Outcome::NotApproved(name, status)) => {
            let message = format!(
                "{name} is not approved for this meeting (status: {}). Do not let them in: send them \
                 to the organizers' desk. Nothing was saved.",
                status.label()
            );
            return refuse(state, layout, slug, q, message).await;
        }
    };
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("q", &q)
        .append_pair("done", done)
        .finish();
    Ok(see_other(&format!("/admin/meetings/{slug}/checkin?{query}")))
}

/// The write of [`press`], inside its transaction: the registration must belong to the
/// meeting (else "not found"); the audit row only when a row was added or removed, so two
/// organizers pressing at once leave one row and one audit row.
fn write(
    c: &mut DbConnection,
    (meeting_id, id, day): (i64, i64, NaiveDate),
    action: Action,
    (actor, now): (i64, NaiveDateTime),
) -> diesel::QueryResult<Outcome> {
    let r = registration::find(c, id)?;
    if r.meeting_id != meeting_id {
        return Err(diesel::result::Error::NotFound);
    }
    let (changed, what) = match action {
        Action::Arrive if r.status != Status::Approved => {
            let (_, name) = registration::address_and_name(c, id)?;
            return Ok(Outcome::NotApproved(name, r.status));
        }
        Action::Arrive => (door::arrive(c, id, day, actor, now)?, "checkin.arrived"),
        Action::Undo => (door::undo(c, id, day)?, "checkin.undone"),
    };
    if !changed {
        return Ok(Outcome::Unchanged);
    }
    audit::record(c, Some(actor), what, &format!("registration {id}"), &day.to_string(), now)?;
    Ok(Outcome::Done)
}

/// The page again, 422, with `message` and nothing written.
async fn refuse(
    state: &AppState,
    layout: Layout,
    slug: String,
    q: String,
    message: String,
) -> Result<HttpResponse, AppError> {
    let mut errors = FormErrors::default();
    errors.form(message);
    render(state, layout, slug, q, errors).await
}
