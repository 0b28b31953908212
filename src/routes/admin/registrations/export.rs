//! GET `/admin/meetings/{slug}/registrations.csv`: every registration of the meeting, in
//! every status (or one, with `?status=` as the queue spells it), as a download: who (name,
//! email, team, country), the stored status, role, when they registered, the vetting
//! evidence (how they came, whether the address is at a confirmed domain of the team),
//! dietary and accessibility needs, then one column per registration question, retired
//! ones too. Every cell is neutralised against formula injection: attendees typed most of
//! it. A file that would hold answers to sensitive questions is not sent until the
//! organizer, told which, asks again with `sensitive=yes`.

use actix_web::{HttpResponse, web};
use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use crate::{
    auth::guard::Organizer,
    domain::{questions, registration::Status, spreadsheet::neutralise},
    error::AppError,
    models::{answer, evidence, meeting, question, registration},
    render::{Layout, attachment, page},
    state::AppState,
};

/// The columns before the answers, one per question.
const COLUMNS: [&str; 11] = [
    "name",
    "email",
    "team",
    "country",
    "status",
    "role",
    "registered at (UTC)",
    "how they came",
    "email domain",
    "dietary",
    "accessibility",
];

#[derive(Deserialize)]
pub struct Download {
    #[serde(default)]
    sensitive: Option<String>,
    /// A stored status word; anything else (or nothing) means every status.
    #[serde(default)]
    status: Option<String>,
}

#[derive(Serialize)]
struct SensitivePage {
    title: String,
    layout: Layout,
    slug: String,
    /// The status filter to carry into the download link; empty for every status.
    status: String,
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
    let status = query.status.as_deref().and_then(|s| s.parse::<Status>().ok());
    let (m, mut rows, proof, asked, stored) = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &slug)?;
            let rows = registration::for_meeting(c, m.id, status)?;
            let proof = evidence::load(c, &m, &rows)?;
            let (asked, stored) = (question::for_meeting(c, m.id)?, answer::for_meeting(c, m.id)?);
            Ok((m, rows, proof, asked, stored))
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
    let status_word = status.map(Status::as_str).unwrap_or_default().to_owned();
    if !sensitive.is_empty() && query.sensitive.as_deref() != Some("yes") {
        let title = format!("This export holds sensitive answers · {}", m.title);
        return page(
            &state.tera,
            "pages/admin/export_sensitive.html",
            &SensitivePage { title, layout, slug: m.slug, status: status_word, prompts: sensitive },
        );
    }
    rows.sort_by(|a, b| {
        (&a.team_name, &a.name, a.registration.id).cmp(&(&b.team_name, &b.name, b.registration.id))
    });
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = COLUMNS.map(str::to_owned).into();
    header.extend(
        asked
            .iter()
            .map(|q| if q.is_retired() { format!("{} (retired)", q.prompt) } else { q.prompt.clone() }),
    );
    out.write_record(header.iter().map(|c| neutralise(c))).context("writing the CSV header")?;
    for r in &rows {
        let (reg, proof) = (&r.registration, proof.evidence(r));
        let mut cells: Vec<String> = vec![
            r.name.clone(),
            r.email.clone(),
            r.team_name.clone(),
            r.team_country.clone(),
            reg.status.as_str().to_owned(),
            reg.role_title.clone(),
            reg.created_at.format("%Y-%m-%d %H:%M").to_string(),
            proof.origin_summary,
            proof.fit_label.to_owned(),
            reg.dietary.clone(),
            reg.accessibility.clone(),
        ];
        cells.extend(
            asked
                .iter()
                .map(|q| value(reg.id, q.id).map(|v| questions::display(q.kind, v)).unwrap_or_default()),
        );
        out.write_record(cells.iter().map(|c| neutralise(c))).context("writing a CSV row")?;
    }
    let body = out.into_inner().context("finishing the CSV")?;
    let which = if status_word.is_empty() { String::new() } else { format!("-{status_word}") };
    let filename = format!("{}-registrations{which}.csv", m.slug);
    Ok(attachment("text/csv; charset=utf-8", &filename, body))
}
