//! `/admin/organizers`: organizer and reviewer accounts. Invite by email as one or the
//! other (and revoke an open invitation), disable or enable, reset a lost second factor.
//! The last active organizer cannot be disabled. Reviewers never reach this page.

use actix_web::{HttpResponse, web};
use chrono::Duration;
use serde::{Deserialize, Serialize};

use crate::{
    auth::guard::Organizer,
    domain::states::{Purpose, Role},
    domain::{email::Email, token::Token},
    error::AppError,
    models::{audit, one_time_token, outbox, user},
    render::{Layout, page_with_status, see_other},
    routes::{
        confirm::{self, Ask, Confirm},
        form_errors::FormErrors,
    },
    state::AppState,
};

const INVITE_DAYS: i64 = 7;

#[derive(Serialize)]
struct OrganizerRow {
    id: i64,
    name: String,
    email: String,
    active: bool,
    has_second_factor: bool,
    is_me: bool,
    reviewer: bool,
}

#[derive(Serialize)]
struct OpenInvitation {
    id: i64,
    name: String,
    email: String,
    reviewer: bool,
}

#[derive(Serialize)]
struct OrganizersPage {
    title: &'static str,
    layout: Layout,
    organizers: Vec<OrganizerRow>,
    invitations: Vec<OpenInvitation>,
    errors: FormErrors,
    name: String,
    email: String,
    role: &'static str,
}

#[derive(Deserialize)]
pub struct InviteForm {
    name: String,
    email: String,
    /// `organizer` (also when left out) or `reviewer`.
    #[serde(default)]
    role: String,
}

/// The form as typed, shown again with its messages.
#[derive(Default)]
struct Typed {
    name: String,
    email: String,
    reviewer: bool,
}

/// The role an invitation offers; `None` for a word that is neither.
fn invited_role(word: &str) -> Option<Role> {
    match word {
        "" | "organizer" => Some(Role::Organizer),
        "reviewer" => Some(Role::Reviewer),
        _ => None,
    }
}

#[derive(Serialize)]
struct InviteMail {
    name: String,
    inviter: String,
    link: String,
    days: i64,
}

async fn render(
    state: &AppState,
    layout: Layout,
    me: i64,
    errors: FormErrors,
    form: Typed,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now_naive();
    let (accounts, open) =
        state.db.query(move |c| Ok((user::staff(c)?, one_time_token::open_invitations(c, now)?))).await?;
    let organizers = accounts
        .into_iter()
        .map(|u| OrganizerRow {
            id: u.id,
            active: u.disabled_at.is_none(),
            has_second_factor: u.has_second_factor(),
            is_me: u.id == me,
            reviewer: u.role == Role::Reviewer,
            name: u.name,
            email: u.email,
        })
        .collect();
    let invitations = open
        .into_iter()
        .map(|t| OpenInvitation {
            id: t.id,
            reviewer: t.purpose == Purpose::ReviewerInvite,
            name: t.name.unwrap_or_default(),
            email: t.email.unwrap_or_default(),
        })
        .collect();
    let status = errors.status();
    let Typed { name, email, reviewer } = form;
    let role = if reviewer { "reviewer" } else { "organizer" };
    let data =
        OrganizersPage { title: "Organizers", layout, organizers, invitations, errors, name, email, role };
    page_with_status(status, &state.tera, "pages/admin/organizers.html", &data)
}

pub async fn list(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
) -> Result<HttpResponse, AppError> {
    render(&state, layout, who.0.user.id, FormErrors::default(), Default::default()).await
}

pub async fn invite(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    form: web::Form<InviteForm>,
) -> Result<HttpResponse, AppError> {
    let InviteForm { name, email, role } = form.into_inner();
    let me = who.0.user;
    let mut errors = FormErrors::default();
    let role = invited_role(&role).ok_or_else(|| errors.field("role", "Choose organizer or reviewer.")).ok();
    let reviewer = role == Some(Role::Reviewer);
    let name = errors.single_line("name", &name);
    if name.is_empty() {
        errors.field("name", "Enter the name of the person you invite.");
    }
    let parsed = Email::parse(&email).map_err(|e| errors.field("email", e.to_string())).ok();
    if let Some(address) = parsed.clone()
        && state.db.query(move |c| user::by_email(c, address.as_str())).await?.is_some()
    {
        errors.field("email", "An account with this email address exists already.");
    }
    let Some(address) = parsed.filter(|_| errors.is_empty()) else {
        return render(&state, layout, me.id, errors, Typed { name, email, reviewer }).await;
    };
    let (purpose, template, key, action) = if reviewer {
        (Purpose::ReviewerInvite, "reviewer_invite", "reviewer-invite", "reviewer.invited")
    } else {
        (Purpose::OrganizerInvite, "organizer_invite", "organizer-invite", "organizer.invited")
    };
    let token = Token::generate();
    let data = InviteMail {
        name: name.clone(),
        inviter: me.name.clone(),
        link: state.settings.link(&format!("/setup/{}", token.as_str())),
        days: INVITE_DAYS,
    };
    let mail = state.mail(address.as_str(), template, &data, format!("{key}:{}", token.hash()))?;
    let (hash, now) = (token.hash(), state.clock.now_naive());
    state
        .db
        .query(move |c| {
            crate::db::transaction(c, |c| {
                one_time_token::insert(
                    c,
                    &one_time_token::NewToken {
                        purpose,
                        token_hash: &hash,
                        user_id: None,
                        email: Some(address.as_str()),
                        name: Some(&name),
                        expires_at: now + Duration::days(INVITE_DAYS),
                        created_by: Some(me.id),
                        created_at: now,
                    },
                )?;
                outbox::enqueue(c, &mail)?;
                audit::record(c, Some(me.id), action, address.domain(), "", now)
            })
        })
        .await?;
    state.mail_queued();
    Ok(see_other("/admin/organizers?done=invited"))
}

