//! `/me`: who is signed in, their registrations and what comes next for each.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use crate::{
    auth::guard::SignedIn,
    domain::{feedback, local_time::parse_zone, registration::Status},
    error::AppError,
    models::{proposal::call, registration},
    render::{
        Layout,
        page_cache::{PageKey, Picks},
    },
    state::AppState,
};

#[derive(Serialize)]
struct MePage<'a> {
    title: &'static str,
    layout: Layout,
    name: String,
    email: String,
    is_organizer: bool,
    registrations: &'a [RegistrationRow],
    /// Approved for some meeting: may keep an OpenPGP key (`/me/openpgp`).
    approved_somewhere: bool,
}

#[derive(Serialize)]
struct RegistrationRow {
    id: i64,
    slug: String,
    meeting: String,
    /// The agenda's address, for approved registrations only.
    agenda: Option<String>,
    team: String,
    status: &'static str,
    next: &'static str,
    reason: Option<String>,
    approved: bool,
    /// Whether the person may propose for the meeting (a link to its call).
    may_propose: bool,
    /// The survey's address, for approved registrations once the meeting is over.
    survey: Option<String>,
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
) -> Result<HttpResponse, AppError> {
    let u = who.0.user;
    let id = u.id;
    let rows = state
        .db
        .query(move |c| {
            let rows = registration::for_user(c, id)?;
            // The meetings whose call lets people waiting for review propose.
            let pending: Vec<i64> =
                rows.iter().filter(|(r, ..)| r.status == Status::Pending).map(|(_, m, _)| m.id).collect();
            let pending_may =
                if pending.is_empty() { Vec::new() } else { call::letting_pending_propose(c, &pending)? };
            Ok((rows, pending_may))
        })
        .await?;
    let (rows, pending_may) = rows;
    let now = state.clock.now_naive();
    let registrations: Vec<RegistrationRow> = rows
        .into_iter()
        .map(|(r, meeting, team)| {
            let status = r.status;
            let may_propose = status == Status::Approved
                || (status == Status::Pending && pending_may.contains(&meeting.id));
            let over = parse_zone(&meeting.time_zone)
                .is_ok_and(|zone| feedback::survey_open(meeting.last_day, zone, now));
            let survey =
                (status == Status::Approved && over).then(|| format!("/meetings/{}/survey", meeting.slug));
            Ok(RegistrationRow {
                may_propose,
                survey,
                id: r.id,
                agenda: (status == Status::Approved).then(|| format!("/meetings/{}/agenda", meeting.slug)),
                slug: meeting.slug,
                meeting: meeting.title,
                team,
                status: status.label(),
                next: status.next_step(),
                reason: r.reason,
                approved: status == Status::Approved,
            })
        })
        .collect::<Result<_, AppError>>()?;
    // Per person: their own rows are the key, so only a repeated look is spared the render.
    let key =
        PageKey::of(&("me", u.id, &u.name, &u.email, u.is_organizer(), &registrations, layout.shared()));
    let build = |layout, _: Picks<'_>| MePage {
        title: "My account",
        layout,
        name: u.name.clone(),
        email: u.email.clone(),
        is_organizer: u.is_organizer(),
        registrations: &registrations,
        approved_somewhere: registrations.iter().any(|r| r.approved),
    };
    state.pages.page(&state.tera, key, "pages/me/home.html", &layout, None, build)
}
