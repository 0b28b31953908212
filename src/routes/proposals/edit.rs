//! `/meetings/{slug}/proposals/{id}`: one of the person's own proposals: its state, its
//! co-speakers and whether they confirmed, the form while it may change (the call open, or
//! the organizers asked for changes) and withdrawing it (any time, after a confirmation).
//! Another person's proposal is 404.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use super::{
    CallView, Choices, Proposer,
    form::ProposalForm,
    mail, proposer,
    submit::{closed_message, named_by_address},
};
use crate::{
    auth::guard::SignedIn,
    db,
    domain::proposal::{self, State, name_outside},
    error::AppError,
    models::{
        audit,
        proposal::{
            Proposal,
            speakers::{self, Speaker},
        },
    },
    render::{Layout, page_with_status, see_other},
    routes::{
        confirm::{self, Ask, Confirm},
        form_errors::FormErrors,
    },
    state::AppState,
};

#[derive(Serialize)]
struct ProposalPage {
    title: String,
    layout: Layout,
    meeting: String,
    slug: String,
    call: Option<CallView>,
    proposal: Proposal,
    state: &'static str,
    track: Option<String>,
    speakers: Vec<Speaker>,
    editable: bool,
    withdrawable: bool,
    choices: Choices,
    form: ProposalForm,
    errors: FormErrors,
    /// What was typed in the form that removes a co-speaker named by address.
    remove_email: String,
}

/// The person's own proposal `id` and its co-speakers; 404 for anyone else's.
pub(super) async fn own(
    state: &AppState,
    p: &Proposer,
    id: i64,
) -> Result<(Proposal, Vec<Speaker>), AppError> {
    let (meeting_id, registration_id) = (p.meeting.id, p.registration.id);
    let (found, speakers) = state
        .db
        .query(move |c| {
            let found = crate::models::proposal::find(c, meeting_id, id)?;
            Ok((found, speakers::of_proposals(c, &[id])?))
        })
        .await?;
    if found.registration_id != registration_id {
        return Err(AppError::NotFound);
    }
    Ok((found, speakers))
}

/// Co-speakers the proposer may see: those they chose, and those named by address once
/// they confirmed (before that, showing them would tell whether the address is registered).
fn visible(speakers: Vec<Speaker>) -> Vec<Speaker> {
    speakers.into_iter().filter(|s| !s.by_address || s.confirmed_at.is_some()).collect()
}

fn render(
    state: &AppState,
    layout: Layout,
    p: Proposer,
    found: (Proposal, Vec<Speaker>),
    form: Option<ProposalForm>,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    render_with(state, layout, p, found, form, errors, String::new())
}

/// The page again after a refused removal of a co-speaker, with `typed` kept.
pub(super) fn render_removal(
    state: &AppState,
    layout: Layout,
    p: Proposer,
    found: (Proposal, Vec<Speaker>),
    typed: String,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    render_with(state, layout, p, found, None, errors, typed)
}

fn render_with(
    state: &AppState,
    layout: Layout,
    p: Proposer,
    (found, speakers): (Proposal, Vec<Speaker>),
    form: Option<ProposalForm>,
    errors: FormErrors,
    remove_email: String,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now_naive();
    let window = p.call.as_ref().map(|c| c.window());
    let chosen = speakers.iter().filter(|s| !s.by_address).map(|s| s.registration_id).collect();
    let data = ProposalPage {
        // Named as outside the app: titles are kept by browsers (T1).
        title: format!("Your {} · {}", name_outside(found.id, found.tlp, &found.title), p.meeting.title),
        layout,
        call: p.call.as_ref().map(|c| CallView::new(c, p.zone, now)),
        state: found.state.label(),
        track: found.track_id.and_then(|t| p.tracks.iter().find(|x| x.id == t)).map(|t| t.name.clone()),
        editable: proposal::editable(found.state, window, now),
        withdrawable: proposal::withdrawable(found.state),
        form: form.unwrap_or_else(|| ProposalForm::of(&found, chosen)),
        speakers: visible(speakers),
        choices: Choices::of(&p),
        meeting: p.meeting.title,
        slug: p.meeting.slug,
        proposal: found,
        errors,
        remove_email,
    };
    page_with_status(data.errors.status(), &state.tera, "pages/proposals/proposal.html", &data)
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let p = proposer(&state, &who, slug).await?;
    let found = own(&state, &p, id).await?;
    render(&state, layout, p, found, None, FormErrors::default())
}

