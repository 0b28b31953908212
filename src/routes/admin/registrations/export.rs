//! GET `/admin/meetings/{slug}/registrations.csv`: the approved attendees for badges and
//! catering (name, team, country, role, dietary, accessibility), as a download. Every cell
//! is neutralised against formula injection: attendees typed most of it.

use actix_web::{HttpResponse, http::header, web};
use anyhow::Context as _;

use crate::{
    auth::guard::Organizer,
    domain::{registration::Status, spreadsheet::neutralise},
    error::AppError,
    models::{meeting, registration},
    state::AppState,
};

pub async fn csv(
    state: web::Data<AppState>,
    _who: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let slug = path.into_inner();
    let (m, mut rows) = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &slug)?;
            let rows = registration::for_meeting(c, m.id, Some(Status::Approved))?;
            Ok((m, rows))
        })
        .await?;
    rows.sort_by(|a, b| (&a.team_name, &a.name).cmp(&(&b.team_name, &b.name)));
    let mut out = csv::Writer::from_writer(Vec::new());
    let header = ["name", "team", "country", "role", "dietary", "accessibility"];
    out.write_record(header).context("writing the CSV header")?;
    for r in &rows {
        let reg = &r.registration;
        let cells =
            [&r.name, &r.team_name, &r.team_country, &reg.role_title, &reg.dietary, &reg.accessibility];
        out.write_record(cells.map(|c| neutralise(c))).context("writing a CSV row")?;
    }
    let body = out.into_inner().context("finishing the CSV")?;
    let disposition = format!("attachment; filename=\"{}-approved-attendees.csv\"", m.slug);
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, disposition))
        .insert_header(header::CacheControl(vec![header::CacheDirective::NoStore]))
        .body(body))
}
