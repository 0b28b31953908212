//! `/admin/meetings/{slug}/feedback/sessions/{id}`: one session's ratings for the
//! organizers, with who gave each, their team, the comment and when; a session the latest
//! release does not hold is not found.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use crate::{
    auth::guard::Organizer,
    domain::{
        feedback::Summary,
        local_time::parse_zone,
        schedule::{Span, long_time},
        tlp::{self, Tlp},
    },
    error::AppError,
    models::{agenda::release, feedback, meeting},
    render::{Layout, page},
    state::AppState,
};

#[derive(Serialize)]
struct Row {
    name: String,
    team: String,
    rating: i32,
    comment: String,
    when: String,
}

#[derive(Serialize)]
struct SessionFeedbackPage {
    title: String,
    layout: Layout,
    slug: String,
    meeting: String,
    session: String,
    tlp: Tlp,
    tlp_class: &'static str,
    when: String,
    summary: Summary,
    /// (score, how many gave it), from 5 down.
    bars: Vec<(i32, usize)>,
    rows: Vec<Row>,
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let (m, released, named) = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &slug)?;
            let (_, released) = release::latest_sessions(c, m.id)?;
            let named = feedback::named(c, id)?;
            Ok((m, released, named))
        })
        .await?;
    let s = released.into_iter().find(|s| s.session_id == id).ok_or(AppError::NotFound)?;
    let zone = parse_zone(&m.time_zone).map_err(|e| AppError::Unexpected(e.into()))?;
    let summary = Summary::of(&named.iter().map(|n| n.rating).collect::<Vec<_>>());
    let bars = (1..=5).rev().map(|n| (n, summary.distribution[(n - 1) as usize])).collect();
    let span = Span::new(s.starts_at, s.ends_at, zone, true);
    let data = SessionFeedbackPage {
        // T1: the browser keeps page titles; the heading shows the title.
        title: format!("Feedback: {}", tlp::title_outside(s.tlp, &s.title)),
        layout,
        slug: m.slug,
        meeting: m.title,
        when: format!("{} – {}", span.start, span.end),
        tlp_class: s.tlp.css_class(),
        tlp: s.tlp,
        session: s.title,
        summary,
        bars,
        rows: named
            .into_iter()
            .map(|n| Row {
                when: long_time(n.updated_at, zone),
                name: n.name,
                team: n.team,
                rating: n.rating,
                comment: n.comment,
            })
            .collect(),
    };
    page(&state.tera, "pages/admin/feedback_session.html", &data)
}
