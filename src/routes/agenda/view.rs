//! GET `/meetings/{slug}/agenda`: the latest release by day, as a grid of rooms × time and
//! as a list (the stylesheet picks one by width; print shows every day's list, one day per
//! page), filtered by track or to the attendee's picks, with marks on what changed since the
//! release the attendee last saw. Plain links do the filtering: no script needed.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{
    LabelView, SessionView,
    layout::{self, FilterLink, Filters, GridView},
    reader,
};
use crate::{
    auth::guard::SignedIn,
    db,
    domain::schedule::{self, day_heading, local_day},
    error::AppError,
    models::agenda::{
        pick,
        release::{self, Release},
        room, track,
    },
    render::{Layout, page},
    routes::table::is_head,
    state::AppState,
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
    /// The meeting's title, above the page's own short heading.
    meeting: String,
    slug: String,
    zone: String,
    release: Option<Release>,
    /// The highest label of every session the printout shows (all days, these filters).
    printout: Option<LabelView>,
    published: Option<String>,
    day_heading: String,
    /// What a day without sessions to show says.
    nothing: &'static str,
    days: Vec<DayView>,
    tracks: Vec<FilterLink>,
    views: Vec<FilterLink>,
    grid: GridView,
    can_pick: bool,
    back: String,
}

#[derive(Serialize)]
struct DayView {
    heading: String,
    /// The highest label of the day's sessions shown, beside its heading.
    label: Option<LabelView>,
    href: String,
    current: bool,
    sessions: Vec<SessionView>,
}

pub async fn show(
    req: HttpRequest,
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
    let starts: Vec<NaiveDate> = sessions.iter().map(|s| local_day(s.starts_at, zone)).collect();
    let all_days = schedule::days(r.meeting.first_day, r.meeting.last_day, &starts);
    let requested = q.day.and_then(|d| d.parse::<NaiveDate>().ok()).filter(|d| all_days.contains(d));
    let filters = Filters {
        slug: &slug,
        day: requested.or_else(|| all_days.first().copied()).unwrap_or(r.meeting.first_day),
        // A track by id (the links) or by name (a typed address).
        track: q.track.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(|raw| {
            let by_id = raw.parse::<i64>().ok().and_then(|id| tracks.iter().find(|t| t.id == id));
            by_id.map_or_else(|| (raw.to_owned(), raw.to_owned()), |t| (t.name.clone(), t.id.to_string()))
        }),
        mine: reg.is_some() && q.mine.as_deref() == Some("1"),
    };

    let marks = layout::marks(&releases, seen);
    let shown: Vec<_> = sessions
        .iter()
        .filter(|s| filters.track.as_ref().is_none_or(|(name, _)| s.track.as_ref() == Some(name)))
        .filter(|s| !filters.mine || picks.contains(&s.session_id))
        .map(|s| {
            let mut v = SessionView::new(&slug, s, zone);
            v.picked = picks.contains(&s.session_id);
            v.changed = marks.get(&s.session_id).cloned().unwrap_or_default();
            (local_day(s.starts_at, zone), s, v)
        })
        .collect();
    let days = all_days
        .iter()
        .map(|&d| {
            let sessions: Vec<SessionView> =
                shown.iter().filter(|(day, ..)| *day == d).map(|(.., v)| v.clone()).collect();
            DayView {
                heading: day_heading(d),
                label: LabelView::highest(&sessions),
                href: filters.href(d, filters.track_key(), filters.mine),
                current: d == filters.day,
                sessions,
            }
        })
        .collect();
    let today: Vec<_> =
        shown.iter().filter(|(day, ..)| *day == filters.day).map(|(_, s, v)| (*s, v)).collect();

    let latest_number = latest.as_ref().map(|l| l.number);
    let data = AgendaPage {
        title: format!("{}: agenda", r.meeting.title),
        layout,
        meeting: r.meeting.title.clone(),
        slug: slug.clone(),
        zone: r.meeting.time_zone.clone(),
        printout: LabelView::highest(shown.iter().map(|(.., v)| v)),
        published: latest.as_ref().map(|l| schedule::long_time(l.published_at, zone)),
        release: latest,
        day_heading: day_heading(filters.day),
        nothing: if filters.mine {
            "You have not picked a session on this day."
        } else {
            "No sessions on this day."
        },
        days,
        tracks: filters.track_links(&tracks, &sessions),
        views: if reg.is_some() { filters.view_links() } else { Vec::new() },
        grid: layout::grid(&rooms, &today, zone),
        can_pick: reg.is_some(),
        back: filters.here(),
    };
    let response = page(&state.tera, "pages/agenda/agenda.html", &data)?;
    // Seen once rendered: the marks of this look are gone on the next. A HEAD showed nothing.
    // Bookkeeping: if the database cannot take it now, the page is still shown (the marks
    // stay one look longer).
    if let (Some(id), Some(number)) = (reg, latest_number)
        && seen != Some(number)
        && !is_head(&req)
        && let Err(e) = state.db.query(move |c| db::transaction(c, |c| pick::set_seen(c, id, number))).await
    {
        tracing::warn!(error = %crate::error::chain(&e), "could not note the release seen; the page is shown");
    }
    Ok(response)
}