/// Disables an organizer or reviewer and ends their sessions; an organizer only if another
/// active organizer remains.
pub async fn disable(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (target, actor, now) = (path.into_inner(), who.0.user.id, state.clock.now_naive());
    let refusal = state
        .db
        .query(move |c| {
            crate::db::transaction(c, |c| {
                user::lock_organizers(c)?;
                // Disabled meanwhile (by another organizer, at the same moment): no more say.
                if user::find(c, actor)?.disabled_at.is_some() {
                    return Ok(Some("Your account was disabled by another organizer; nothing changed."));
                }
                let account = user::find(c, target)?;
                if !account.reviews() {
                    return Err(diesel::result::Error::NotFound);
                }
                if account.is_organizer() && user::other_active_organizers(c, target)? == 0 {
                    return Ok(Some(
                        "The last active organizer cannot be disabled. Invite another organizer first.",
                    ));
                }
                user::set_disabled(c, target, Some(now))?;
                user::end_sessions(c, target)?;
                one_time_token::retire_created_by(c, target, now)?;
                let action = if account.is_organizer() { "organizer.disabled" } else { "reviewer.disabled" };
                audit::record(c, Some(actor), action, &format!("user {target}"), "", now)?;
                Ok(None)
            })
        })
        .await?;
    if let Some(refusal) = refusal {
        let mut errors = FormErrors::default();
        errors.form(refusal);
        return render(&state, layout, actor, errors, Default::default()).await;
    }
    Ok(see_other(if target == actor { "/login?done=disabled" } else { "/admin/organizers?done=disabled" }))
}

/// Runs `change` on another organizer's or reviewer's account and records `actions.0` (an
/// organizer's) or `actions.1` (a reviewer's), in one transaction.
async fn change_account(
    state: &AppState,
    who: Organizer,
    target: i64,
    actions: (&'static str, &'static str),
    change: fn(&mut crate::db::DbConnection, i64) -> diesel::QueryResult<()>,
) -> Result<(), AppError> {
    let (actor, now) = (who.0.user.id, state.clock.now_naive());
    state
        .db
        .query(move |c| {
            crate::db::transaction(c, |c| {
                let account = user::find(c, target)?;
                if !account.reviews() {
                    return Err(diesel::result::Error::NotFound);
                }
                let action = if account.is_organizer() { actions.0 } else { actions.1 };
                change(c, target)?;
                audit::record(c, Some(actor), action, &format!("user {target}"), "", now).map(drop)
            })
        })
        .await?;
    Ok(())
}

pub async fn enable(
    state: web::Data<AppState>,
    who: Organizer,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    change_account(&state, who, path.into_inner(), ("organizer.enabled", "reviewer.enabled"), |c, id| {
        user::set_disabled(c, id, None).map(drop)
    })
    .await?;
    Ok(see_other("/admin/organizers?done=enabled"))
}

/// For an organizer who lost their authenticator: they set it up again at next sign-in.
pub async fn reset_second_factor(
    state: web::Data<AppState>,
    who: Organizer,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    change_account(
        &state,
        who,
        path.into_inner(),
        ("second_factor.reset", "second_factor.reset"),
        |c, id| {
            user::reset_totp(c, id)?;
            user::end_sessions(c, id).map(drop)
        },
    )
    .await?;
    Ok(see_other("/admin/organizers?done=second-factor-reset"))
}

/// Revokes an open organizer invitation, after a confirmation page that names its address.
pub async fn revoke_invitation(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<i64>,
    form: web::Form<Confirm>,
) -> Result<HttpResponse, AppError> {
    let (id, now) = (path.into_inner(), state.clock.now_naive());
    let open = state.db.query(move |c| one_time_token::open_invitations(c, now)).await?;
    let Some(invitation) = open.into_iter().find(|t| t.id == id) else {
        return Ok(see_other("/admin/organizers?done=invitation-gone"));
    };
    let email = invitation.email.unwrap_or_default();
    let reviewer = invitation.purpose == Purpose::ReviewerInvite;
    if !form.given() {
        let kind = if reviewer { "reviewer" } else { "organizer" };
        return confirm::ask(
            &state,
            layout,
            Ask::revoke_invitation(
                format!("Revoke the {kind} invitation for {email}?"),
                format!("/admin/organizers/invitations/{id}/revoke"),
                "/admin/organizers".into(),
            ),
        );
    }
    let (actor, domain) = (who.0.user.id, crate::email::domain_of(&email).to_owned());
    let revoked = state
        .db
        .query(move |c| {
            crate::db::transaction(c, |c| {
                let revoked = one_time_token::retire_invitation(c, id, now)?;
                if revoked {
                    let action =
                        if reviewer { "reviewer.invitation_revoked" } else { "organizer.invitation_revoked" };
                    audit::record(c, Some(actor), action, &domain, "", now)?;
                }
                Ok(revoked)
            })
        })
        .await?;
    Ok(see_other(if revoked {
        "/admin/organizers?done=invitation-revoked"
    } else {
        "/admin/organizers?done=invitation-gone"
    }))
}
