//! `/admin/meetings/{slug}/practical`: the organizers write the meeting's practical
//! information in Markdown. A save is checked by `domain::markdown::check` (no raw HTML,
//! only http(s), mailto and this site's links, only this site's images): refused text is
//! shown again with its message and nothing is written; accepted text is stored with who
//! and when and audited, in one transaction. The audit row names the meeting, never the
//! text.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::{
    auth::guard::Organizer,
    db,
    domain::{local_time::parse_zone, markdown, schedule::long_time},
    error::AppError,
    models::{audit, meeting, practical_info, user},
    render::{Layout, page_with_status, see_other},
    routes::form_errors::FormErrors,
    state::AppState,
};

/// The form; without its one field it is not this form (400).
#[derive(Deserialize)]
pub struct PracticalForm {
    markdown: String,
}

#[derive(Serialize)]
struct PracticalPage {
    title: String,
    layout: Layout,
    slug: String,
    meeting: String,
    markdown: String,
    errors: FormErrors,
    /// What approved attendees see now: the stored text, rendered.
    shown: Option<String>,
    /// When and by whom it was last saved.
    saved: Option<String>,
    max_chars: usize,
}

/// The page for the meeting `slug`, with `typed` in the text area (the stored text when
/// `None`) and the messages of a refused save.
async fn render(
    state: &AppState,
    layout: Layout,
    slug: String,
    typed: Option<String>,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let (m, info, by) = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &slug)?;
            let info = practical_info::for_meeting(c, m.id)?;
            let by = match info.as_ref().and_then(|i| i.updated_by) {
                Some(id) => Some(user::find(c, id)?.name),
                None => None,
            };
            Ok((m, info, by))
        })
        .await?;
    let zone = parse_zone(&m.time_zone).map_err(|e| AppError::Unexpected(e.into()))?;
    let saved = info.as_ref().map(|i| {
        let when = long_time(i.updated_at, zone);
        by.map_or_else(|| when.clone(), |name| format!("{when} by {name}"))
    });
    let stored = info.map(|i| i.markdown).unwrap_or_default();
    let shown = (!stored.trim().is_empty()).then(|| markdown::to_html(&stored));
    let status = errors.status();
    let data = PracticalPage {
        title: format!("{}: practical information", m.title),
        layout,
        slug: m.slug,
        meeting: m.title,
        markdown: typed.unwrap_or(stored),
        errors,
        shown,
        saved,
        max_chars: markdown::MAX_CHARS,
    };
    page_with_status(status, &state.tera, "pages/admin/practical.html", &data)
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
    form: web::Form<PracticalForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, typed) = (path.into_inner(), form.into_inner().markdown);
    let text = match markdown::check(&typed) {
        Ok(text) => text,
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.field("markdown", e.to_string());
            return render(&state, layout, slug, Some(typed), errors).await;
        }
    };
    let (actor, now, lookup) = (who.0.user.id, state.clock.now_naive(), slug.clone());
    state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                let m = meeting::by_slug(c, &lookup)?;
                practical_info::save(c, m.id, &text, actor, now)?;
                audit::record(c, Some(actor), "practical.updated", &format!("meeting {}", m.slug), "", now)
            })
        })
        .await?;
    Ok(see_other(&format!("/admin/meetings/{slug}/practical?done=practical-saved")))
}
