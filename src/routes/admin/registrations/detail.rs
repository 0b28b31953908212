//! GET `/admin/meetings/{slug}/registrations/{id}`: one registration for its review. The
//! person's details, the vetting evidence (how they came, whether the address is at one of
//! the team's domains, the team's approved count against its cap, the meetings they
//! attended before; where it stands with the team's points of contact), the answers to the meeting's questions (retired ones too, sensitive
//! ones marked) and the decisions that fit its status, which post to `decision`. A
//! refused decision shows this page again with its message.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use crate::{
    auth::guard::Reviewer,
    domain::{
        endorsement::{Mode as EndorsementMode, approval_needs_reason},
        evidence::Evidence,
        registration::Status,
    },
    error::AppError,
    models::{answer, endorsement, evidence, meeting, question, registration, user},
    render::{Layout, page_with_status},
    routes::{
        form_errors::FormErrors,
        public::answers::{self, Given},
    },
    state::AppState,
};

#[derive(Serialize)]
struct RegistrationPage {
    title: String,
    layout: Layout,
    meeting: String,
    slug: String,
    id: i64,
    name: String,
    email: String,
    team: String,
    team_id: i64,
    country: String,
    role_title: String,
    status: Status,
    label: &'static str,
    reason: Option<String>,
    registered: String,
    dietary: String,
    accessibility: String,
    consent_listed: bool,
    /// The person has a second factor an organizer may reset (members only).
    second_factor: bool,
    evidence: Evidence,
    /// Where it stands with the team's points of contact, and the meeting's mode.
    endorsement: &'static str,
    endorsement_summary: String,
    endorsement_mode: EndorsementMode,
    /// Approving needs a reason (the meeting requires endorsement and there is none).
    approval_needs_reason: bool,
    answers: Vec<Given>,
    errors: FormErrors,
    /// The reason typed in a refused decision, shown again.
    typed_reason: String,
    /// An approval was refused at the team's cap: offer to waitlist instead.
    offer_waitlist: bool,
}

/// What a refused decision leaves on the page.
#[derive(Default)]
pub(super) struct Refused {
    pub errors: FormErrors,
    pub typed_reason: String,
    pub offer_waitlist: bool,
}

/// The page of registration `id` of the meeting `slug`, with what a refused decision left
/// (422) or nothing (200).
pub(super) async fn render(
    state: &AppState,
    layout: Layout,
    slug: String,
    id: i64,
    refused: Refused,
) -> Result<HttpResponse, AppError> {
    let Refused { errors, typed_reason, offer_waitlist } = refused;
    let (m, row, loaded, second_factor, questions, stored, standing) = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &slug)?;
            let row = registration::queue_row(c, m.id, id)?;
            let loaded = evidence::load(c, &m, std::slice::from_ref(&row))?;
            let user_id = row.registration.user_id;
            let second_factor = user::members_with_second_factor(c, &[user_id])?.contains(&user_id);
            let questions = question::for_meeting(c, m.id)?;
            let stored = answer::for_registration(c, id)?;
            let standing = endorsement::standing(c, id)?;
            Ok((m, row, loaded, second_factor, questions, stored, standing))
        })
        .await?;
    let evidence = loaded.evidence(&row);
    let reg = row.registration;
    let data = RegistrationPage {
        // The name stays out of the title: browsers keep titles in their history.
        title: format!("Registration {id} · {}", m.title),
        layout,
        meeting: m.title,
        slug: m.slug,
        id,
        name: row.name,
        email: row.email,
        team: row.team_name,
        team_id: reg.team_id,
        country: row.team_country,
        role_title: reg.role_title,
        status: reg.status,
        label: reg.status.label(),
        reason: reg.reason,
        registered: reg.created_at.format("%a %-d %b %Y, %H:%M UTC").to_string(),
        dietary: reg.dietary,
        accessibility: reg.accessibility,
        consent_listed: reg.consent_listed,
        second_factor,
        evidence,
        endorsement: standing.word(),
        endorsement_summary: standing.summary(),
        endorsement_mode: m.endorsement,
        approval_needs_reason: approval_needs_reason(m.endorsement, &standing),
        answers: answers::given(&questions, &stored),
        errors,
        typed_reason,
        offer_waitlist,
    };
    page_with_status(data.errors.status(), &state.tera, "pages/admin/registration.html", &data)
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Reviewer,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    render(&state, layout, slug, id, Refused::default()).await
}
