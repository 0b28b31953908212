//! POST `/me/registrations/{id}/badge`: the approved attendee chooses the name printed on
//! their badge (empty: their account's name), until the meeting's first day like the
//! other details. Refused input comes back beside the field, nothing written.

use actix_web::{HttpResponse, http::StatusCode, web};
use serde::Deserialize;

use super::registration::{Forms, editable, load, render, save};
use crate::{
    auth::guard::SignedIn,
    domain::{badge_name, registration::Status},
    error::AppError,
    models::registration,
    render::Layout,
    routes::form_errors::FormErrors,
    state::AppState,
};

#[derive(Deserialize)]
pub struct BadgeForm {
    badge_name: String,
}

pub async fn update(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<i64>,
    form: web::Form<BadgeForm>,
) -> Result<HttpResponse, AppError> {
    let user_id = who.0.user.id;
    let mine = load(&state, user_id, path.into_inner()).await?;
    let typed = form.into_inner().badge_name;
    let mut errors = FormErrors::default();
    if mine.status != Status::Approved {
        errors.form("Only approved attendees choose the name on their badge. Nothing was saved.");
    } else if !editable(&state, &mine)? {
        errors.form(
            "Badges are printed before the meeting: the badge name can no longer be changed here. \
             Nothing was saved.",
        );
    }
    let parsed = badge_name::parse(&typed);
    if let (true, Err(e)) = (errors.is_empty(), &parsed) {
        errors.field("badge_name", e.to_string());
    }
    let chosen = match parsed {
        Ok(chosen) if errors.is_empty() => chosen,
        _ => {
            let forms = Forms { badge_name: Some(typed.trim().to_owned()), ..Forms::stored(&mine) };
            return render(&state, layout, StatusCode::UNPROCESSABLE_ENTITY, &mine, errors, forms);
        }
    };
    save(&state, user_id, &mine, "registration.badge_name_changed", "badge-saved", move |c, id, now| {
        registration::set_badge_name(c, id, chosen.as_deref(), now)
    })
    .await
}
