//! GET `/meetings/{slug}/agenda`: the latest release by day, as a grid of rooms × time and
//! as a list (the stylesheet picks one by width; print shows every day's list, one day per
//! page), filtered by track or to the attendee's picks, with marks on what changed since the
//! release the attendee last saw. Plain links do the filtering: no script needed.

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Instant, SessionView, reader};
use crate::{
    auth::guard::SignedIn,
    db,
    domain::schedule::{self, Slot, day_heading, iso_utc, local_day, short_time},
    error::AppError,
    models::agenda::{
        pick,
        release::{self, Release},
        room, track,
    },
    render::{Layout, page},
    startup::AppState,
};

#[derive(Deserialize)]
pub struct AgendaQuery {
    day: Option<String>,
    track: Option<String>,
    mine: Option<String>,
}

#[derive(Serialize)]
struct AgendaPage {
    title: String,
    layout: Layout,
    slug: String,
    zone: String,
    release: Option<Release>,
    published: Option<String>,
    day_heading: String,
    /// What a day without sessions to show says.
    nothing: &'static str,
    days: Vec<DayView>,
    tracks: Vec<FilterLink>,
    views: Vec<FilterLink>,
    grid: GridView,
    can_pick: bool,
    mine: bool,
    back: String,
}

#[derive(Serialize)]
struct DayView {
    date: String,
    heading: String,
    href: String,
    current: bool,
    sessions: Vec<SessionView>,
}

#[derive(Serialize)]
struct FilterLink {
    label: String,
    href: String,
    current: bool,
}

#[derive(Serialize, Default)]
struct GridView {
    columns: Vec<String>,
    rows: Vec<GridRow>,
}

#[derive(Serialize)]
struct GridRow {
    time: Instant,
    cells: Vec<GridCell>,
}

#[derive(Serialize)]
struct GridCell {
    rowspan: usize,
    sessions: Vec<SessionView>,
}

/// The address of the agenda with these filters.
fn href(slug: &str, day: NaiveDate, track: Option<&str>, mine: bool) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    q.append_pair("day", &day.to_string());
    if let Some(t) = track {
        q.append_pair("track", t);
    }
    if mine {
        q.append_pair("mine", "1");
    }
    format!("/meetings/{slug}/agenda?{}", q.finish())
}

