//! `GET /api/v1/meetings`: every meeting's public fields, as the public pages show them;
//! no token needed.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::{error::ApiError, input::Query};
use crate::{models::meeting::Meeting, state::AppState};

/// A meeting's public fields.
#[derive(Serialize, ToSchema)]
pub struct MeetingOut {
    /// Names the meeting in every other path.
    #[schema(example = "natcsirt-2026")]
    slug: String,
    title: String,
    year: i32,
    city: String,
    venue: String,
    /// The IANA time zone of its days.
    time_zone: String,
    first_day: NaiveDate,
    last_day: NaiveDate,
    #[schema(example = "open")]
    status: &'static str,
    description: String,
    /// Where to write with questions; null when none is given.
    contact_email: Option<String>,
    registration_opens: DateTime<Utc>,
    registration_closes: DateTime<Utc>,
    /// The FIRST conference it sits beside.
    conference: ConferenceOut,
}

#[derive(Serialize, ToSchema)]
pub struct ConferenceOut {
    name: String,
    city: String,
    first_day: NaiveDate,
    last_day: NaiveDate,
}

impl MeetingOut {
    pub fn of(m: Meeting) -> MeetingOut {
        MeetingOut {
            slug: m.slug,
            title: m.title,
            year: m.year,
            city: m.city,
            venue: m.venue,
            time_zone: m.time_zone,
            first_day: m.first_day,
            last_day: m.last_day,
            status: m.status.as_str(),
            description: m.description,
            contact_email: Some(m.contact_email).filter(|c| !c.is_empty()),
            registration_opens: m.registration_opens.and_utc(),
            registration_closes: m.registration_closes.and_utc(),
            conference: ConferenceOut {
                name: m.conference_name,
                city: m.conference_city,
                first_day: m.conference_first_day,
                last_day: m.conference_last_day,
            },
        }
    }
}

/// A page of meetings.
#[derive(Serialize, ToSchema)]
pub struct MeetingPage {
    items: Vec<MeetingOut>,
    /// The `cursor` of the next page; null on the last.
    next_cursor: Option<String>,
}

/// Every meeting, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/meetings",
    tag = "public",
    params(super::input::PageParams),
    responses(
        (status = 200, description = "A page of meetings", body = MeetingPage),
        (status = 400, description = "A parameter is refused", body = crate::render::problem::Problem, content_type = "application/problem+json"),
    ),
    security(()),
)]
pub async fn list(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let page = Query::of(&req, &["cursor", "limit"])?.page()?;
    let rows = state.db.query(move |c| crate::models::meeting::page(c, page.after, page.fetch())).await?;
    let (rows, next_cursor) = page.split(rows, |m| m.id);
    let items = rows.into_iter().map(MeetingOut::of).collect();
    Ok(HttpResponse::Ok().json(MeetingPage { items, next_cursor }))
}
