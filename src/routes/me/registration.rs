//! `/me/registrations/{id}`: one of my registrations. The details (role, dietary and
//! accessibility needs, consent to be listed) change until the meeting's first day begins
//! in the meeting's zone; the page also explains withdrawing and offers it. A waitlisted
//! person sees their place on the team's waitlist; an offered one the offer's deadline in
//! the meeting's zone and its answers (`offer`). An offer past its deadline is ended here
//! when the page is read, should the worker's sweep not have come yet.

use actix_web::{HttpResponse, http::StatusCode, web};
use serde::Serialize;

use crate::{
    attendance::offers,
    auth::guard::SignedIn,
    db,
    domain::{
        local_time,
        registration::{self as rules, Status},
    },
    error::AppError,
    models::{
        audit,
        meeting::{self, Meeting},
        registration::{self, Registration},
        team, waitlist,
    },
    render::{Layout, page_with_status, see_other},
    routes::{form_errors::FormErrors, public::details::RegisterForm},
    state::AppState,
};

/// A registration of the signed-in person, with its meeting and team name.
pub(super) struct Mine {
    pub(super) r: Registration,
    pub(super) m: Meeting,
    pub(super) team: String,
    pub(super) status: Status,
    /// Where a waitlisted registration stands on its team's waitlist (1 is next).
    pub(super) position: Option<i64>,
}

/// The registration `id` if it is `user_id`'s; anyone else's is "not found". An offer on it
/// whose deadline has passed is ended first.
pub(super) async fn load(state: &AppState, user_id: i64, id: i64) -> Result<Mine, AppError> {
    let read = move |c: &mut db::DbConnection| {
        let r = registration::find(c, id)?;
        if r.user_id != user_id {
            return Err(diesel::result::Error::NotFound);
        }
        let m = meeting::find(c, r.meeting_id)?;
        let t = team::find(c, r.team_id)?;
        let position = match r.status {
            Status::Waitlisted => Some(waitlist::position(c, &r)?),
            _ => None,
        };
        Ok((r, m, t.name, position))
    };
    let (mut r, mut m, mut team, mut position) = state.db.query(read).await?;
    if r.status == Status::Offered && rules::offer_expired(r.offer_expires_at, state.clock.now_naive()) {
        let composer = state.composer.clone();
        state.db.run(move |c| db::transaction(c, |c| offers::expire(c, &composer, id))).await?;
        state.mail_queued();
        (r, m, team, position) = state.db.query(read).await?;
    }
    let status = r.status;
    Ok(Mine { r, m, team, status, position })
}

/// Whether the details may still change now (see [`rules::details_editable`]).
fn editable(state: &AppState, mine: &Mine) -> Result<bool, AppError> {
    let zone = local_time::parse_zone(&mine.m.time_zone).map_err(|e| AppError::Unexpected(e.into()))?;
    let today = local_time::to_local(state.clock.now_naive(), zone).date();
    Ok(rules::details_editable(mine.status, today, mine.m.first_day))
}

#[derive(Serialize)]
struct DetailsPage {
    title: String,
    layout: Layout,
    id: i64,
    meeting: String,
    team: String,
    status: &'static str,
    next: &'static str,
    first_day: String,
    editable: bool,
    can_withdraw: bool,
    approved: bool,
    position: Option<i64>,
    /// The open offer's deadline in the meeting's zone, while the status is `offered`.
    offer_deadline: Option<String>,
    errors: FormErrors,
    form: RegisterForm,
}

pub(super) fn render(
    state: &AppState,
    layout: Layout,
    status: StatusCode,
    mine: &Mine,
    errors: FormErrors,
    form: RegisterForm,
) -> Result<HttpResponse, AppError> {
    let data = DetailsPage {
        title: format!("Your registration for {}", mine.m.title),
        layout,
        id: mine.r.id,
        meeting: mine.m.title.clone(),
        team: mine.team.clone(),
        status: mine.status.label(),
        next: mine.status.next_step(),
        first_day: mine.m.first_day.format("%A %-d %B %Y").to_string(),
        editable: editable(state, mine)?,
        can_withdraw: rules::withdraw(mine.status).is_ok(),
        approved: mine.status == Status::Approved,
        position: mine.position,
        offer_deadline: (mine.status == Status::Offered)
            .then(|| mine.r.offer_expires_at.map(|d| offers::deadline_text(&mine.m, d)))
            .flatten(),
        errors,
        form,
    };
    page_with_status(status, &state.tera, "pages/me/registration.html", &data)
}

pub(super) fn stored_form(r: &Registration) -> RegisterForm {
    RegisterForm {
        role_title: r.role_title.clone(),
        dietary: r.dietary.clone(),
        accessibility: r.accessibility.clone(),
        consent_listed: r.consent_listed.then(|| "yes".to_owned()),
        ..RegisterForm::default()
    }
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let mine = load(&state, who.0.user.id, path.into_inner()).await?;
    let form = stored_form(&mine.r);
    render(&state, layout, StatusCode::OK, &mine, FormErrors::default(), form)
}

pub async fn update(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<i64>,
    form: web::Form<RegisterForm>,
) -> Result<HttpResponse, AppError> {
    let user_id = who.0.user.id;
    let mine = load(&state, user_id, path.into_inner()).await?;
    if !editable(&state, &mine)? {
        let mut errors = FormErrors::default();
        errors.form(
            "Your details can no longer be changed here: the meeting has started or the registration is \
             closed. Write to the organizers if something changed.",
        );
        let form = stored_form(&mine.r);
        return render(&state, layout, StatusCode::UNPROCESSABLE_ENTITY, &mine, errors, form);
    }
    let mut form = form.into_inner();
    form.normalize();
    let mut errors = FormErrors::default();
    form.check_details(&mut errors);
    if !errors.is_empty() {
        return render(&state, layout, StatusCode::UNPROCESSABLE_ENTITY, &mine, errors, form);
    }
    let (id, now) = (mine.r.id, state.clock.now_naive());
    state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                let details = registration::Details {
                    role_title: &form.role_title,
                    dietary: &form.dietary,
                    accessibility: &form.accessibility,
                    consent_listed: form.consent(),
                };
                registration::update_details(c, id, &details, now)?;
                // The answers themselves stay out of the log: they may be health data.
                audit::record(
                    c,
                    Some(user_id),
                    "registration.details_changed",
                    &format!("registration {id}"),
                    "",
                    now,
                )
            })
        })
        .await?;
    Ok(see_other(&format!("/me/registrations/{id}?done=details-saved")))
}
