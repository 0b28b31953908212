//! GET `/admin/meetings/{slug}/registrations/{id}`: one registration as organizers review
//! it: the person, team, status, role, needs and the answers to the meeting's questions
//! (retired questions' answers too, sensitive ones marked).

use actix_web::{HttpResponse, web};
use serde::Serialize;

use crate::{
    auth::guard::Organizer,
    error::AppError,
    models::{answer, meeting, question, registration},
    render::{Layout, page},
    routes::public::answers::{self, Given},
    state::AppState,
};

#[derive(Serialize)]
struct ReviewPage {
    title: String,
    layout: Layout,
    meeting: String,
    slug: String,
    name: String,
    email: String,
    team: String,
    country: String,
    status: &'static str,
    reason: Option<String>,
    role_title: String,
    dietary: String,
    accessibility: String,
    listed: bool,
    registered: String,
    answers: Vec<Given>,
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let (m, row, questions, stored) = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &slug)?;
            let rows = registration::for_meeting(c, m.id, None)?;
            let row =
                rows.into_iter().find(|r| r.registration.id == id).ok_or(diesel::result::Error::NotFound)?;
            let questions = question::for_meeting(c, m.id)?;
            Ok((m, row, questions, answer::for_registration(c, id)?))
        })
        .await?;
    let r = row.registration;
    let data = ReviewPage {
        // The name stays out of the title: browsers keep titles in their history.
        title: format!("Registration {} · {}", r.id, m.title),
        layout,
        meeting: m.title,
        slug: m.slug,
        name: row.name,
        email: row.email,
        team: row.team_name,
        country: row.team_country,
        status: r.status.label(),
        reason: r.reason,
        role_title: r.role_title,
        dietary: r.dietary,
        accessibility: r.accessibility,
        listed: r.consent_listed,
        registered: r.created_at.format("%a %-d %b %Y").to_string(),
        answers: answers::given(&questions, &stored),
    };
    page(&state.tera, "pages/admin/registration.html", &data)
}
