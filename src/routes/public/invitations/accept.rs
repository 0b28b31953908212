//! POST `/invitations/{token}`: spends the invitation and, in the same transaction,
//! creates the member account (unless the invitee signed in with theirs), the pending
//! registration and the audit row; then signs a new account in.

use actix_web::{HttpResponse, http::StatusCode, web};

use super::{load, refusal, refused, show_form};
use crate::routes::{form_errors::FormErrors, public::answers};
use crate::{
    attendance::endorsements,
    auth::session::{self, Viewer},
    db,
    domain::registration::Status,
    domain::states::Role,
    error::AppError,
    models::{
        answer, audit, invitation,
        registration::{self, NewRegistration},
        user,
    },
    render::{Layout, see_other},
    state::AppState,
};

pub async fn submit(
    state: web::Data<AppState>,
    layout: Layout,
    viewer: Viewer,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let Some(found) = load(&state, &path).await? else {
        return crate::routes::public::setup::link_invalid(&state, layout);
    };
    let now = state.clock.now_naive();
    if let Some((status, message)) = refusal(&found, now) {
        return refused(&state, layout, status, message);
    }
    let (mut form, typed) = answers::read(form.into_inner())?;
    form.normalize();
    let existing = found.account.as_ref().map(|a| a.id);
    let mut password = None;
    let mut errors = FormErrors::default();
    match existing {
        Some(id) if viewer.0.as_ref().is_some_and(|s| s.user.id == id) => form.check_details(&mut errors),
        // The page then shows no form, so no field to lead to: the message is about the
        // whole form.
        Some(_) => errors.form(
            "An account with this email address exists already. Sign in with it, then open this link again.",
        ),
        None => {
            password = form.check_account(&found.invitation.email, &mut errors);
            form.check_details(&mut errors);
        }
    }
    // Unless the page shows no form (someone else's account): then its one message is the form's.
    let given = if existing.is_none() || existing == viewer.0.as_ref().map(|s| s.user.id) {
        answers::check(&found.asked, &typed, &mut errors)
    } else {
        Vec::new()
    };
    if !errors.is_empty() {
        return show_form(&state, layout, &viewer, &found, errors, (form, &typed));
    }
    let hash = match password {
        Some(p) => Some(state.hasher.hash(p.expose().to_owned()).await?),
        None => None,
    };
    let (inv, name) = (found.invitation.clone(), form.name.clone());
    let (role_title, dietary, accessibility) =
        (form.role_title.clone(), form.dietary.clone(), form.accessibility.clone());
    let consent = form.consent();
    let mail = state.composer.clone();
    let created = state
        .db
        .run(move |c| {
            db::transaction(c, |c| -> Result<_, AppError> {
                // Already registered: keep the link unspent (checked before spending it).
                if let Some(id) = existing
                    && registration::exists(c, inv.meeting_id, id)?
                {
                    return Ok(Some((id, false)));
                }
                if !invitation::mark_used(c, inv.id, now)? {
                    return Ok(None);
                }
                let user_id = match (existing, &hash) {
                    (Some(id), _) => id,
                    (None, Some(hash)) => {
                        // A self-registration never confirmed (see `load`) gives way.
                        user::replace_unproven(c, &inv.email)?;
                        let new = user::NewUser {
                            email: &inv.email,
                            name: &name,
                            role: Role::Member,
                            password_hash: hash,
                            // The invitation reached this address: it is proven.
                            email_verified_at: Some(now),
                            created_at: now,
                        };
                        user::insert(c, &new)?.id
                    }
                    (None, None) => return Ok(None),
                };
                let r = registration::insert(
                    c,
                    &NewRegistration {
                        meeting_id: inv.meeting_id,
                        user_id,
                        team_id: inv.team_id,
                        status: Status::Pending,
                        role_title: &role_title,
                        dietary: &dietary,
                        accessibility: &accessibility,
                        consent_listed: consent,
                        created_at: now,
                        updated_at: now,
                        invitation_id: Some(inv.id),
                    },
                )?;
                answer::save(c, r.id, &given, now)?;
                let subject = format!("registration {}", r.id);
                let detail = format!("invitation {}", inv.id);
                audit::record(c, Some(user_id), "registration.created", &subject, &detail, now)?;
                // In review now: the team's contacts are asked, when the meeting wants it.
                endorsements::ask(c, &mail, r.id)?;
                Ok(Some((user_id, true)))
            })
        })
        .await?;
    state.mail_queued();
    match created {
        None => refused(
            &state,
            layout,
            StatusCode::GONE,
            "This invitation was used already. Sign in to see your registration.",
        ),
        Some((_, false)) => refused(
            &state,
            layout,
            StatusCode::UNPROCESSABLE_ENTITY,
            "You are registered for this meeting already. Your registration is on your page.",
        ),
        Some((user_id, true)) if existing.is_none() => {
            let started = session::start(&state, user_id, true).await?;
            let mut res = see_other("/me?done=registered");
            res.add_cookie(&started.cookie).map_err(|e| AppError::Unexpected(e.into()))?;
            Ok(res)
        }
        Some(_) => Ok(see_other("/me?done=registered")),
    }
}
