//! `/admin/meetings/{slug}/questions/{id}`: one question's form. Once people have answered
//! it, its kind stays and every choice an answer holds stays (`domain::questions`): the
//! refusal says so beside the field and nothing is written.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use super::{QuestionForm, kinds, purposes};
use crate::{
    auth::guard::Organizer,
    db,
    domain::{
        feedback,
        questions::{self, ChangeError},
    },
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

#[derive(Serialize)]
struct EditPage {
    title: String,
    layout: Layout,
    meeting: String,
    slug: String,
    question: Question,
    answers: usize,
    kinds: Vec<(&'static str, &'static str)>,
    purposes: Vec<(&'static str, &'static str)>,
    form: QuestionForm,
    errors: FormErrors,
}

/// The meeting, its question `id` and the question's stored answers.
pub(super) async fn load(
    state: &AppState,
    slug: String,
    id: i64,
) -> Result<(Meeting, Question, Vec<String>), AppError> {
    Ok(state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &slug)?;
            let q = question::find(c, m.id, id)?;
            let held = answer::values_of(c, q.id)?;
            Ok((m, q, held))
        })
        .await?)
}

fn render(
    state: &AppState,
    layout: Layout,
    (m, q, held): (Meeting, Question, Vec<String>),
    form: QuestionForm,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let data = EditPage {
        title: format!("Question · {}", m.title),
        layout,
        meeting: m.title,
        slug: m.slug,
        question: q,
        answers: held.len(),
        kinds: kinds(),
        purposes: purposes(),
        form,
        errors,
    };
    page_with_status(data.errors.status(), &state.tera, "pages/admin/question_form.html", &data)
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let found = load(&state, slug, id).await?;
    let form = QuestionForm::of(&found.1);
    render(&state, layout, found, form, FormErrors::default())
}

pub async fn update(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<(String, i64)>,
    form: web::Form<QuestionForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let found = load(&state, slug, id).await?;
    let form = form.into_inner();
    let fields = match form.parse() {
        Ok(fields) => fields,
        Err(errors) => return render(&state, layout, found, form, errors),
    };
    let choices = questions::Choices::stored(&fields.choices);
    let (actor, now, slug, kind, purpose) =
        (who.0.user.id, state.clock.now_naive(), found.0.slug.clone(), found.1.kind, found.1.purpose);
    let refused = state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                // The answers as they are under the write lock: one may have just come in.
                let held = answer::values_of(c, id)?;
                if let Err(e) = feedback::check_purpose_change(!held.is_empty(), purpose, fields.purpose) {
                    return Ok(Some(("purpose", e.to_string())));
                }
                if let Err(e) = questions::check_change(kind, &held, fields.kind, &choices) {
                    let field = if e == ChangeError::Kind { "kind" } else { "choices" };
                    return Ok(Some((field, e.to_string())));
                }
                question::update(c, id, &fields, now)?;
                audit::record(c, Some(actor), "question.updated", &slug, &format!("question {id}"), now)?;
                Ok(None)
            })
        })
        .await?;
    if let Some((field, message)) = refused {
        let mut errors = FormErrors::default();
        errors.field(field, message);
        return render(&state, layout, found, form, errors);
    }
    Ok(see_other(&format!("/admin/meetings/{}/questions?done=question-saved", found.0.slug)))
}
