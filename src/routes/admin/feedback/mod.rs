//! `/admin/meetings/{slug}/feedback`: what attendees said about the meeting, for the
//! organizers: every session of the latest release with its ratings (count, mean, how many
//! comments), each linking to its page with names (`session`), and the survey's results
//! (choices counted, written answers with their person). Titles and comments of every
//! label show here: the console is where T1 lets them be.

mod session;

use actix_web::{HttpResponse, web};
use serde::Serialize;

pub use session::show as session;

use crate::{
    auth::guard::Organizer,
    domain::{
        feedback::{QuestionPurpose, Summary},
        local_time::parse_zone,
        questions::{self, QuestionKind, YES},
        schedule::Span,
        tlp::Tlp,
    },
    error::AppError,
    models::{agenda::release, feedback, meeting, question},
    render::{Layout, page},
    state::AppState,
};

#[derive(Serialize)]
struct SessionRow {
    id: i64,
    title: String,
    tlp: Tlp,
    tlp_class: &'static str,
    when: String,
    cancelled: bool,
    summary: Summary,
    comments: usize,
}

#[derive(Serialize)]
struct QuestionResult {
    prompt: String,
    retired: bool,
    /// How many people answered.
    count: usize,
    /// For a list or yes/no question: each choice with how many chose it.
    tallies: Vec<(String, usize)>,
    /// For a text or date question: (name, team, answer).
    written: Vec<(String, String, String)>,
}

#[derive(Serialize)]
struct FeedbackPage {
    title: String,
    layout: Layout,
    slug: String,
    meeting: String,
    sessions: Vec<SessionRow>,
    survey: Vec<QuestionResult>,
}

pub async fn overview(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let slug = path.into_inner();
    let (m, released, rated, asked, answers) = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &slug)?;
            let (_, released) = release::latest_sessions(c, m.id)?;
            let rated = feedback::of_meeting(c, m.id)?;
            let asked = question::of_purpose(c, m.id, QuestionPurpose::Survey)?;
            let answers = feedback::survey_answers(c, m.id)?;
            Ok((m, released, rated, asked, answers))
        })
        .await?;
    let zone = parse_zone(&m.time_zone).map_err(|e| AppError::Unexpected(e.into()))?;
    let sessions = released
        .into_iter()
        .map(|s| {
            let mine: Vec<&(i64, i32, bool)> = rated.iter().filter(|r| r.0 == s.session_id).collect();
            let span = Span::new(s.starts_at, s.ends_at, zone, true);
            SessionRow {
                id: s.session_id,
                when: format!("{} – {}", span.start, span.end),
                cancelled: s.is_cancelled(),
                summary: Summary::of(&mine.iter().map(|r| r.1).collect::<Vec<_>>()),
                comments: mine.iter().filter(|r| r.2).count(),
                tlp_class: s.tlp.css_class(),
                tlp: s.tlp,
                title: s.title,
            }
        })
        .collect();
    let survey = asked
        .iter()
        .map(|q| {
            let given: Vec<&(i64, String, String, String)> = answers.iter().filter(|a| a.0 == q.id).collect();
            let chosen = |choice: &str| given.iter().filter(|a| a.3.lines().any(|l| l == choice)).count();
            let (tallies, written) = match q.kind {
                QuestionKind::YesNo => (
                    vec![("Yes".to_owned(), chosen(YES)), ("No".to_owned(), given.len() - chosen(YES))],
                    Vec::new(),
                ),
                k if k.has_choices() => {
                    (q.choices().as_slice().iter().map(|c| (c.clone(), chosen(c))).collect(), Vec::new())
                }
                k => (
                    Vec::new(),
                    given.iter().map(|a| (a.1.clone(), a.2.clone(), questions::display(k, &a.3))).collect(),
                ),
            };
            QuestionResult {
                prompt: q.prompt.clone(),
                retired: q.is_retired(),
                count: given.len(),
                tallies,
                written,
            }
        })
        .collect();
    page(
        &state.tera,
        "pages/admin/feedback.html",
        &FeedbackPage {
            title: format!("Feedback · {}", m.title),
            layout,
            slug: m.slug,
            meeting: m.title,
            sessions,
            survey,
        },
    )
}
