//! One organizer decision about one registration, as the single and the bulk forms both
//! apply it: `attendance::decide` (the new status, its audit row, its email and the
//! calendar invites it causes) in one transaction that holds the team's lock, so approvals
//! never pass the team's cap even when many run at once; when the meeting requires
//! endorsement, an approval without it needs the reason (`attendance::decide_reviewed`). `csirt-meet demo` decides through
//! the same function.

use crate::{
    attendance, db,
    domain::registration::{Decision, Status, TransitionError},
    error::AppError,
    models::meeting::Meeting,
    state::AppState,
};

pub(super) use crate::attendance::Target;

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
    let (m, st) = (m.clone(), state.clone());
    let outcome = state
        .db
        .run(move |c| {
            db::transaction(c, |c| {
                attendance::decide_reviewed(
                    c,
                    &st.composer,
                    (actor, None),
                    &m,
                    &target,
                    decision,
                    reason.as_deref(),
                )
            })
        })
        .await?;
    if outcome.is_ok() {
        state.mail_queued();
    }
    Ok(outcome)
}