/// Per session, the change words of every release newer than the one last seen. A first
/// look has nothing to compare with, so it marks nothing.
fn marks(releases: &[Release], seen: Option<i32>) -> HashMap<i64, Vec<&'static str>> {
    let mut out: HashMap<i64, Vec<&'static str>> = HashMap::new();
    let Some(seen) = seen else { return out };
    for r in releases.iter().rev().filter(|r| r.number > seen) {
        for entry in r.change_list() {
            let words = out.entry(entry.session_id).or_default();
            for c in entry.changes {
                if !words.contains(&c.label()) {
                    words.push(c.label());
                }
            }
        }
    }
    out
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<String>,
    query: web::Query<AgendaQuery>,
) -> Result<HttpResponse, AppError> {
    let slug = path.into_inner();
    let r = match reader(&state, layout.clone(), &who, slug.clone()).await? {
        Ok(r) => r,
        Err(refused) => return Ok(refused),
    };
    let (meeting_id, reg, zone) = (r.meeting.id, r.registration_id, r.zone);
    let (latest, sessions, tracks, rooms, picks, seen, releases) = state
        .db
        .query(move |c| {
            let (latest, sessions) = release::latest_sessions(c, meeting_id)?;
            let tracks = track::for_meeting(c, meeting_id)?;
            let rooms: Vec<String> = room::for_meeting(c, meeting_id)?.into_iter().map(|r| r.name).collect();
            let picks = reg.map(|id| pick::for_registration(c, id)).transpose()?.unwrap_or_default();
            let seen = reg.map(|id| pick::last_seen(c, id)).transpose()?.flatten();
            let releases = if seen.is_some() { release::list(c, meeting_id)? } else { Vec::new() };
            Ok((latest, sessions, tracks, rooms, picks, seen, releases))
        })
        .await?;
    let q = query.into_inner();
    let mine = reg.is_some() && q.mine.as_deref() == Some("1");
    // A track by id (the links) or by name (a typed address).
    let track_param = q.track.filter(|t| !t.trim().is_empty());
    let chosen = track_param.as_deref().map(|raw| {
        let by_id = raw.parse::<i64>().ok().and_then(|id| tracks.iter().find(|t| t.id == id));
        by_id.map_or_else(
            || (raw.trim().to_owned(), raw.trim().to_owned()),
            |t| (t.name.clone(), t.id.to_string()),
        )
    });
    let starts: Vec<NaiveDate> = sessions.iter().map(|s| local_day(s.starts_at, zone)).collect();
    let all_days = schedule::days(r.meeting.first_day, r.meeting.last_day, &starts);
    let requested = q.day.and_then(|d| d.parse::<NaiveDate>().ok()).filter(|d| all_days.contains(d));
    let current = requested.or_else(|| all_days.first().copied()).unwrap_or(r.meeting.first_day);
    let track_key = chosen.as_ref().map(|(_, key)| key.as_str());

    let marks = marks(&releases, seen);
    let shown: Vec<_> = sessions
        .iter()
        .filter(|s| chosen.as_ref().is_none_or(|(name, _)| s.track.as_deref() == Some(name.as_str())))
        .filter(|s| !mine || picks.contains(&s.session_id))
        .map(|s| {
            let mut v = SessionView::new(&slug, s, zone);
            v.picked = picks.contains(&s.session_id);
            v.changed = marks.get(&s.session_id).cloned().unwrap_or_default();
            (local_day(s.starts_at, zone), s, v)
        })
        .collect();
    let days = all_days
        .iter()
        .map(|&d| DayView {
            date: d.to_string(),
            heading: day_heading(d),
            href: href(&slug, d, track_key, mine),
            current: d == current,
            sessions: shown.iter().filter(|(day, ..)| *day == d).map(|(_, _, v)| v.clone()).collect(),
        })
        .collect();

    let today: Vec<_> = shown.iter().filter(|(day, ..)| *day == current).collect();
    let slots: Vec<Slot<'_>> = today
        .iter()
        .map(|(_, s, _)| Slot { room: s.room.as_deref(), starts_at: s.starts_at, ends_at: s.ends_at })
        .collect();
    let laid = schedule::grid(&rooms, &slots);
    let grid = GridView {
        columns: laid.columns.iter().map(|c| c.clone().unwrap_or_else(|| "Other".to_owned())).collect(),
        rows: laid
            .rows
            .iter()
            .map(|row| GridRow {
                time: Instant { utc: iso_utc(row.starts_at), text: short_time(row.starts_at, zone) },
                cells: row
                    .cells
                    .iter()
                    .map(|c| GridCell {
                        rowspan: c.rowspan,
                        sessions: c.sessions.iter().map(|&i| today[i].2.clone()).collect(),
                    })
                    .collect(),
            })
            .collect(),
    };

    let mut names: Vec<(String, String)> =
        tracks.iter().map(|t| (t.name.clone(), t.id.to_string())).collect();
    for s in &sessions {
        if let Some(t) = &s.track
            && !names.iter().any(|(n, _)| n == t)
        {
            names.push((t.clone(), t.clone()));
        }
    }
    let mut track_links = vec![FilterLink {
        label: "All tracks".into(),
        href: href(&slug, current, None, mine),
        current: chosen.is_none(),
    }];
    track_links.extend(names.into_iter().map(|(name, key)| FilterLink {
        current: chosen.as_ref().is_some_and(|(n, _)| *n == name),
        href: href(&slug, current, Some(&key), mine),
        label: name,
    }));
    let views = if reg.is_some() {
        vec![
            FilterLink {
                label: "All sessions".into(),
                href: href(&slug, current, track_key, false),
                current: !mine,
            },
            FilterLink {
                label: "My agenda".into(),
                href: href(&slug, current, track_key, true),
                current: mine,
            },
        ]
    } else {
        Vec::new()
    };

    let published = latest.as_ref().map(|l| schedule::long_time(l.published_at, zone));
    let latest_number = latest.as_ref().map(|l| l.number);
    let data = AgendaPage {
        title: format!("{}: agenda", r.meeting.title),
        layout,
        back: href(&slug, current, track_key, mine),
        slug,
        zone: r.meeting.time_zone.clone(),
        release: latest,
        published,
        day_heading: day_heading(current),
        nothing: if mine { "You have not picked a session on this day." } else { "No sessions on this day." },
        days,
        tracks: track_links,
        views,
        grid,
        can_pick: reg.is_some(),
        mine,
    };
    let response = page(&state.tera, "pages/agenda/agenda.html", &data)?;
    if let (Some(id), Some(number)) = (reg, latest_number)
        && seen != Some(number)
    {
        state.db.query(move |c| db::transaction(c, |c| pick::set_seen(c, id, number))).await?;
    }
    Ok(response)
}
