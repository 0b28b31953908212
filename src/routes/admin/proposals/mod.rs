//! `/admin/meetings/{slug}/proposals`: the organizers' review of the call for
//! contributions. The list (those waiting for a decision first) filters by kind, track,
//! team, state and label and shows each proposal's average score; a proposal's own page
//! (`detail`) holds the internal comments, the scores and the decision (`decision`).
//!
//! Organizers only: the reviewer role vets people (registrations), while a decision here
//! writes the program (an accepted proposal becomes a draft session), which reviewers
//! cannot edit. Nothing here is shown to speakers but the decision's message.

mod decision;
mod detail;

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

pub use decision::decide;
pub use detail::{comment, score, show};

use crate::{
    auth::guard::Organizer,
    domain::proposal::State,
    error::AppError,
    models::{
        agenda::track,
        meeting,
        proposal::{self, Listed, call, review},
    },
    render::{Layout, page},
    state::AppState,
};

/// The list's filters, from the query; empty: any.
#[derive(Deserialize, Serialize, Default, Debug, Clone)]
pub struct Filter {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    track: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    tlp: String,
}

impl Filter {
    fn keeps(&self, l: &Listed) -> bool {
        let p = &l.proposal;
        (self.kind.is_empty() || p.kind == self.kind)
            && (self.track.is_empty()
                || p.track_id.map(|t| t.to_string()).as_deref() == Some(self.track.as_str())
                || (self.track == "none" && p.track_id.is_none()))
            && (self.team.is_empty() || l.team_id.to_string() == self.team)
            && (self.state.is_empty() || p.state.as_str() == self.state)
            && (self.tlp.is_empty() || p.tlp.as_str() == self.tlp)
    }
}

#[derive(Serialize)]
struct Row {
    id: i64,
    title: String,
    kind: String,
    track: Option<String>,
    team: String,
    proposer: String,
    minutes: i32,
    tlp: &'static str,
    state: &'static str,
    score: Option<String>,
    scores: usize,
}

#[derive(Serialize)]
struct ListPage {
    title: String,
    layout: Layout,
    meeting: String,
    slug: String,
    call: bool,
    filter: Filter,
    kinds: Vec<String>,
    tracks: Vec<(i64, String)>,
    teams: Vec<(i64, String)>,
    states: Vec<(&'static str, &'static str)>,
    labels: Vec<&'static str>,
    rows: Vec<Row>,
    total: usize,
}

/// The average of `scores`, one decimal.
fn average(scores: &[i32]) -> Option<String> {
    (!scores.is_empty())
        .then(|| format!("{:.1}", f64::from(scores.iter().sum::<i32>()) / scores.len() as f64))
}

pub async fn list(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
    path: web::Path<String>,
    query: web::Query<Filter>,
) -> Result<HttpResponse, AppError> {
    let slug = path.into_inner();
    let (m, call, listed, tracks, scores) = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &slug)?;
            let call = call::of_meeting(c, m.id)?;
            let listed = proposal::for_meeting(c, m.id)?;
            let tracks = track::for_meeting(c, m.id)?;
            let scores = review::meeting_scores(c, m.id)?;
            Ok((m, call, listed, tracks, scores))
        })
        .await?;
    let filter = query.into_inner();
    let mut kinds = call.as_ref().map(call::Call::kinds).unwrap_or_default();
    let mut teams: Vec<(i64, String)> = Vec::new();
    for l in &listed {
        if !kinds.contains(&l.proposal.kind) {
            kinds.push(l.proposal.kind.clone());
        }
        if !teams.iter().any(|(id, _)| *id == l.team_id) {
            teams.push((l.team_id, l.team.clone()));
        }
    }
    teams.sort_by(|a, b| a.1.cmp(&b.1));
    let total = listed.len();
    let mut rows: Vec<Row> = listed
        .into_iter()
        .filter(|l| filter.keeps(l))
        .map(|l| {
            let own: Vec<i32> = scores.iter().filter(|(p, _)| *p == l.proposal.id).map(|(_, s)| *s).collect();
            Row {
                id: l.proposal.id,
                title: l.proposal.title,
                kind: l.proposal.kind,
                track: l.track,
                team: l.team,
                proposer: l.proposer,
                minutes: l.proposal.minutes,
                tlp: l.proposal.tlp.as_str(),
                state: l.proposal.state.label(),
                score: average(&own),
                scores: own.len(),
            }
        })
        .collect();
    // What needs a decision first.
    rows.sort_by_key(|r| r.state != State::Submitted.label());
    let data = ListPage {
        title: format!("Proposals · {}", m.title),
        layout,
        meeting: m.title,
        slug: m.slug,
        call: call.is_some(),
        filter,
        kinds,
        tracks: tracks.into_iter().map(|t| (t.id, t.name)).collect(),
        teams,
        states: State::ALL.iter().map(|s| (s.as_str(), s.label())).collect(),
        labels: crate::domain::tlp::Tlp::ALL.iter().map(|t| t.as_str()).collect(),
        rows,
        total,
    };
    page(&state.tera, "pages/admin/proposals.html", &data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_average_score_has_one_decimal() {
        assert_eq!(average(&[]), None);
        assert_eq!(average(&[4, 5]).as_deref(), Some("4.5"));
        assert_eq!(average(&[1, 2, 2]).as_deref(), Some("1.7"));
    }
}
