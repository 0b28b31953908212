//! `/meetings/{slug}/survey`: the survey after the meeting. Its questions are the meeting's
//! questions asked for the survey (the organizers' question editor, `purpose` survey), its
//! controls and checks those of the registration questions (`routes::public::answers`),
//! and its answers rows of `answers` for the person's registration. It opens once the
//! meeting's last day has ended on its clocks; an answer sent before is refused.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use super::refuse_unless_approved;
use crate::{
    auth::guard::SignedIn,
    db,
    domain::{checkin::day_label, feedback},
    error::AppError,
    models::{answer, question, question::Question},
    render::{Layout, page_with_status, see_other},
    routes::{
        agenda::{Reader, reader_with},
        form_errors::FormErrors,
        public::answers::{self, Control, Typed},
    },
    state::AppState,
};

#[derive(Serialize)]
struct SurveyPage {
    title: String,
    layout: Layout,
    slug: String,
    meeting: String,
    attendee: bool,
    /// Why the form is not offered yet.
    closed: Option<String>,
    questions: Vec<Control>,
    /// The number of questions, for organizers (who answer nothing).
    asked: usize,
    answered: bool,
    errors: FormErrors,
}

/// The survey's questions and the person's stored answers to them.
type Found = (Vec<Question>, Vec<(i64, String)>);

async fn load(
    state: &AppState,
    layout: Layout,
    who: &SignedIn,
    slug: String,
) -> Result<Result<(Reader, Found), HttpResponse>, AppError> {
    reader_with(state, layout, who, slug, "survey", |c, r| {
        let asked = question::survey(c, r.meeting().id)?;
        let stored = match r.registration_id {
            Some(id) => answer::for_registration(c, id)?,
            None => Vec::new(),
        };
        let stored = stored.into_iter().filter(|(q, _)| asked.iter().any(|a| a.id == *q)).collect();
        Ok((asked, stored))
    })
    .await
}

/// Why the survey takes no answer now, if it does not.
fn closed(state: &AppState, r: &Reader) -> Option<feedback::FeedbackError> {
    let open = feedback::survey_open(r.meeting().last_day, r.zone, state.clock.now_naive());
    (!open).then(|| feedback::FeedbackError::SurveyNotOpen { last: day_label(r.meeting().last_day) })
}

fn render(
    state: &AppState,
    layout: Layout,
    (r, (asked, stored)): (Reader, Found),
    typed: Option<Typed>,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let answered = !stored.is_empty();
    let typed = typed.unwrap_or_else(|| Typed::stored(&asked, &stored));
    let data = SurveyPage {
        title: format!("Survey · {}", r.meeting().title),
        layout,
        slug: r.meeting().slug.clone(),
        meeting: r.meeting().title.clone(),
        attendee: r.registration_id.is_some(),
        closed: closed(state, &r).map(|e| e.to_string()),
        questions: answers::controls(&asked, &typed),
        asked: asked.len(),
        answered,
        errors,
    };
    page_with_status(data.errors.status(), &state.tera, "pages/feedback/survey.html", &data)
}

pub async fn form(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    match load(&state, layout.clone(), &who, path.into_inner()).await? {
        Ok(found) => render(&state, layout, found, None, FormErrors::default()),
        Err(refused) => Ok(refused),
    }
}

pub async fn submit(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let slug = path.into_inner();
    if let Some(refused) = refuse_unless_approved(&state, layout.clone(), &who, slug.clone()).await? {
        return Ok(refused);
    }
    let (r, found) = match load(&state, layout.clone(), &who, slug).await? {
        Ok(found) => found,
        Err(refused) => return Ok(refused),
    };
    let (typed, _) = answers::split(form.into_inner());
    let mut errors = FormErrors::default();
    if let Some(e) = closed(&state, &r) {
        errors.form(e.to_string());
        return render(&state, layout, (r, found), Some(typed), errors);
    }
    let given = answers::check(&found.0, &typed, &mut errors);
    let Some(registration) = r.registration_id.filter(|_| errors.is_empty()) else {
        return render(&state, layout, (r, found), Some(typed), errors);
    };
    let now = state.clock.now_naive();
    state.db.query(move |c| db::transaction(c, |c| answer::save(c, registration, &given, now))).await?;
    Ok(see_other(&format!("/meetings/{}/survey?done=survey-saved", r.meeting().slug)))
}
