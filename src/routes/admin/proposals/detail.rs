//! `/admin/meetings/{slug}/proposals/{id}`: one proposal as the organizers review it: its
//! fields, its speakers (the proposer and every co-speaker, confirmed or not), the
//! internal comments, each organizer's score and the decision form. Comments and scores
//! are added here; nothing of them reaches the speakers.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::{
    auth::guard::Organizer,
    db,
    domain::{
        proposal::{self, Decision, MESSAGE_MAX, name_outside},
        schedule::long_time,
        text,
    },
    error::AppError,
    models::{
        meeting::{self, Meeting},
        proposal::{
            Listed,
            review::{self, Comment},
            speakers::{self, Speaker},
        },
    },
    render::{Layout, page_with_status, see_other},
    routes::form_errors::FormErrors,
    state::AppState,
};

#[derive(Serialize)]
struct ScoreView {
    name: String,
    score: i32,
    mine: bool,
}

#[derive(Serialize, Deserialize, Default, Debug, Clone)]
pub struct ReviewForms {
    #[serde(default)]
    pub comment: String,
    #[serde(default)]
    pub score: String,
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub message: String,
}

#[derive(Serialize)]
struct DetailPage {
    title: String,
    layout: Layout,
    meeting: String,
    slug: String,
    proposal: crate::models::proposal::Proposal,
    proposer: String,
    team: String,
    track: Option<String>,
    state: &'static str,
    submitted: String,
    speakers: Vec<Speaker>,
    comments: Vec<(Comment, String)>,
    scores: Vec<ScoreView>,
    decisions: Vec<(&'static str, &'static str)>,
    decidable: bool,
    forms: ReviewForms,
    errors: FormErrors,
}

/// Everything the page shows.
pub(super) struct Loaded {
    pub meeting: Meeting,
    pub listed: Listed,
    speakers: Vec<Speaker>,
    comments: Vec<Comment>,
    scores: Vec<(i64, String, i32)>,
}

pub(super) async fn load(state: &AppState, slug: String, id: i64) -> Result<Loaded, AppError> {
    Ok(state
        .db
        .query(move |c| {
            let meeting = meeting::by_slug(c, &slug)?;
            let listed = crate::models::proposal::listed(c, meeting.id, id)?;
            Ok(Loaded {
                meeting,
                listed,
                speakers: speakers::of_proposals(c, &[id])?,
                comments: review::comments(c, id)?,
                scores: review::scores(c, id)?,
            })
        })
        .await?)
}

pub(super) fn render(
    state: &AppState,
    layout: Layout,
    viewer: i64,
    l: Loaded,
    forms: ReviewForms,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let zone = crate::domain::local_time::parse_zone(&l.meeting.time_zone).unwrap_or(chrono_tz::UTC);
    let p = l.listed.proposal;
    let mine = l.scores.iter().find(|(u, _, _)| *u == viewer).map(|(_, _, s)| s.to_string());
    let forms = ReviewForms {
        score: if errors.has("score") { forms.score } else { mine.unwrap_or_default() },
        ..forms
    };
    let data = DetailPage {
        // Named as outside the app: titles are kept by browsers (T1).
        title: format!("Proposal {} · {}", name_outside(p.id, p.tlp, &p.title), l.meeting.title),
        layout,
        meeting: l.meeting.title,
        slug: l.meeting.slug,
        proposer: l.listed.proposer,
        team: l.listed.team,
        track: l.listed.track,
        state: p.state.label(),
        submitted: long_time(p.created_at, zone),
        speakers: l.speakers,
        comments: l
            .comments
            .into_iter()
            .map(|c| {
                let at = long_time(c.at, zone);
                (c, at)
            })
            .collect(),
        scores: l
            .scores
            .into_iter()
            .map(|(u, name, score)| ScoreView { name, score, mine: u == viewer })
            .collect(),
        decisions: Decision::ALL
            .iter()
            .filter(|d| d.allowed_from(p.state))
            .map(|d| (d.as_str(), d.label()))
            .collect(),
        decidable: Decision::ALL.iter().any(|d| d.allowed_from(p.state)),
        proposal: p,
        forms,
        errors,
    };
    page_with_status(data.errors.status(), &state.tera, "pages/admin/proposal.html", &data)
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let loaded = load(&state, slug, id).await?;
    render(&state, layout, who.0.user.id, loaded, ReviewForms::default(), FormErrors::default())
}

