//! `POST /admin/meetings/{slug}/proposals/{id}/decision`: accept, reject or ask for
//! changes, with a message mailed to the proposer and every confirmed co-speaker. Every
//! decision is audited by the proposal's id and label, never its title (T1). Accepting
//! creates a draft session linked to the proposal, not yet placed: its title, abstract,
//! label, kind, preferred track, duration and speakers (as accounts, shown "Name (Team)"); the organizer
//! sets its time and room in the editor, and publishing works as for any session.

use actix_web::{HttpResponse, web};
use chrono::{Duration, NaiveTime};

use super::detail::{Posted, ReviewForms, load, message};
use crate::{
    auth::guard::Organizer,
    db::{self, DbConnection},
    domain::{
        local_time::{parse_zone, to_utc},
        proposal::{self, Decision},
    },
    email::Composer,
    error::AppError,
    models::{
        agenda::{
            session::{self, NewSpeaker, SessionFields},
            unscheduled,
        },
        audit,
        meeting::Meeting,
        proposal::{Proposal, speakers},
    },
    render::Layout,
    routes::{form_errors::FormErrors, proposals::mail},
    state::AppState,
};

/// The draft session of an accepted proposal, placed as a placeholder at 09:00 on the
/// meeting's first day for its duration; returns its id.
fn create_session(
    c: &mut DbConnection,
    m: &Meeting,
    p: &Proposal,
    actor: i64,
    now: chrono::NaiveDateTime,
) -> Result<i64, AppError> {
    let zone = parse_zone(&m.time_zone).map_err(|e| AppError::Unexpected(e.into()))?;
    let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN);
    let starts_at = to_utc(m.first_day, nine, zone).unwrap_or_else(|_| m.first_day.and_time(nine));
    let fields = SessionFields {
        title: p.title.clone(),
        abstract_text: p.abstract_text.clone(),
        kind: proposal::session_kind(&p.kind),
        track_id: p.track_id,
        room_id: None,
        starts_at,
        ends_at: starts_at + Duration::minutes(i64::from(p.minutes)),
        tlp: p.tlp,
    };
    let mut names = vec![p.registration_id];
    let confirmed = speakers::of_proposals(c, &[p.id])?.into_iter().filter(|s| s.confirmed_at.is_some());
    names.extend(confirmed.map(|s| s.registration_id));
    let mut listed = Vec::new();
    for id in names {
        let (name, team) = speakers::name_and_team(c, id)?;
        // As accounts: the speakers get the session's invites once it is published.
        listed.push(NewSpeaker { registration_id: Some(id), ..NewSpeaker::text(&name, &team) });
    }
    let id = session::insert(c, m.id, &fields, &listed, &uuid::Uuid::new_v4().to_string(), now)?;
    unscheduled::mark(c, id)?;
    // By id and label only (T1), as the editor writes it.
    audit::record(
        c,
        Some(actor),
        "session.created",
        &format!("{}/session/{id}", m.slug),
        p.tlp.as_str(),
        now,
    )?;
    Ok(id)
}

/// Takes the decision under the proposal's lock; `false` when its state no longer allows
/// it (decided or withdrawn meanwhile), nothing written.
fn take(
    c: &mut DbConnection,
    composer: &Composer,
    m: &Meeting,
    (id, decision, text): (i64, Decision, &str),
    actor: i64,
) -> Result<bool, AppError> {
    let now = composer.now().naive_utc();
    let p = crate::models::proposal::lock(c, id)?;
    if p.meeting_id != m.id || !decision.allowed_from(p.state) {
        return Ok(false);
    }
    crate::models::proposal::set_state(c, id, decision.state(), now)?;
    let mut detail = p.tlp.as_str().to_owned();
    if decision == Decision::Accept {
        let session_id = create_session(c, m, &p, actor, now)?;
        crate::models::proposal::set_session(c, id, session_id)?;
        detail = format!("{detail}; draft session {session_id}");
    }
    let action = format!("proposal.{}", decision.state().as_str());
    audit::record(c, Some(actor), &action, &format!("{}/proposal/{id}", m.slug), &detail, now)?;
    mail::decision(c, composer, (m, &p), decision, text)?;
    Ok(true)
}

pub async fn decide(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<(String, i64)>,
    form: web::Form<ReviewForms>,
) -> Result<HttpResponse, AppError> {
    let posted = Posted::read(&state, &who, path, form).await?;
    let mut errors = FormErrors::default();
    let current = posted.loaded.listed.proposal.state;
    let decision = match posted.forms.decision.parse::<Decision>() {
        Ok(d) if d.allowed_from(current) => Some(d),
        Ok(_) => {
            errors.field(
                "decision",
                format!("The proposal is {}: this decision no longer applies.", current.label()),
            );
            None
        }
        Err(_) => {
            errors.field("decision", "Choose accept, reject or ask for changes.");
            None
        }
    };
    let needed = (decision == Some(Decision::AskForChanges))
        .then_some("Say what should change: the speakers receive this message.");
    let text = message(&mut errors, "message", &posted.forms.message, needed);
    let Some(decision) = decision.filter(|_| errors.is_empty()) else {
        return posted.again(&state, layout, errors);
    };
    let (composer, m) = (state.composer.clone(), posted.loaded.meeting.clone());
    let (id, viewer) = (posted.id, posted.viewer);
    let taken = state
        .db
        .run(move |c| db::transaction(c, |c| take(c, &composer, &m, (id, decision, &text), viewer)))
        .await?;
    if !taken {
        // Read again: the page shows the proposal as it is now.
        let loaded = load(&state, posted.loaded.meeting.slug.clone(), id).await?;
        let why = "The proposal was decided or withdrawn meanwhile; nothing changed.";
        return Posted { loaded, ..posted }.refused(&state, layout, "decision", why);
    }
    state.mail_queued();
    Ok(posted.done("proposal-decided"))
}
