//! `/meetings/{slug}/proposals`: the call (when it opens and closes, in the meeting's
//! zone), the person's own proposals and, while the call is open, the form for a new one.
//! A proposal after the call closed, a co-speaker who cannot be chosen or a value outside
//! the choices is refused with its message, the form shown again (422), nothing written.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use super::{CallView, Choices, Proposer, form::ProposalForm, mail, proposer};
use crate::{
    auth::guard::SignedIn,
    db,
    error::AppError,
    models::{audit, proposal},
    render::{Layout, page_with_status, see_other},
    routes::form_errors::FormErrors,
    state::AppState,
};

#[derive(Serialize)]
struct Own {
    id: i64,
    title: String,
    kind: String,
    state: &'static str,
    tlp: &'static str,
}

#[derive(Serialize)]
struct CallPage {
    title: String,
    layout: Layout,
    meeting: String,
    slug: String,
    call: Option<CallView>,
    own: Vec<Own>,
    choices: Choices,
    form: ProposalForm,
    errors: FormErrors,
}

async fn render(
    state: &AppState,
    layout: Layout,
    p: Proposer,
    form: ProposalForm,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let registration_id = p.registration.id;
    let own = state.db.query(move |c| proposal::of_registration(c, registration_id)).await?;
    let now = state.clock.now_naive();
    let data = CallPage {
        // The page's title names the meeting only: proposal titles stay out of browser
        // history (T1).
        title: format!("Call for contributions · {}", p.meeting.title),
        layout,
        call: p.call.as_ref().map(|c| CallView::new(c, p.zone, now)),
        own: own
            .into_iter()
            .map(|o| Own {
                id: o.id,
                title: o.title,
                kind: o.kind,
                state: o.state.label(),
                tlp: o.tlp.as_str(),
            })
            .collect(),
        choices: Choices::of(&p),
        meeting: p.meeting.title,
        slug: p.meeting.slug,
        form,
        errors,
    };
    page_with_status(data.errors.status(), &state.tera, "pages/proposals/call.html", &data)
}

pub async fn list(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let p = proposer(&state, &who, path.into_inner()).await?;
    render(&state, layout, p, ProposalForm::blank(), FormErrors::default()).await
}

pub async fn create(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<String>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let p = proposer(&state, &who, path.into_inner()).await?;
    let form = ProposalForm::from_pairs(body.into_inner());
    let now = state.clock.now_naive();
    if !p.is_open(now) {
        let mut errors = FormErrors::default();
        errors.form(closed_message(&p));
        return render(&state, layout, p, form, errors).await;
    }
    let parsed = match form.parse(&p.kinds(), &p.tracks, &p.candidates) {
        Ok(parsed) => parsed,
        Err(errors) => return render(&state, layout, p, form, errors).await,
    };
    let (composer, meeting, registration_id, actor) =
        (state.composer.clone(), p.meeting.clone(), p.registration.id, who.0.user.id);
    let id = state
        .db
        .run(move |c| {
            db::transaction(c, |c| -> Result<i64, AppError> {
                let id = proposal::insert(c, meeting.id, registration_id, &parsed.fields, now)?;
                let saved = proposal::find(c, meeting.id, id)?;
                for chosen in &parsed.chosen {
                    mail::ask_speaker(c, &composer, (&meeting, &saved), *chosen, false)?;
                }
                if let Some(email) = &parsed.email {
                    named_by_address(c, &composer, (&meeting, &saved), email.as_str())?;
                }
                // By id and label only, like a session (T1).
                let subject = format!("{}/proposal/{id}", meeting.slug);
                audit::record(c, Some(actor), "proposal.submitted", &subject, saved.tlp.as_str(), now)?;
                Ok(id)
            })
        })
        .await?;
    state.mail_queued();
    Ok(see_other(&format!("/meetings/{}/proposals/{id}?done=proposal-saved", p.meeting.slug)))
}

/// Why a proposal is refused now: the call has not opened, has closed, or does not exist.
pub(super) fn closed_message(p: &Proposer) -> String {
    let now_text = |at| crate::domain::schedule::long_time(at, p.zone);
    match &p.call {
        None => "The organizers have not opened a call for contributions for this meeting yet.".into(),
        Some(c) => format!(
            "The call for contributions is not open: it runs from {} until {}. Nothing was saved.",
            now_text(c.opens_at),
            now_text(c.closes_at)
        ),
    }
}

/// A co-speaker typed in by address: asked when the address is registered for the meeting
/// (and is not the proposer's own), nothing otherwise. The proposer's answer is the same
/// either way, so the form tells nobody who is registered.
pub(super) fn named_by_address(
    c: &mut db::DbConnection,
    composer: &crate::email::Composer,
    (m, p): (&crate::models::meeting::Meeting, &proposal::Proposal),
    email: &str,
) -> Result<(), AppError> {
    let found = proposal::speakers::registered_address(c, m.id, email)?;
    if let Some(registration_id) = found.filter(|r| *r != p.registration_id) {
        mail::ask_speaker(c, composer, (m, p), registration_id, true)?;
    }
    Ok(())
}
