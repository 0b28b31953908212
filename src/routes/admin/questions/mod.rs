//! `/admin/meetings/{slug}/questions`: the questions a meeting's registration form asks
//! (visa letter, arrival date, dinner, badge name) and those of its survey after the
//! meeting (the same kinds and rules; `domain::feedback::QuestionPurpose`), with how many
//! people answered each; a form to add one. A question is changed on its own page (`edit`), retired, brought back
//! or, while nobody answered it, deleted (`status`).

mod edit;
mod form;
mod status;

use actix_web::{HttpResponse, web};
use serde::Serialize;

pub use edit::{show, update};
pub use status::{delete, restore, retire};

use crate::{
    auth::guard::Organizer,
    db,
    domain::{feedback::QuestionPurpose, questions::QuestionKind},
    error::AppError,
    models::{
        answer, audit,
        meeting::{self, Meeting},
        question::{self, Question},
    },
    render::{Layout, page_with_status, see_other},
    routes::form_errors::FormErrors,
    state::AppState,
};
use form::QuestionForm;

/// The kinds of answer, as the form's select lists them: (stored word, label).
fn kinds() -> Vec<(&'static str, &'static str)> {
    QuestionKind::ALL.iter().map(|k| (k.as_str(), k.label())).collect()
}

/// Where a question is asked, as the form's select lists them: (stored word, label).
fn purposes() -> Vec<(&'static str, &'static str)> {
    QuestionPurpose::ALL.iter().map(|p| (p.as_str(), p.label())).collect()
}

#[derive(Serialize)]
struct Row {
    id: i64,
    survey: bool,
    prompt: String,
    kind: &'static str,
    required: bool,
    sensitive: bool,
    retired: bool,
    position: i32,
    answers: i64,
}

#[derive(Serialize)]
struct ListPage {
    title: String,
    layout: Layout,
    meeting: String,
    slug: String,
    rows: Vec<Row>,
    kinds: Vec<(&'static str, &'static str)>,
    purposes: Vec<(&'static str, &'static str)>,
    form: QuestionForm,
    errors: FormErrors,
}

/// The meeting's questions with their answer counts.
async fn load(state: &AppState, slug: String) -> Result<(Meeting, Vec<Question>, Vec<(i64, i64)>), AppError> {
    Ok(state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &slug)?;
            let (questions, counts) = (question::all_for_meeting(c, m.id)?, answer::counts(c, m.id)?);
            Ok((m, questions, counts))
        })
        .await?)
}

fn count_of(counts: &[(i64, i64)], id: i64) -> i64 {
    counts.iter().find(|(q, _)| *q == id).map_or(0, |(_, n)| *n)
}

async fn render(
    state: &AppState,
    layout: Layout,
    slug: String,
    form: Option<QuestionForm>,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let (m, questions, counts) = load(state, slug).await?;
    let form = form.unwrap_or_else(|| QuestionForm::blank(questions.len()));

    let rows = questions
        .into_iter()
        .map(|q| Row {
            id: q.id,
            survey: q.purpose == QuestionPurpose::Survey,
            kind: q.kind.label(),
            required: q.required,
            sensitive: q.sensitive,
            retired: q.is_retired(),
            position: q.position,
            answers: count_of(&counts, q.id),
            prompt: q.prompt,
        })
        .collect();
    let data = ListPage {
        title: format!("Registration questions · {}", m.title),
        layout,
        meeting: m.title,
        slug: m.slug,
        rows,
        kinds: kinds(),
        purposes: purposes(),
        form,
        errors,
    };
    page_with_status(data.errors.status(), &state.tera, "pages/admin/questions.html", &data)
}

pub async fn list(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    render(&state, layout, path.into_inner(), None, FormErrors::default()).await
}

pub async fn create(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<String>,
    form: web::Form<QuestionForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, form) = (path.into_inner(), form.into_inner());
    let fields = match form.parse() {
        Ok(fields) => fields,
        Err(errors) => return render(&state, layout, slug, Some(form), errors).await,
    };
    let (actor, now) = (who.0.user.id, state.clock.now_naive());
    let slug = state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                let m = meeting::by_slug(c, &slug)?;
                let q = question::insert(c, m.id, &fields, now)?;
                audit::record(
                    c,
                    Some(actor),
                    "question.created",
                    &m.slug,
                    &format!("question {}", q.id),
                    now,
                )?;
                Ok(m.slug)
            })
        })
        .await?;
    Ok(see_other(&format!("/admin/meetings/{slug}/questions?done=question-saved")))
}