/// A comment or a decision's message: several lines, bounded; when `empty` is given, it
/// is required and `empty` is the message for a blank one.
pub(super) fn message(
    errors: &mut FormErrors,
    id: &'static str,
    raw: &str,
    empty: Option<&'static str>,
) -> String {
    match text::multi_line(raw) {
        Err(e) => errors.field(id, e.to_string()),
        Ok(m) if m.is_empty() && empty.is_some() => errors.field(id, empty.unwrap_or_default()),
        Ok(m) if m.chars().count() > MESSAGE_MAX => {
            errors.field(id, format!("This can be at most {MESSAGE_MAX} characters long."));
        }
        Ok(m) => return m,
    }
    raw.trim().to_owned()
}

/// A form posted on a proposal's page: what the page shows, the forms as sent and the
/// organizer who sent them. The comment, the score and the decision each start from it.
pub(super) struct Posted {
    pub id: i64,
    pub loaded: Loaded,
    pub forms: ReviewForms,
    pub viewer: i64,
}

impl Posted {
    pub(super) async fn read(
        state: &AppState,
        who: &Organizer,
        path: web::Path<(String, i64)>,
        form: web::Form<ReviewForms>,
    ) -> Result<Posted, AppError> {
        let (slug, id) = path.into_inner();
        let loaded = load(state, slug, id).await?;
        Ok(Posted { id, loaded, forms: form.into_inner(), viewer: who.0.user.id })
    }

    /// The page again with `errors` and the forms as sent: nothing was written.
    pub(super) fn again(
        self,
        state: &AppState,
        layout: Layout,
        errors: FormErrors,
    ) -> Result<HttpResponse, AppError> {
        render(state, layout, self.viewer, self.loaded, self.forms, errors)
    }

    /// The page again with one message on `field`.
    pub(super) fn refused(
        self,
        state: &AppState,
        layout: Layout,
        field: &'static str,
        why: impl Into<String>,
    ) -> Result<HttpResponse, AppError> {
        let mut errors = FormErrors::default();
        errors.field(field, why);
        self.again(state, layout, errors)
    }

    /// Back to the proposal's page once the form took effect; `done` says what happened.
    pub(super) fn done(&self, done: &str) -> HttpResponse {
        see_other(&format!("/admin/meetings/{}/proposals/{}?done={done}", self.loaded.meeting.slug, self.id))
    }
}

pub async fn comment(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<(String, i64)>,
    form: web::Form<ReviewForms>,
) -> Result<HttpResponse, AppError> {
    let posted = Posted::read(&state, &who, path, form).await?;
    let mut errors = FormErrors::default();
    let body = message(&mut errors, "comment", &posted.forms.comment, Some("Write the comment first."));
    if !errors.is_empty() {
        return posted.again(&state, layout, errors);
    }
    let (now, id, viewer) = (state.clock.now_naive(), posted.id, posted.viewer);
    state.db.query(move |c| review::add_comment(c, id, viewer, &body, now)).await?;
    Ok(posted.done("proposal-commented#comments"))
}

pub async fn score(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<(String, i64)>,
    form: web::Form<ReviewForms>,
) -> Result<HttpResponse, AppError> {
    let posted = Posted::read(&state, &who, path, form).await?;
    let score = match posted.forms.score.trim() {
        "" => None,
        raw => match proposal::parse_score(raw) {
            Ok(s) => Some(s),
            Err(e) => return posted.refused(&state, layout, "score", e.to_string()),
        },
    };
    let (now, id, viewer) = (state.clock.now_naive(), posted.id, posted.viewer);
    state.db.query(move |c| db::transaction(c, |c| review::set_score(c, id, viewer, score, now))).await?;
    Ok(posted.done("proposal-scored"))
}
