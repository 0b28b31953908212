//! `/admin`: what needs an organizer now: registrations to review (each meeting's count
//! leading to its queue), teams with a free slot and people on the waitlist (promoting one
//! is an approval, with its email), and mail; on a fresh install, the first two steps
//! (import the teams, create the meeting).

use actix_web::{HttpResponse, web};
use serde::Serialize;

use crate::{
    auth::guard::Organizer,
    domain::registration::{Status, effective_cap},
    domain::states::MailStatus,
    error::AppError,
    models::{
        agenda::{release, speaker},
        meeting, outbox, registration, team_page,
    },
    render::{Layout, page},
    state::AppState,
};

#[derive(Serialize)]
struct Dashboard {
    title: &'static str,
    layout: Layout,
    /// No team in the registry yet: the console leads to the import.
    no_teams: bool,
    /// No meeting yet: the console leads to the meeting form.
    no_meetings: bool,
    waiting: Vec<Waiting>,
    mail_failed: i64,
    mail_pending: i64,
    agenda_drafts: Vec<AgendaDraft>,
    pending_review: usize,
    waitlisted: usize,
    free_slots: Vec<FreeSlot>,
    /// Speakers who withdrew or were revoked, per meeting not yet over.
    gone_speakers: Vec<GoneSpeakers>,
}

/// A meeting's speakers who withdrew or were revoked, leading to its editor.
#[derive(Serialize)]
struct GoneSpeakers {
    slug: String,
    title: String,
    speakers: Vec<super::agenda::GoneSpeaker>,
}

/// A team of a meeting not yet over with fewer approved people than its cap and someone
/// on the waitlist.
#[derive(Serialize, Debug, PartialEq, Eq)]
struct FreeSlot {
    meeting: String,
    slug: String,
    team: String,
    team_id: i64,
    approved: usize,
    /// Places held by open waitlist offers: taken like approved ones.
    offered: usize,
    cap: i64,
    waitlisted: usize,
}

/// The teams of one meeting's registrations that have a free slot (not held by an approval
/// or an open offer) and a waitlist.
fn free_slots(m: &meeting::Meeting, rows: &[registration::QueueRow]) -> Vec<FreeSlot> {
    let mut teams: Vec<(i64, &str, Option<i32>)> =
        rows.iter().map(|r| (r.registration.team_id, r.team_name.as_str(), r.team_cap)).collect();
    teams.sort();
    teams.dedup();
    let count = |team: i64, s: Status| {
        rows.iter().filter(|r| r.registration.team_id == team && r.registration.status == s).count()
    };
    teams
        .into_iter()
        .map(|(team_id, team, cap)| FreeSlot {
            meeting: m.title.clone(),
            slug: m.slug.clone(),
            team: team.to_owned(),
            team_id,
            approved: count(team_id, Status::Approved),
            offered: count(team_id, Status::Offered),
            cap: effective_cap(cap, m.default_cap),
            waitlisted: count(team_id, Status::Waitlisted),
        })
        .filter(|t| t.waitlisted > 0 && ((t.approved + t.offered) as i64) < t.cap)
        .collect()
}

/// A meeting with registrations waiting for review, leading to its queue.
#[derive(Serialize)]
struct Waiting {
    slug: String,
    title: String,
    count: usize,
}

/// A meeting whose draft agenda differs from what attendees see.
#[derive(Serialize)]
struct AgendaDraft {
    slug: String,
    title: String,
    changed: usize,
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
) -> Result<HttpResponse, AppError> {
    let today = state.clock.now_naive().date();
    let (counts, upcoming, teams, meetings) = state
        .db
        .query(move |c| {
            let meetings = meeting::list(c)?;
            let total = meetings.len();
            let mut upcoming = Vec::new();
            for m in meetings.into_iter().filter(|m| m.last_day >= today) {
                let rows = registration::for_meeting(c, m.id, None)?;
                let changed = release::pending_changes(c, m.id)?.len();
                let gone = speaker::gone(c, m.id)?;
                upcoming.push((m, rows, changed, gone));
            }
            Ok((outbox::counts(c)?, upcoming, team_page::totals(c)?.0, total))
        })
        .await?;
    let count = |status: MailStatus| counts.iter().find(|(s, _)| *s == status).map_or(0, |(_, n)| *n);
    let with = |s: Status| {
        upcoming.iter().flat_map(|(_, rows, ..)| rows).filter(|r| r.registration.status == s).count()
    };
    let data = Dashboard {
        title: "Organizer console",
        layout,
        no_teams: teams == 0,
        no_meetings: meetings == 0,
        waiting: upcoming
            .iter()
            .map(|(m, rows, ..)| Waiting {
                slug: m.slug.clone(),
                title: m.title.clone(),
                count: rows.iter().filter(|r| r.registration.status == Status::Pending).count(),
            })
            .filter(|w| w.count > 0)
            .collect(),
        mail_failed: count(MailStatus::Failed),
        mail_pending: count(MailStatus::Pending),
        agenda_drafts: upcoming
            .iter()
            .filter(|(_, _, changed, _)| *changed > 0)
            .map(|(m, _, changed, _)| AgendaDraft {
                slug: m.slug.clone(),
                title: m.title.clone(),
                changed: *changed,
            })
            .collect(),
        pending_review: with(Status::Pending),
        waitlisted: with(Status::Waitlisted),
        free_slots: upcoming.iter().flat_map(|(m, rows, ..)| free_slots(m, rows)).collect(),
        gone_speakers: upcoming
            .iter()
            .filter(|(.., gone)| !gone.is_empty())
            .map(|(m, .., gone)| GoneSpeakers {
                slug: m.slug.clone(),
                title: m.title.clone(),
                speakers: gone.iter().cloned().map(Into::into).collect(),
            })
            .collect(),
    };
    page(&state.tera, "pages/admin/dashboard.html", &data)
}
