//! `/meetings/{slug}/sessions/{id}/feedback`: an approved attendee rates a session of the
//! latest release (1–5) and may comment, once it has ended; sending again changes the
//! rating. The session's speakers (`models::speaking::is_speaker`) read the summary and
//! the comments here without names; organizers are pointed to their feedback page.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::refuse_unless_approved;
use crate::{
    auth::guard::SignedIn,
    db::{self, DbConnection},
    domain::{
        feedback::{self, Rating, Summary},
        schedule::long_time,
        tlp,
    },
    error::AppError,
    models::{
        agenda::release::ReleasedSession,
        feedback::{self as ratings, Rated},
        speaking,
    },
    render::{Layout, page_with_status, see_other},
    routes::{
        agenda::{Reader, SessionView, reader_with},
        form_errors::FormErrors,
    },
    state::AppState,
};

#[derive(Deserialize, Serialize, Default, Clone, Debug)]
pub struct RatingForm {
    #[serde(default)]
    rating: String,
    #[serde(default)]
    comment: String,
}

/// What the session's speakers read: the summary and the comments, without names.
#[derive(Serialize)]
struct SpeakerView {
    summary: Summary,
    /// (score, how many gave it), from 5 down.
    bars: Vec<(i32, usize)>,
    comments: Vec<String>,
}

#[derive(Serialize)]
struct FeedbackPage {
    title: String,
    layout: Layout,
    slug: String,
    meeting: String,
    session: SessionView,
    /// An approved attendee, who may rate.
    attendee: bool,
    /// Why the form is not offered yet (before the end, or cancelled).
    closed: Option<String>,
    form: RatingForm,
    errors: FormErrors,
    /// When the person's rating was last saved, on the meeting's clocks.
    saved: Option<String>,
    speaker: Option<SpeakerView>,
}

struct Found {
    session: ReleasedSession,
    own: Option<Rated>,
    speaker: Option<SpeakerView>,
}

/// The reads of the page for a reader: the released session, the person's own rating and,
/// for a speaker, every rating without names.
fn read(
    c: &mut DbConnection,
    r: &Reader,
    state: &AppState,
    user_id: i64,
    id: i64,
) -> diesel::QueryResult<Option<Found>> {
    let Some(latest) = r.outline.latest.clone() else { return Ok(None) };
    let sessions = state.releases.sessions(c, &latest)?;
    let Some(session) = sessions.iter().find(|s| s.session_id == id).cloned() else { return Ok(None) };
    let own = r.registration_id.map(|reg| ratings::own(c, id, reg)).transpose()?.flatten();
    let speaker = if speaking::is_speaker(c, user_id, id)? {
        let all = ratings::anonymous(c, id)?;
        let summary = Summary::of(&all.iter().map(|(r, _)| *r).collect::<Vec<_>>());
        let bars = (1..=5).rev().map(|n| (n, summary.distribution[(n - 1) as usize])).collect();
        let comments = all.into_iter().map(|(_, c)| c).filter(|c| !c.is_empty()).collect();
        Some(SpeakerView { summary, bars, comments })
    } else {
        None
    };
    Ok(Some(Found { session, own, speaker }))
}

async fn load(
    state: &web::Data<AppState>,
    layout: Layout,
    who: &SignedIn,
    slug: String,
    id: i64,
) -> Result<Result<(Reader, Found), HttpResponse>, AppError> {
    let (memo, user_id) = (state.clone(), who.0.user.id);
    let found =
        reader_with(state, layout, who, slug, "feedback", move |c, r| read(c, r, &memo, user_id, id)).await?;
    Ok(match found {
        Ok((r, Some(found))) => Ok((r, found)),
        Ok((_, None)) => return Err(AppError::NotFound),
        Err(refused) => Err(refused),
    })
}

fn render(
    state: &AppState,
    layout: Layout,
    (r, found): (Reader, Found),
    form: Option<RatingForm>,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let s = &found.session;
    let ends = long_time(s.ends_at, r.zone);
    let closed = feedback::may_rate(s.ends_at, s.is_cancelled(), state.clock.now_naive(), &ends)
        .and_then(|()| feedback::not_a_speaker(found.speaker.is_some()))
        .err()
        .map(|e| e.to_string());
    let form = form.unwrap_or_else(|| {
        found
            .own
            .as_ref()
            .map(|o| RatingForm { rating: o.rating.to_string(), comment: o.comment.clone() })
            .unwrap_or_default()
    });
    let data = FeedbackPage {
        // T1: the browser keeps page titles; the heading shows the title.
        title: format!("Feedback: {}", tlp::title_outside(s.tlp, &s.title)),
        layout,
        slug: r.meeting().slug.clone(),
        meeting: r.meeting().title.clone(),
        session: SessionView::new(&r.meeting().slug, s, r.zone),
        attendee: r.registration_id.is_some(),
        closed,
        form,
        errors,
        saved: found.own.as_ref().map(|o| long_time(o.updated_at, r.zone)),
        speaker: found.speaker,
    };
    page_with_status(data.errors.status(), &state.tera, "pages/feedback/session.html", &data)
}

pub async fn form(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    match load(&state, layout.clone(), &who, slug, id).await? {
        Ok(found) => render(&state, layout, found, None, FormErrors::default()),
        Err(refused) => Ok(refused),
    }
}

pub async fn submit(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<(String, i64)>,
    form: web::Form<RatingForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    if let Some(refused) = refuse_unless_approved(&state, layout.clone(), &who, slug.clone()).await? {
        return Ok(refused);
    }
    let (r, found) = match load(&state, layout.clone(), &who, slug, id).await? {
        Ok(found) => found,
        Err(refused) => return Ok(refused),
    };
    let form = form.into_inner();
    let mut errors = FormErrors::default();
    let s = &found.session;
    let now = state.clock.now_naive();
    let ends = long_time(s.ends_at, r.zone);
    let allowed = feedback::may_rate(s.ends_at, s.is_cancelled(), now, &ends)
        .and_then(|()| feedback::not_a_speaker(found.speaker.is_some()));
    if let Err(e) = allowed {
        errors.form(e.to_string());
        return render(&state, layout, (r, found), Some(form), errors);
    }
    let rating = Rating::parse(&form.rating).map_err(|e| errors.field("rating", e.to_string())).ok();
    let comment =
        feedback::parse_comment(&form.comment).map_err(|e| errors.field("comment", e.to_string())).ok();
    let (Some(rating), Some(comment), Some(registration)) = (rating, comment, r.registration_id) else {
        return render(&state, layout, (r, found), Some(form), errors);
    };
    state
        .db
        .query(move |c| {
            db::transaction(c, |c| ratings::save(c, id, registration, rating.get(), &comment, now))
        })
        .await?;
    Ok(see_other(&format!("/meetings/{}/sessions/{id}/feedback?done=feedback-saved", r.meeting().slug)))
}
