//! GET `/admin/meetings/{slug}/agenda.csv` and `/agenda.json`: the published agenda as
//! files for printers, signage and other tools. A file leaves the meeting's control, so
//! each session carries only what T1 lets out (`tlp::outside`): TLP:RED is its placeholder
//! with time, room and track; TLP:AMBER its title; speakers travel only with the abstract.

use actix_web::{HttpResponse, web};
use anyhow::Context as _;
use chrono::{NaiveDateTime, TimeZone as _};
use chrono_tz::Tz;
use serde::Serialize;

use super::meeting_and_zone;
use crate::{
    auth::guard::Organizer,
    domain::{spreadsheet::neutralise, tlp},
    error::AppError,
    models::agenda::release::{self, ReleasedSession},
    render::attachment,
    state::AppState,
};

/// One session as it may leave the app.
#[derive(Serialize)]
struct Row {
    /// Local times with their UTC offset (RFC 3339), in the meeting's zone.
    starts: String,
    ends: String,
    title: String,
    kind: Option<&'static str>,
    track: Option<String>,
    room: Option<String>,
    tlp: String,
    status: &'static str,
    speakers: Vec<String>,
    #[serde(rename = "abstract")]
    abstract_text: Option<String>,
}

#[derive(Serialize)]
struct Agenda {
    meeting: String,
    time_zone: String,
    /// The published release the file holds; none before the first publication.
    release: Option<i32>,
    sessions: Vec<Row>,
}

fn local(utc: NaiveDateTime, zone: Tz) -> String {
    zone.from_utc_datetime(&utc).to_rfc3339()
}

fn row(s: &ReleasedSession, zone: Tz) -> Row {
    let out = tlp::outside(s.tlp, &s.title, &s.abstract_text);
    Row {
        starts: local(s.starts_at, zone),
        ends: local(s.ends_at, zone),
        title: out.title.to_owned(),
        kind: out.kind.then(|| s.kind.as_str()),
        track: s.track.clone(),
        room: s.room.clone(),
        tlp: s.tlp.to_string(),
        status: s.status.as_str(),
        speakers: if out.abstract_text.is_some() { s.speaker_list() } else { Vec::new() },
        abstract_text: out.abstract_text.map(str::to_owned),
    }
}

async fn published(state: &AppState, slug: String) -> Result<(String, Agenda), AppError> {
    let (m, zone) = meeting_and_zone(state, slug).await?;
    let id = m.id;
    let (latest, sessions) = state.db.query(move |c| release::latest_sessions(c, id)).await?;
    let agenda = Agenda {
        meeting: m.title,
        time_zone: m.time_zone,
        release: latest.map(|r| r.number),
        sessions: sessions.iter().map(|s| row(s, zone)).collect(),
    };
    Ok((m.slug, agenda))
}

pub async fn json(
    state: web::Data<AppState>,
    _who: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (slug, agenda) = published(&state, path.into_inner()).await?;
    let body = serde_json::to_vec_pretty(&agenda).context("writing the agenda JSON")?;
    Ok(attachment("application/json", &format!("{slug}-agenda.json"), body))
}

pub async fn csv(
    state: web::Data<AppState>,
    _who: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (slug, agenda) = published(&state, path.into_inner()).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "starts", "ends", "title", "kind", "track", "room", "tlp", "status", "speakers", "abstract",
    ])
    .context("writing the CSV header")?;
    for r in agenda.sessions {
        let cells = [
            r.starts,
            r.ends,
            r.title,
            r.kind.unwrap_or_default().to_owned(),
            r.track.unwrap_or_default(),
            r.room.unwrap_or_default(),
            r.tlp,
            r.status.to_owned(),
            r.speakers.join("; "),
            r.abstract_text.unwrap_or_default(),
        ];
        out.write_record(cells.map(|c| neutralise(&c))).context("writing a CSV row")?;
    }
    let body = out.into_inner().context("finishing the CSV")?;
    Ok(attachment("text/csv; charset=utf-8", &format!("{slug}-agenda.csv"), body))
}
