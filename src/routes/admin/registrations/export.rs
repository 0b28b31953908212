//! GET `/admin/meetings/{slug}/registrations.csv`: the approved attendees for badges and
//! catering (name, team, country, role, dietary, accessibility, then one column per
//! registration question, retired ones too), as a download. Every cell is neutralised
//! against formula injection: attendees typed most of it. A file that would hold answers
//! to sensitive questions is not sent until the organizer, told which, asks again with
//! `sensitive=yes`.

use actix_web::{HttpResponse, http::header, web};
use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use crate::{
    auth::guard::Organizer,
    domain::{questions, registration::Status, spreadsheet::neutralise},
    error::AppError,
    models::{answer, meeting, question, registration},
    render::{Layout, page},
    state::AppState,
};

#[derive(Deserialize)]
pub struct Download {
    #[serde(default)]
    sensitive: Option<String>,
}

#[derive(Serialize)]
struct SensitivePage {
    title: String,
    layout: Layout,
    slug: String,
    prompts: Vec<String>,
}

pub async fn csv(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
    path: web::Path<String>,
    query: web::Query<Download>,
) -> Result<HttpResponse, AppError> {
    let slug = path.into_inner();
    let (m, mut rows, asked, stored) = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &slug)?;
            let rows = registration::for_meeting(c, m.id, Some(Status::Approved))?;
            let (asked, stored) = (question::for_meeting(c, m.id)?, answer::for_meeting(c, m.id)?);
            Ok((m, rows, asked, stored))
        })
        .await?;
    let value = |registration: i64, question: i64| {
        stored.iter().find(|(r, q, _)| *r == registration && *q == question).map(|(_, _, v)| v.as_str())
    };
    let sensitive: Vec<String> = asked
        .iter()
        .filter(|q| q.sensitive && rows.iter().any(|r| value(r.registration.id, q.id).is_some()))
        .map(|q| q.prompt.clone())
        .collect();
    if !sensitive.is_empty() && query.sensitive.as_deref() != Some("yes") {
        let title = format!("This export holds sensitive answers · {}", m.title);
        return page(
            &state.tera,
            "pages/admin/export_sensitive.html",
            &SensitivePage { title, layout, slug: m.slug, prompts: sensitive },
        );
    }
    rows.sort_by(|a, b| (&a.team_name, &a.name).cmp(&(&b.team_name, &b.name)));
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> =
        ["name", "team", "country", "role", "dietary", "accessibility"].map(str::to_owned).into();
    header.extend(
        asked
            .iter()
            .map(|q| if q.is_retired() { format!("{} (retired)", q.prompt) } else { q.prompt.clone() }),
    );
    out.write_record(header.iter().map(|c| neutralise(c))).context("writing the CSV header")?;
    for r in &rows {
        let reg = &r.registration;
        let mut cells: Vec<String> =
            [&r.name, &r.team_name, &r.team_country, &reg.role_title, &reg.dietary, &reg.accessibility]
                .map(|c| c.to_owned())
                .into();
        cells.extend(
            asked
                .iter()
                .map(|q| value(reg.id, q.id).map(|v| questions::display(q.kind, v)).unwrap_or_default()),
        );
        out.write_record(cells.iter().map(|c| neutralise(c))).context("writing a CSV row")?;
    }
    let body = out.into_inner().context("finishing the CSV")?;
    let disposition = format!("attachment; filename=\"{}-approved-attendees.csv\"", m.slug);
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, disposition))
        .insert_header(header::CacheControl(vec![header::CacheDirective::NoStore]))
        .body(body))
}
