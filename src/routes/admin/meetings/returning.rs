//! `/admin/meetings/{slug}/returning`: the approved attendees of the meeting held last
//! before this one, proposed for invitation, grouped by team, each ticked by default (not
//! people of suspended teams, nor those already registered or invited). The ticked ones
//! are invited through the invitations page's own sending, one batch per team.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use crate::{
    auth::guard::Organizer,
    domain::email::Email,
    error::AppError,
    models::{
        carry::{self, Returning},
        meeting::{self, Meeting},
        team,
    },
    render::{Layout, page_with_status, see_other},
    routes::{admin::invitations, form_errors::FormErrors},
    state::AppState,
};

#[derive(Serialize)]
struct Person {
    id: i64,
    name: String,
    email: String,
    ticked: bool,
}

#[derive(Serialize)]
struct TeamGroup {
    name: String,
    country: String,
    people: Vec<Person>,
}

#[derive(Serialize)]
struct ReturningPage {
    title: String,
    layout: Layout,
    meeting: Meeting,
    /// The meeting held last before this one; `None` when there was none.
    previous: Option<Meeting>,
    teams: Vec<TeamGroup>,
    errors: FormErrors,
}

/// The meeting `slug`, the one before it and its people proposed for invitation.
async fn proposal(
    state: &AppState,
    slug: String,
) -> Result<(Meeting, Option<Meeting>, Vec<Returning>), AppError> {
    Ok(state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &slug)?;
            let previous = carry::previous(c, &m)?;
            let people = match &previous {
                Some(p) => carry::returning(c, p.id, m.id)?,
                None => Vec::new(),
            };
            Ok((m, previous, people))
        })
        .await?)
}

/// The page, with the people of `ticked` ticked (everyone when `None`).
async fn render(
    state: &AppState,
    layout: Layout,
    slug: String,
    ticked: Option<Vec<i64>>,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let (m, previous, people) = proposal(state, slug).await?;
    let mut teams: Vec<TeamGroup> = Vec::new();
    for p in people {
        let person = Person {
            id: p.user_id,
            ticked: ticked.as_ref().is_none_or(|t| t.contains(&p.user_id)),
            name: p.name,
            email: p.email,
        };
        match teams.last_mut() {
            Some(t) if t.name == p.team_name => t.people.push(person),
            _ => teams.push(TeamGroup { name: p.team_name, country: p.team_country, people: vec![person] }),
        }
    }
    let status = errors.status();
    let data = ReturningPage {
        title: format!("Invite last year's attendees · {}", m.title),
        layout,
        meeting: m,
        previous,
        teams,
        errors,
    };
    page_with_status(status, &state.tera, "pages/admin/returning.html", &data)
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    render(&state, layout, path.into_inner(), None, FormErrors::default()).await
}

/// The form: one `people` per ticked person (a user id). Read as pairs because a repeated
/// key does not fit a struct. Only people the page proposes now are invited.
pub async fn invite(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let slug = path.into_inner();
    let ticked: Vec<i64> =
        form.iter().filter(|(k, _)| k == "people").filter_map(|(_, v)| v.parse().ok()).collect();
    let (m, _, people) = proposal(&state, slug.clone()).await?;
    let chosen: Vec<Returning> = people.into_iter().filter(|p| ticked.contains(&p.user_id)).collect();
    if chosen.is_empty() {
        let mut errors = FormErrors::default();
        errors.form("Tick at least one person to invite.");
        return render(&state, layout, slug, Some(ticked), errors).await;
    }
    let mut team_ids: Vec<i64> = chosen.iter().map(|p| p.team_id).collect();
    team_ids.dedup();
    for team_id in team_ids {
        let t = state.db.query(move |c| team::find(c, team_id)).await?;
        let addresses: Vec<Email> = chosen
            .iter()
            .filter(|p| p.team_id == team_id)
            .filter_map(|p| Email::parse(&p.email).ok())
            .collect();
        // These people were approved for the team last year: their addresses were vetted
        // then, so none is held back as outside the team's domains (the review still flags it).
        invitations::send(&state, &m, &t, addresses, &[], "", (who.0.user.id, None)).await?;
    }
    Ok(see_other(&format!("/admin/meetings/{slug}/invitations?done=invitations-sent")))
}
