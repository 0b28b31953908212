//! Retiring a question (no longer asked; its answers stay in review and the export),
//! asking it again, and deleting one nobody answered (after a confirmation).

use actix_web::{HttpResponse, web};

use super::edit::load;
use crate::{
    auth::guard::Organizer,
    db,
    error::AppError,
    models::{audit, question},
    render::{Layout, see_other},
    routes::confirm::{self, Ask, Confirm},
    state::AppState,
};

async fn set_retired(
    state: &AppState,
    who: Organizer,
    (slug, id): (String, i64),
    retire: bool,
) -> Result<HttpResponse, AppError> {
    let (m, q, _) = load(state, slug, id).await?;
    let (actor, now) = (who.0.user.id, state.clock.now_naive());
    let action = if retire { "question.retired" } else { "question.restored" };
    let slug = m.slug.clone();
    state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                question::set_retired(c, q.id, retire.then_some(now))?;
                audit::record(c, Some(actor), action, &slug, &format!("question {}", q.id), now)
            })
        })
        .await?;
    let done = if retire { "question-retired" } else { "question-restored" };
    Ok(see_other(&format!("/admin/meetings/{}/questions?done={done}", m.slug)))
}

pub async fn retire(
    state: web::Data<AppState>,
    who: Organizer,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    set_retired(&state, who, path.into_inner(), true).await
}

pub async fn restore(
    state: web::Data<AppState>,
    who: Organizer,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    set_retired(&state, who, path.into_inner(), false).await
}

/// Deletes a question nobody answered, after a confirmation page; an answered one is
/// refused on its page (retire it instead), nothing deleted.
pub async fn delete(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<(String, i64)>,
    form: web::Form<Confirm>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let (m, q, held) = load(&state, slug, id).await?;
    let back = format!("/admin/meetings/{}/questions/{}", m.slug, q.id);
    if !held.is_empty() {
        return Ok(see_other(&format!("{back}?done=question-answered")));
    }
    if !form.given() {
        return confirm::ask(
            &state,
            layout,
            Ask {
                title: format!("Delete the question “{}”?", q.prompt),
                happens: "The question is deleted. Nobody has answered it yet.".into(),
                receives: "Nobody is told; the registration form no longer asks it.".into(),
                action: format!("{back}/delete"),
                button: "Delete the question",
                back,
                ..Ask::default()
            },
        );
    }
    let (actor, now, slug) = (who.0.user.id, state.clock.now_naive(), m.slug.clone());
    let deleted = state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                if !question::delete_unanswered(c, id)? {
                    return Ok(false);
                }
                audit::record(c, Some(actor), "question.deleted", &slug, &format!("question {id}"), now)?;
                Ok(true)
            })
        })
        .await?;
    if !deleted {
        return Ok(see_other(&format!("{back}?done=question-answered")));
    }
    Ok(see_other(&format!("/admin/meetings/{}/questions?done=question-deleted", m.slug)))
}
