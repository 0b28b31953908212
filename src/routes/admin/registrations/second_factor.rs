//! POST `/admin/meetings/{slug}/registrations/{id}/reset-second-factor`: a member who lost
//! their authenticator asks the organizers; this removes their second factor and recovery
//! codes, ends their sessions, writes the audit and security logs and mails them, after a
//! confirmation page. Organizers' own accounts are reset on `/admin/organizers`.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;

use crate::{
    auth::{guard::Organizer, security_log::entry},
    domain::security_event::Event,
    error::AppError,
    models::{audit, meeting, outbox, registration, security_log, user},
    render::{Layout, see_other},
    routes::confirm::{self, Ask, Confirm},
    state::AppState,
};

#[derive(Serialize)]
struct ResetMail {
    at: String,
    link: String,
}

pub async fn reset_second_factor(
    req: HttpRequest,
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<(String, i64)>,
    form: web::Form<Confirm>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let lookup = slug.clone();
    let person = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &lookup)?;
            let r = registration::find(c, id)?;
            if r.meeting_id != m.id {
                return Err(diesel::result::Error::NotFound);
            }
            user::find(c, r.user_id)
        })
        .await?;
    let back = format!("/admin/meetings/{slug}/registrations");
    if person.is_organizer() {
        return Err(AppError::NotFound);
    }
    if !person.has_second_factor() {
        return Ok(see_other(&back));
    }
    if !form.given() {
        return confirm::ask(
            &state,
            layout,
            Ask {
                title: format!("Reset the two-step sign-in of {}?", person.name),
                happens: "Their authenticator app and recovery codes stop working and they are signed out \
                          everywhere. They sign in with their password alone and can set up two-step \
                          sign-in again. Do this only when you know it is them asking (call them back)."
                    .into(),
                receives: format!("{} receives an email saying that an organizer reset it.", person.email),
                action: format!("/admin/meetings/{slug}/registrations/{id}/reset-second-factor"),
                button: "Reset two-step sign-in",
                back,
                ..Ask::default()
            },
        );
    }
    let now = state.clock.now_naive();
    let data = ResetMail {
        at: now.format("%-d %B %Y, %H:%M UTC").to_string(),
        link: state.settings.link("/me/security"),
    };
    let key = format!("second-factor-reset:{}:{}", person.id, now.and_utc().timestamp_micros());
    let mail = state.mail(&person.email, "second_factor_reset", &data, key)?;
    let logged = entry(&state, &req, Some(person.id), Event::SecondFactorReset);
    let (target, actor) = (person.id, who.0.user.id);
    state
        .db
        .query(move |c| {
            crate::db::transaction(c, |c| {
                user::reset_totp(c, target)?;
                user::end_sessions(c, target)?;
                let detail = format!("from registration {id}");
                audit::record(
                    c,
                    Some(actor),
                    "second_factor.reset",
                    &format!("user {target}"),
                    &detail,
                    now,
                )?;
                security_log::record(c, &logged)?;
                outbox::enqueue(c, &mail)
            })
        })
        .await?;
    state.mail_queued();
    Ok(see_other(&format!("{back}?done=member-second-factor-reset")))
}
