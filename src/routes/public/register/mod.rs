//! `/register`: self-registration for the current meeting (or `?meeting=slug`) by anyone
//! with an address at a recognized team's email domain; the team follows from the address,
//! it is never chosen. A signed-in person registers with their account's address.

mod account;
mod records;
mod submit;

use actix_web::{HttpResponse, http::StatusCode, web};
use serde::{Deserialize, Serialize};

pub use submit::submit;

use crate::{
    auth::session::Viewer,
    domain::states::MeetingStatus,
    error::AppError,
    models::{
        meeting::{self, Meeting},
        question::{self, Question},
    },
    render::{Layout, page_with_status},
    routes::{
        form_errors::FormErrors,
        public::{
            answers::{self, Control, Typed},
            details::RegisterForm,
        },
    },
    state::AppState,
};

/// Days a confirmation link works.
pub(crate) const VERIFY_LINK_DAYS: i64 = 7;

#[derive(Deserialize)]
pub struct Which {
    meeting: Option<String>,
}

#[derive(Serialize)]
struct RegisterPage {
    title: String,
    layout: Layout,
    slug: String,
    meeting: String,
    city: String,
    dates: String,
    /// Signed in: the account's address is used and no account fields are asked for.
    account_email: Option<String>,
    errors: FormErrors,
    form: RegisterForm,
    questions: Vec<Control>,
}

#[derive(Serialize)]
struct Refused {
    title: &'static str,
    layout: Layout,
    message: &'static str,
}

/// The meeting asked for, or the current one.
async fn meeting_for(state: &AppState, which: &Which) -> Result<Option<Meeting>, AppError> {
    let (slug, today) = (which.meeting.clone(), state.clock.now_naive().date());
    Ok(state
        .db
        .query(move |c| match slug {
            Some(slug) => {
                use diesel::OptionalExtension as _;
                meeting::by_slug(c, &slug).optional()
            }
            None => meeting::current(c, today),
        })
        .await?)
}

/// Why nobody can register for `m` now, if so.
fn closed(m: &Meeting, now: chrono::NaiveDateTime) -> Option<&'static str> {
    if m.status != MeetingStatus::Open {
        Some("This meeting is cancelled. Registration is closed.")
    } else if now < m.registration_opens {
        Some("Registration for this meeting is not open yet. Come back when it opens.")
    } else if now > m.registration_closes {
        Some("Registration for this meeting is closed.")
    } else {
        None
    }
}

fn refused(state: &AppState, layout: Layout, message: &'static str) -> Result<HttpResponse, AppError> {
    let data = Refused { title: "Registration is not possible", layout, message };
    page_with_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &state.tera,
        "pages/public/register_refused.html",
        &data,
    )
}

/// The questions the meeting's form asks now.
async fn asked(state: &AppState, m: &Meeting) -> Result<Vec<Question>, AppError> {
    let id = m.id;
    Ok(state.db.query(move |c| question::asked(c, id)).await?)
}

/// The form as shown or posted: its fields, the answers typed and the questions asked.
pub(super) struct Filled {
    pub(super) form: RegisterForm,
    pub(super) typed: Typed,
    pub(super) asked: Vec<Question>,
}

fn show_form(
    state: &AppState,
    status: StatusCode,
    layout: Layout,
    viewer: &Viewer,
    m: &Meeting,
    errors: FormErrors,
    filled: Filled,
) -> Result<HttpResponse, AppError> {
    let data = RegisterPage {
        title: format!("Register for {}", m.title),
        layout,
        slug: m.slug.clone(),
        meeting: m.title.clone(),
        city: m.city.clone(),
        dates: format!("{} to {}", m.first_day.format("%A %-d %B %Y"), m.last_day.format("%A %-d %B %Y")),
        account_email: signed_in(viewer).map(|u| u.email.clone()),
        errors,
        questions: answers::controls(&filled.asked, &filled.typed),
        form: filled.form,
    };
    page_with_status(status, &state.tera, "pages/public/register.html", &data)
}

/// The account of a viewer who passed both sign-in steps.
fn signed_in(viewer: &Viewer) -> Option<&crate::models::user::User> {
    viewer.0.as_ref().filter(|s| s.second_factor_done).map(|s| &s.user)
}

pub async fn form(
    state: web::Data<AppState>,
    layout: Layout,
    viewer: Viewer,
    which: web::Query<Which>,
) -> Result<HttpResponse, AppError> {
    let Some(m) = meeting_for(&state, &which).await? else {
        return refused(&state, layout, "There is no meeting to register for at the moment.");
    };
    if let Some(message) = closed(&m, state.clock.now_naive()) {
        return refused(&state, layout, message);
    }
    let filled =
        Filled { form: RegisterForm::default(), typed: Typed::default(), asked: asked(&state, &m).await? };
    show_form(&state, StatusCode::OK, layout, &viewer, &m, FormErrors::default(), filled)
}
