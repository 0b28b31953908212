//! Registering while signed in: the account's address is used, no account is made. Only a
//! proven address signs in (see `User::credential`), so the registration goes to review at
//! once; an unproven one would still need its confirmation first, should a session of one
//! ever exist.

use actix_web::{HttpResponse, http::StatusCode};

use super::{
    Filled, VERIFY_LINK_DAYS,
    records::{VerifyMail, create, insert_verify_token},
    show_form,
};
use crate::{
    attendance::endorsements,
    auth::session::Viewer,
    db,
    domain::{registration::Status, token::Token},
    error::AppError,
    models::{answer, meeting::Meeting, outbox, registration, team, user},
    render::{Layout, see_other},
    routes::form_errors::FormErrors,
    state::AppState,
};

/// A signed-in person registers with their account. An unconfirmed address still needs
/// its confirmation before the organizers see the registration. `given`: the answers to
/// the meeting's questions, checked.
pub(super) async fn for_account(
    state: &AppState,
    layout: Layout,
    viewer: &Viewer,
    m: &Meeting,
    u: user::User,
    team: team::Team,
    (filled, given): (Filled, Vec<(i64, Option<String>)>),
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now_naive();
    let status = if u.email_verified_at.is_some() { Status::Pending } else { Status::PendingVerification };
    let token = Token::generate();
    let key = token.hash();
    let data = VerifyMail {
        meeting: m.title.clone(),
        team: team.name.clone(),
        link: state.settings.link(&format!("/verify/{}", token.as_str())),
        days: VERIFY_LINK_DAYS,
    };
    let mail = state.mail(&u.email, "verify_email", &data, format!("verify:{key}"))?;
    let (meeting_id, team_id, user_id, details) = (m.id, team.id, u.id, filled.form.clone());
    let composer = state.composer.clone();
    let created = state
        .db
        .run(move |c| {
            db::transaction(c, |c| -> Result<bool, AppError> {
                if registration::exists(c, meeting_id, user_id)? {
                    return Ok(false);
                }
                let r = create(c, meeting_id, team_id, user_id, status, &details, now)?;
                answer::save(c, r, &given, now)?;
                if status == Status::PendingVerification {
                    insert_verify_token(c, user_id, &key, now)?;
                    outbox::enqueue(c, &mail)?;
                } else {
                    // In review at once: the team's contacts are asked, when the meeting wants it.
                    endorsements::ask(c, &composer, r)?;
                }
                Ok(true)
            })
        })
        .await?;
    if !created {
        // The page shows no address field to a signed-in person: the message is the form's.
        let mut errors = FormErrors::default();
        errors.form("You are registered for this meeting already. Your registration is on your page.");
        return show_form(state, StatusCode::UNPROCESSABLE_ENTITY, layout, viewer, m, errors, filled);
    }
    state.mail_queued();
    Ok(see_other(if status == Status::Pending {
        "/me?done=registered"
    } else {
        "/me?done=registered-confirm"
    }))
}