pub async fn update(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<(String, i64)>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let p = proposer(&state, &who, slug).await?;
    let found = own(&state, &p, id).await?;
    let form = ProposalForm::from_pairs(body.into_inner());
    let now = state.clock.now_naive();
    if !proposal::editable(found.0.state, p.call.as_ref().map(|c| c.window()), now) {
        let mut errors = FormErrors::default();
        errors.form(if found.0.state == State::Submitted {
            closed_message(&p)
        } else {
            format!(
                "This proposal is {} and can no longer be changed. Nothing was saved.",
                found.0.state.label()
            )
        });
        return render(&state, layout, p, found, Some(form), errors);
    }
    let parsed = match form.parse(&p.kinds(), &p.tracks, &p.candidates) {
        Ok(parsed) => parsed,
        Err(errors) => return render(&state, layout, p, found, Some(form), errors),
    };
    let (composer, meeting, actor, window) =
        (state.composer.clone(), p.meeting.clone(), who.0.user.id, p.call.as_ref().map(|c| c.window()));
    let saved = state
        .db
        .run(move |c| {
            db::transaction(c, |c| -> Result<bool, AppError> {
                // Read again under the lock: a decision may have just been taken.
                let current = crate::models::proposal::lock(c, id)?;
                if !proposal::editable(current.state, window, now) {
                    return Ok(false);
                }
                crate::models::proposal::update(c, id, &parsed.fields, now)?;
                let saved = crate::models::proposal::find(c, meeting.id, id)?;
                speakers::keep_chosen(c, id, &parsed.chosen)?;
                for chosen in &parsed.chosen {
                    mail::ask_speaker(c, &composer, (&meeting, &saved), *chosen, false)?;
                }
                if let Some(email) = &parsed.email {
                    named_by_address(c, &composer, (&meeting, &saved), email.as_str())?;
                }
                let subject = format!("{}/proposal/{id}", meeting.slug);
                audit::record(c, Some(actor), "proposal.updated", &subject, saved.tlp.as_str(), now)?;
                Ok(true)
            })
        })
        .await?;
    if !saved {
        let found = own(&state, &p, id).await?;
        let mut errors = FormErrors::default();
        errors.form("This proposal was decided meanwhile and can no longer be changed. Nothing was saved.");
        return render(&state, layout, p, found, Some(form), errors);
    }
    state.mail_queued();
    Ok(see_other(&format!("/meetings/{}/proposals/{id}?done=proposal-saved", p.meeting.slug)))
}

pub async fn withdraw(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<(String, i64)>,
    form: web::Form<Confirm>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let p = proposer(&state, &who, slug).await?;
    let (found, _) = own(&state, &p, id).await?;
    let back = format!("/meetings/{}/proposals/{id}", p.meeting.slug);
    if !proposal::withdrawable(found.state) {
        return Ok(see_other(&back));
    }
    let name = name_outside(found.id, found.tlp, &found.title);
    if !form.given() {
        return confirm::ask(
            &state,
            layout,
            Ask {
                title: format!("Withdraw your proposal {name}?"),
                happens:
                    "The proposal is withdrawn. This cannot be undone: to propose it again, submit it anew \
                          while the call is open."
                        .into(),
                receives: "The organizers see it as withdrawn.".into(),
                action: format!("{back}/withdraw"),
                button: "Withdraw the proposal",
                back,
                ..Ask::default()
            },
        );
    }
    let (actor, now, subject) =
        (who.0.user.id, state.clock.now_naive(), format!("{}/proposal/{id}", p.meeting.slug));
    state
        .db
        .run(move |c| {
            db::transaction(c, |c| -> Result<(), AppError> {
                let current = crate::models::proposal::lock(c, id)?;
                if proposal::withdrawable(current.state) {
                    crate::models::proposal::set_state(c, id, State::Withdrawn, now)?;
                    audit::record(c, Some(actor), "proposal.withdrawn", &subject, current.tlp.as_str(), now)?;
                }
                Ok(())
            })
        })
        .await?;
    Ok(see_other(&format!("{back}?done=proposal-withdrawn")))
}
