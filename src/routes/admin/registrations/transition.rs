//! One organizer decision about one registration, as the single and the bulk forms both
//! apply it: the new status, its audit row and its email commit in one transaction that
//! holds the team's lock, so approvals never pass the team's cap even when many run at once.
//! The calendar invites the decision causes are queued in the same transaction.

use serde::Serialize;

use crate::{
    calendar::InviteKind,
    db,
    delivery::invites,
    domain::registration::{self as rules, Decision, Status, TransitionError},
    error::AppError,
    models::{audit, feed_token, meeting::Meeting, outbox, registration, team},
    state::AppState,
};

/// Whom a decision is about: the registration and the person who receives the email.
pub(super) struct Target {
    pub id: i64,
    pub name: String,
    pub email: String,
}

#[derive(Serialize)]
struct DecisionMail {
    name: String,
    meeting: String,
    status: &'static str,
    reason: Option<String>,
    next: &'static str,
    link: String,
}

/// What happens next, worded for an email: the page's own wording points at the page.
fn next_in_mail(to: Status) -> &'static str {
    match to {
        Status::Approved => {
            "You can attend. A calendar invitation for the meeting days comes in a separate email. The agenda and your calendar links are on your registration page."
        }
        Status::Rejected => {
            "You cannot attend this meeting. If you have questions, reply to this email: your reply goes to the organizers."
        }
        Status::Revoked => {
            "You cannot attend this meeting any more. The meeting and its sessions are removed from your calendar: you receive a separate email about this. If you have questions, reply to this email: your reply goes to the organizers."
        }
        other => other.next_step(),
    }
}

/// Applies `decision` to the registration `target` of meeting `m`. The outer error is a
/// failure; the inner one a refusal the organizer reads (and nothing was written).
pub(super) async fn apply(
    state: &actix_web::web::Data<AppState>,
    actor: i64,
    m: &Meeting,
    target: Target,
    decision: Decision,
    reason: Option<String>,
) -> Result<Result<Status, TransitionError>, AppError> {
    let Target { id, name, email } = target;
    let to = decision.target();
    let data = DecisionMail {
        name,
        meeting: m.title.clone(),
        status: to.label(),
        reason: reason.clone().filter(|_| rules::reason_required(decision)),
        next: next_in_mail(to),
        link: state.settings.link("/me"),
    };
    // Each status is reached at most once (the state machine has no cycles).
    let mail = state.mail(&email, "registration_decision", &data, format!("registration:{id}:{to}"))?;
    let (meeting_id, default_cap, now, st) = (m.id, m.default_cap, state.clock.now_naive(), state.clone());
    let outcome = state
        .db
        .run(move |c| {
            db::transaction(c, |c| -> Result<_, AppError> {
                let team_id = registration::find(c, id)?.team_id;
                registration::lock_team(c, team_id)?;
                // Read again under the lock: another decision may have come first.
                let current = registration::find(c, id)?;
                if current.meeting_id != meeting_id {
                    return Err(AppError::NotFound);
                }
                let from = current.status;
                let approved = registration::approved_in_team(c, current.meeting_id, current.team_id, id)?;
                let cap = rules::effective_cap(team::find(c, current.team_id)?.cap_override, default_cap);
                let to = match rules::decide(from, decision, approved, cap) {
                    Ok(to) => to,
                    Err(e) => return Ok(Err(e)),
                };
                registration::set_decision(c, id, to, actor, reason.as_deref(), now)?;
                let detail = format!(
                    "{from} -> {to}{}",
                    reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default()
                );
                let action = format!("registration.{to}");
                audit::record(c, Some(actor), &action, &format!("registration {id}"), &detail, now)?;
                outbox::enqueue(c, &mail)?;
                // The attendee's calendar follows: the meeting on approval; everything
                // they hold is removed on revocation.
                match to {
                    Status::Approved => invites::meeting_to(c, &st.composer, id, InviteKind::Invitation)?,
                    Status::Revoked => {
                        invites::uninvite_all(c, &st.composer, id)?;
                        feed_token::revoke_all(c, id, now)?;
                    }
                    _ => {}
                }
                Ok(Ok(to))
            })
        })
        .await?;
    if outcome.is_ok() {
        state.mail_queued();
    }
    Ok(outcome)
}
