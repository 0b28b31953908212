//! `/invitations/{token}`: an invited team contact creates an account (or uses the one they
//! have) and registers for the meeting. GET only shows the invitation (mail scanners open
//! links); POST spends the token, in the same transaction as the account, the registration
//! and the audit row.

mod accept;

use actix_web::{HttpResponse, http::StatusCode, web};
use serde::Serialize;

pub use super::details::RegisterForm;

use crate::{
    auth::session::Viewer,
    domain::states::MeetingStatus,
    domain::states::TeamStatus,
    domain::token::hash_token,
    error::AppError,
    models::{
        invitation::{self, Invitation},
        meeting::Meeting,
        question::{self, Question},
        team::{self, Team},
        user::{self, User},
    },
    render::{Layout, page_with_status},
    routes::{
        form_errors::FormErrors,
        public::answers::{self, Control, Typed},
    },
    state::AppState,
};

const TEMPLATE: &str = "pages/vetting/invitation.html";

#[derive(Serialize)]
struct InvitationPage {
    title: String,
    layout: Layout,
    meeting: String,
    city: String,
    team: String,
    email: String,
    /// An account with the invited address exists: sign in as it to accept.
    has_account: bool,
    /// The viewer is signed in as the invited address.
    signed_in_as_invitee: bool,
    errors: FormErrors,
    form: RegisterForm,
    questions: Vec<Control>,
}

#[derive(Serialize)]
struct Refused {
    title: &'static str,
    layout: Layout,
    message: &'static str,
}

/// Everything an invitation page needs, loaded at once.
pub(super) struct Found {
    pub(super) invitation: Invitation,
    pub(super) meeting: Meeting,
    pub(super) team: Team,
    pub(super) account: Option<User>,
    /// The questions the meeting's form asks now.
    pub(super) asked: Vec<Question>,
}

pub(super) async fn load(state: &AppState, raw: &str) -> Result<Option<Found>, AppError> {
    let hash = hash_token(raw);
    Ok(state
        .db
        .query(move |c| {
            let Some(invitation) = invitation::by_hash(c, &hash)? else { return Ok(None) };
            let meeting = invitation::meeting_of(c, &invitation)?;
            let team = team::find(c, invitation.team_id)?;
            // An address never proven has no account yet, only a self-registration waiting
            // for its confirmation: the invitation proves the address and replaces it.
            let account = user::by_email(c, &invitation.email)?.filter(User::is_proven);
            let asked = question::asked(c, meeting.id)?;
            Ok(Some(Found { invitation, meeting, team, account, asked }))
        })
        .await?)
}

/// Why the invitation cannot be accepted now, if it cannot. A known link that no longer
/// works answers 410 Gone: every 404 body is replaced by the generic "page not found"
/// (middleware::error_page), and the invitee needs to read why.
pub(super) fn refusal(found: &Found, now: chrono::NaiveDateTime) -> Option<(StatusCode, &'static str)> {
    let (i, m) = (&found.invitation, &found.meeting);
    if i.used_at.is_some() {
        return Some((
            StatusCode::GONE,
            "This invitation was used already. Sign in to see your registration.",
        ));
    }
    if i.revoked_at.is_some() {
        return Some((StatusCode::GONE, "The organizers withdrew this invitation. Ask them for a new one."));
    }
    if i.expires_at <= now {
        return Some((StatusCode::GONE, "This invitation has expired. Ask the organizers for a new one."));
    }
    if m.status != MeetingStatus::Open {
        return Some((
            StatusCode::UNPROCESSABLE_ENTITY,
            "This meeting is cancelled. Registration is closed.",
        ));
    }
    if now < m.registration_opens {
        return Some((
            StatusCode::UNPROCESSABLE_ENTITY,
            "Registration for this meeting is not open yet. Use the link again later.",
        ));
    }
    if now > m.registration_closes {
        return Some((StatusCode::UNPROCESSABLE_ENTITY, "Registration for this meeting is closed."));
    }
    if found.team.status != TeamStatus::Recognized {
        return Some((
            StatusCode::UNPROCESSABLE_ENTITY,
            "Your team cannot register at the moment. Ask the organizers.",
        ));
    }
    None
}

pub(super) fn refused(
    state: &AppState,
    layout: Layout,
    status: StatusCode,
    message: &'static str,
) -> Result<HttpResponse, AppError> {
    let data = Refused { title: "This invitation cannot be used", layout, message };
    page_with_status(status, &state.tera, "pages/vetting/invitation_refused.html", &data)
}

/// The form, fresh (200) or again with its messages (422).
pub(super) fn show_form(
    state: &AppState,
    layout: Layout,
    viewer: &Viewer,
    found: &Found,
    errors: FormErrors,
    (form, typed): (RegisterForm, &Typed),
) -> Result<HttpResponse, AppError> {
    let signed_in_as_invitee =
        found.account.as_ref().is_some_and(|a| viewer.0.as_ref().is_some_and(|s| s.user.id == a.id));
    let data = InvitationPage {
        title: format!("Register for {}", found.meeting.title),
        layout,
        meeting: found.meeting.title.clone(),
        city: found.meeting.city.clone(),
        team: found.team.name.clone(),
        email: found.invitation.email.clone(),
        has_account: found.account.is_some(),
        signed_in_as_invitee,
        errors,
        form,
        questions: answers::controls(&found.asked, typed),
    };
    page_with_status(data.errors.status(), &state.tera, TEMPLATE, &data)
}

pub async fn form(
    state: web::Data<AppState>,
    layout: Layout,
    viewer: Viewer,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let Some(found) = load(&state, &path).await? else {
        return crate::routes::public::setup::link_invalid(&state, layout);
    };
    if let Some((status, message)) = refusal(&found, state.clock.now_naive()) {
        return refused(&state, layout, status, message);
    }
    let blank = (RegisterForm::default(), &Typed::default());
    show_form(&state, layout, &viewer, &found, FormErrors::default(), blank)
}

pub use accept::submit;
