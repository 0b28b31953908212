//! `/endorsements/{token}`: a team's point of contact endorses or declines a registration of
//! their team's staff by the link mailed to them (`attendance::endorsements`). GET shows who
//! registered, with the organizers' evidence, and changes nothing (mail scanners open
//! links); the POST (CSRF as every form, by the cookie a visitor without an account gets)
//! records the answer and an optional note, once. An unknown link, one used, expired, closed
//! by another contact's answer, of a registration decided or withdrawn, or the contact's own
//! registration answers a 410 page that says why, and nothing is written.

use actix_web::{HttpResponse, http::StatusCode, web};
use serde::{Deserialize, Serialize};

use crate::{
    attendance::endorsements::{self, Refusal, View},
    db,
    domain::{
        endorsement::{Answer, MAX_NOTE},
        text,
        token::hash_token,
    },
    error::AppError,
    render::{Layout, page_with_status},
    routes::form_errors::FormErrors,
    state::AppState,
};

#[derive(Serialize)]
struct EndorsePage {
    title: &'static str,
    layout: Layout,
    view: View,
    errors: FormErrors,
    note: String,
}

#[derive(Serialize)]
struct ClosedPage {
    title: &'static str,
    layout: Layout,
    /// Why the link answers nothing; none for an unknown link.
    refusal: Option<String>,
}

#[derive(Serialize)]
struct DonePage {
    title: &'static str,
    layout: Layout,
    person: String,
    endorsed: bool,
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    answer: String,
    #[serde(default)]
    note: String,
}

fn closed(state: &AppState, layout: Layout, refusal: Refusal) -> Result<HttpResponse, AppError> {
    let refusal = match refusal {
        Refusal::Unknown => None,
        Refusal::Closed(why) => Some(why.to_string()),
    };
    let data = ClosedPage { title: "This link does not work", layout, refusal };
    page_with_status(StatusCode::GONE, &state.tera, "pages/endorsements/closed.html", &data)
}

async fn show(
    state: &AppState,
    layout: Layout,
    token: &str,
    (errors, note): (FormErrors, String),
) -> Result<HttpResponse, AppError> {
    let (hash, now) = (hash_token(token), state.clock.now_naive());
    match state.db.run(move |c| endorsements::view(c, &hash, now)).await? {
        Err(refusal) => closed(state, layout, refusal),
        Ok(view) => {
            let status = errors.status();
            let data = EndorsePage { title: "Endorse a registration", layout, view, errors, note };
            page_with_status(status, &state.tera, "pages/endorsements/answer.html", &data)
        }
    }
}

pub async fn form(
    state: web::Data<AppState>,
    layout: Layout,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    show(&state, layout, &path, (FormErrors::default(), String::new())).await
}

pub async fn submit(
    state: web::Data<AppState>,
    layout: Layout,
    path: web::Path<String>,
    form: web::Form<AnswerForm>,
) -> Result<HttpResponse, AppError> {
    let AnswerForm { answer, note } = form.into_inner();
    let mut errors = FormErrors::default();
    let answer = match answer.as_str() {
        "endorse" => Some(Answer::Endorsed),
        "decline" => Some(Answer::Declined),
        _ => {
            errors.form("Choose to endorse or to decline the registration.");
            None
        }
    };
    let checked = match text::multi_line(&note) {
        Ok(n) if n.chars().count() > MAX_NOTE => {
            errors.field("note", format!("Keep the note to {MAX_NOTE} characters or fewer."));
            None
        }
        Ok(n) => Some(n),
        Err(e) => {
            errors.field("note", e.to_string());
            None
        }
    };
    let (Some(answer), Some(checked)) = (answer, checked) else {
        return show(&state, layout, &path, (errors, note)).await;
    };
    let (hash, now) = (hash_token(&path), state.clock.now_naive());
    let answered = state
        .db
        .run(move |c| db::transaction(c, |c| endorsements::answer(c, &hash, answer, &checked, now)))
        .await?;
    match answered {
        Err(refusal) => closed(&state, layout, refusal),
        Ok(person) => {
            let endorsed = answer == Answer::Endorsed;
            let title = if endorsed { "Registration endorsed" } else { "Registration declined" };
            let data = DonePage { title, layout, person, endorsed };
            page_with_status(StatusCode::OK, &state.tera, "pages/endorsements/done.html", &data)
        }
    }
}
