//! POST `/admin/meetings/{slug}/registrations/bulk`: one decision (approve, waitlist, or
//! reject with a reason) on the checked registrations, applied one by one in the queue's
//! order through `transition`, so a bulk approval fills the team's cap in list order and
//! reports each registration it refused, by name, with the reason. A bulk rejection asks
//! first, naming everyone it reaches (`ask`); without `confirm=yes` nothing changes. When
//! the meeting requires endorsement, a bulk approval of registrations without one needs one
//! reason for the batch (audited with each decision); without it the form is refused,
//! naming them, and nothing is decided.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use super::{Filter, Outcome, ask, render, transition};
use crate::{
    auth::guard::Reviewer,
    domain::{
        endorsement::{Standing, approval_needs_reason},
        registration::{self as rules, Decision, TransitionError},
        text,
    },
    error::AppError,
    models::{endorsement, meeting, registration},
    render::{Layout, see_other},
    routes::{
        admin::listing::Sorting,
        confirm::{self, Confirm},
        form_errors::FormErrors,
    },
    state::AppState,
};

/// What a bulk decision did, for the page that follows it.
#[derive(Serialize, Default)]
pub(in crate::routes::admin) struct Report {
    status: &'static str,
    done: Vec<String>,
    refused: Vec<Refusal>,
}

/// What the bulk form held, shown again when it is refused: the checked rows, the
/// decision and the reason.
#[derive(Serialize, Default)]
pub(super) struct Typed {
    ids: Vec<i64>,
    decision: String,
    reason: String,
}

#[derive(Serialize)]
struct Refusal {
    name: String,
    reason: String,
}

/// The form: `decision`, `reason`, one `ids` per checked row, and the queue's filters.
/// Read as pairs because a repeated key does not fit a struct.
pub async fn bulk(
    state: web::Data<AppState>,
    layout: Layout,
    who: Reviewer,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let slug = path.into_inner();
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_owned());
    let filter = Filter {
        status: field("status").unwrap_or_default(),
        team: field("team").unwrap_or_default(),
        country: field("country").unwrap_or_default(),
        q: field("q").unwrap_or_default(),
        list: Sorting {
            sort: field("sort").unwrap_or_default(),
            dir: field("dir").unwrap_or_default(),
            page: field("page").unwrap_or_default(),
        },
    };
    let ids: Vec<i64> = form.iter().filter(|(k, _)| k == "ids").filter_map(|(_, v)| v.parse().ok()).collect();
    let typed = Typed {
        ids: ids.clone(),
        decision: field("decision").unwrap_or_default(),
        reason: field("reason").unwrap_or_default(),
    };
    let mut errors = FormErrors::default();
    let reason = text::multi_line(&typed.reason)
        .map_err(|e| errors.field("bulk-reason", format!("The reason: {e}")))
        .ok()
        .filter(|r| !r.is_empty());
    let decision = typed.decision.parse::<Decision>().ok().filter(|d| *d != Decision::Revoke);
    match decision {
        None => errors.form("Choose approve, waitlist or reject for the checked registrations."),
        Some(d) if rules::reason_required(d) && reason.is_none() => {
            errors.field("bulk-reason", "Give a reason: each person receives it by email.");
        }
        Some(_) => {}
    }
    if ids.is_empty() {
        errors.form("Select at least one registration.");
    }
    let Some(decision) = decision.filter(|_| errors.is_empty()) else {
        return render(&state, layout, slug, filter, Outcome { errors, bulk: typed, ..Outcome::default() })
            .await;
    };
    let lookup = slug.clone();
    let chosen_ids = ids.clone();
    let (m, rows, standings) = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &lookup)?;
            let rows = registration::for_meeting(c, m.id, None)?;
            let standings = endorsement::standings(c, &chosen_ids)?;
            Ok((m, rows, standings))
        })
        .await?;
    let chosen: Vec<_> = rows.into_iter().filter(|r| ids.contains(&r.registration.id)).collect();
    if decision == Decision::Approve && reason.is_none() {
        // One reason for the batch, or none of it: name who lacks an endorsement.
        let lacking: Vec<String> = chosen
            .iter()
            .filter(|r| rules::decide(r.registration.status, decision, 0, i64::MAX).is_ok())
            .filter_map(|r| {
                let standing = standings.get(&r.registration.id).unwrap_or(&Standing::NotAsked);
                approval_needs_reason(m.endorsement, standing)
                    .then(|| format!("{} ({})", r.name, standing.summary()))
            })
            .collect();
        if !lacking.is_empty() {
            let mut errors = FormErrors::default();
            errors.field(
                "bulk-reason",
                format!(
                    "This meeting requires endorsement by the team's contacts, and these registrations \
                     have none: {}. Give one reason for approving them anyway (it is kept in the audit \
                     log), or uncheck them. Nothing was decided.",
                    lacking.join("; ")
                ),
            );
            return render(
                &state,
                layout,
                slug,
                filter,
                Outcome { errors, bulk: typed, ..Outcome::default() },
            )
            .await;
        }
    }
    if decision == Decision::Reject && !Confirm::from_field(field("confirm")).given() {
        if chosen.is_empty() {
            return render(&state, layout, slug, filter, Outcome::error("Select at least one registration."))
                .await;
        }
        // Name only the people the rejection reaches, and carry only their ids.
        let (reached, unaffected): (Vec<_>, Vec<_>) =
            chosen.iter().partition(|r| rules::decide(r.registration.status, decision, 0, i64::MAX).is_ok());
        if reached.is_empty() {
            let outcome = Outcome::error(
                "None of the checked registrations can be rejected: only pending and waitlisted ones can.",
            );
            return render(&state, layout, slug, filter, outcome).await;
        }
        let people = reached.iter().map(|r| format!("{} ({})", r.name, r.team_name)).collect();
        let ids: Vec<String> = reached.iter().map(|r| r.registration.id.to_string()).collect();
        let form: Vec<(String, String)> =
            form.iter().filter(|(k, v)| k != "ids" || ids.contains(v)).cloned().collect();
        let back = format!("/admin/meetings/{slug}/registrations?{}", filter.clean().query());
        let ask = ask::bulk(&slug, &m.title, people, unaffected.len(), &form, back);
        return confirm::ask(&state, layout, ask);
    }
    let mut report = Report { status: decision.target().label(), ..Report::default() };
    let mut offer_waitlist = Vec::new();
    for row in chosen {
        let id = row.registration.id;
        let target = transition::Target { id, name: row.name.clone(), email: row.email };
        match transition::apply(&state, who.0.user.id, &m, target, decision, reason.clone()).await? {
            Ok(_) => report.done.push(row.name),
            Err(e) => {
                if matches!(e, TransitionError::CapReached { .. }) {
                    offer_waitlist.push(id);
                }
                report.refused.push(Refusal { name: row.name, reason: e.to_string() });
            }
        }
    }
    if report.refused.is_empty() {
        let query = filter.clean().query();
        return Ok(see_other(&format!("/admin/meetings/{slug}/registrations?{query}&done=bulk-decided")));
    }
    let outcome = Outcome { offer_waitlist, report: Some(report), ..Outcome::default() };
    render(&state, layout, slug, filter, outcome).await
}
