//! GET `/meetings/{slug}/agenda`: the latest release by day, as a grid of rooms × time and
//! as a list (the stylesheet picks one by width; print shows every day's list, one day per
//! page), filtered by track or to the attendee's picks, with marks on what changed since the
//! release the attendee last saw. Plain links do the filtering: no script needed. The other
//! days' lists are only printed, where buttons are hidden, so they carry none: a fifth of
//! the page's bytes (365 KB to 304 KB for a day of the bench's seed).

use std::sync::Arc;

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::{
    LabelView, Reader, SessionView,
    layout::{self, FilterLink, Filters, GridView},
    reader_with,
};
use crate::{
    auth::guard::SignedIn,
    db::{self, DbConnection},
    domain::schedule::{self, day_heading, local_day},
    error::AppError,
    models::agenda::{
        pick,
        release::{self, Release, ReleasedSession},
        track::Track,
    },
    render::{
        Layout,
        page_cache::{PageKey, Picks},
    },
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
    /// An attendee, while the meeting's call for contributions is open: a link to it.
    call_open: bool,
}

#[derive(Serialize)]
struct DayView {
    heading: String,
    /// The highest label of the day's sessions shown, beside its heading.
    label: Option<LabelView>,
    href: String,
    /// `YYYY-MM-DD`: the day's `.ics` download.
    date: String,
    current: bool,
    sessions: Vec<SessionView>,
}

/// What the page reads on every request, in one trip to the database: everything its
/// cache key is made of, the person's picks and the release they saw last. The meeting's
/// release, tracks, rooms and call come from its outline (`models::agenda::outline`), the
/// sessions of the release from the memo (`models::agenda::release_memo`).
struct Loaded {
    latest: Option<Release>,
    sessions: Arc<Vec<ReleasedSession>>,
    tracks: Vec<Track>,
    rooms: Vec<String>,
    picks: Vec<i64>,
    seen: Option<i32>,
    /// Every release, when the attendee last saw one older than the latest (for the marks).
    releases: Vec<Release>,
    /// An attendee reads, and the meeting's call for contributions is open now.
    call_open: bool,
}

/// Everything the page is rendered from but the person's own parts (their token, name and
/// picks, filled in per request; see `render::stencil`).
#[derive(Serialize)]
struct Key<'a> {
    page: &'static str,
    meeting: (i64, &'a str, &'a str, &'a str, NaiveDate, NaiveDate),
    release: Option<(i64, i32, &'a str, NaiveDateTime)>,
    tracks: Vec<(i64, &'a str)>,
    rooms: &'a [String],
    query: (Option<&'a str>, Option<&'a str>, bool),
    frame: (Option<(bool, bool, bool)>, Option<&'static str>),
    /// Whether the reader is an attendee (picks, "My agenda") rather than an organizer.
    attendee: bool,
    /// The release the marks compare with, when there are marks.
    marks_since: Option<i32>,
    /// "My agenda" shows only the picks.
    only: Option<&'a [i64]>,
    /// The link to the call for contributions.
    call_open: bool,
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
    let memo = state.clone();
    let now = state.clock.now_naive();
    let read = move |c: &mut DbConnection, r: &Reader| {
        let (meeting_id, reg, outline) = (r.meeting().id, r.registration_id, &r.outline);
        let latest = outline.latest.clone();
        let sessions = match &latest {
            Some(l) => memo.releases.sessions(c, l)?,
            None => Arc::default(),
        };
        let (seen, picks) = reg.map(|id| pick::seen_and_picks(c, id)).transpose()?.unwrap_or_default();
        let behind = seen.is_some_and(|s| latest.as_ref().is_some_and(|l| l.number > s));
        Ok(Loaded {
            sessions,
            tracks: outline.tracks.clone(),
            rooms: outline.rooms.iter().map(|r| r.name.clone()).collect(),
            picks,
            seen,
            releases: if behind { release::list(c, meeting_id)? } else { Vec::new() },
            call_open: reg.is_some() && outline.call.as_ref().is_some_and(|k| k.window().is_open(now)),
            latest,
        })
    };
    let (r, loaded) = match reader_with(&state, layout.clone(), &who, slug.clone(), "agenda", read).await? {
        Ok(found) => found,
        Err(refused) => return Ok(refused),
    };
    let q = query.into_inner();
    let (reg, m, l) = (r.registration_id, r.meeting(), &loaded);
    let mine = reg.is_some() && q.mine.as_deref() == Some("1");
    let key = PageKey::of(&Key {
        page: "agenda",
        meeting: (m.id, &m.slug, &m.title, &m.time_zone, m.first_day, m.last_day),
        release: l.latest.as_ref().map(|l| (l.id, l.number, l.name.as_str(), l.published_at)),
        tracks: l.tracks.iter().map(|t| (t.id, t.name.as_str())).collect(),
        rooms: &l.rooms,
        query: (q.day.as_deref(), q.track.as_deref(), mine),
        frame: layout.shared(),
        attendee: reg.is_some(),
        marks_since: l.seen.filter(|_| !l.releases.is_empty()),
        only: mine.then_some(l.picks.as_slice()),
        call_open: l.call_open,
    });
    let response = state.pages.page(
        &state.tera,
        key,
        "pages/agenda/agenda.html",
        &layout,
        reg.map(|_| l.picks.as_slice()),
        |layout, picks| page_data(&r, &slug, &q, l, layout, &picks),
    )?;
    // Seen once rendered: the marks of this look are gone on the next. A HEAD showed nothing.
    // Bookkeeping: if the database cannot take it now, the page is still shown (the marks
    // stay one look longer).
    if let (Some(id), Some(number)) = (reg, l.latest.as_ref().map(|l| l.number))
        && l.seen.is_none_or(|seen| seen < number)
        && !is_head(&req)
        && let Err(e) = state.db.query(move |c| db::transaction(c, |c| pick::set_seen(c, id, number))).await
    {
        tracing::warn!(error = %crate::error::chain(&e), "could not note the release seen; the page is shown");
    }
    Ok(response)
}

/// The page's data, with `picks` deciding what shows as picked.
fn page_data(
    r: &Reader,
    slug: &str,
    q: &AgendaQuery,
    l: &Loaded,
    layout: Layout,
    picks: &Picks<'_>,
) -> AgendaPage {
    let (reg, zone, sessions) = (r.registration_id, r.zone, l.sessions.as_slice());
    let starts: Vec<NaiveDate> = sessions.iter().map(|s| local_day(s.starts_at, zone)).collect();
    let all_days = schedule::days(r.meeting().first_day, r.meeting().last_day, &starts);
    let requested =
        q.day.as_deref().and_then(|d| d.parse::<NaiveDate>().ok()).filter(|d| all_days.contains(d));
    let filters = Filters {
        slug,
        day: requested.or_else(|| all_days.first().copied()).unwrap_or(r.meeting().first_day),
        // A track by id (the links) or by name (a typed address).
        track: q.track.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(|raw| {
            let by_id = raw.parse::<i64>().ok().and_then(|id| l.tracks.iter().find(|t| t.id == id));
            by_id.map_or_else(|| (raw.to_owned(), raw.to_owned()), |t| (t.name.clone(), t.id.to_string()))
        }),
        mine: reg.is_some() && q.mine.as_deref() == Some("1"),
    };

    let marks = layout::marks(&l.releases, l.seen);
    let shown: Vec<_> = sessions
        .iter()
        .filter(|s| filters.track.as_ref().is_none_or(|(name, _)| s.track.as_ref() == Some(name)))
        .filter(|s| !filters.mine || l.picks.contains(&s.session_id))
        .map(|s| {
            let mut v = SessionView::new(slug, s, zone).with_picks(picks);
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
                date: d.to_string(),
                current: d == filters.day,
                sessions,
            }
        })
        .collect();
    let today: Vec<_> =
        shown.iter().filter(|(day, ..)| *day == filters.day).map(|(_, s, v)| (*s, v)).collect();

    AgendaPage {
        title: format!("{}: agenda", r.meeting().title),
        layout,
        meeting: r.meeting().title.clone(),
        slug: slug.to_owned(),
        zone: r.meeting().time_zone.clone(),
        printout: LabelView::highest(shown.iter().map(|(.., v)| v)),
        published: l.latest.as_ref().map(|l| schedule::long_time(l.published_at, zone)),
        release: l.latest.clone(),
        day_heading: day_heading(filters.day),
        nothing: if filters.mine {
            "You have not picked a session on this day."
        } else {
            "No sessions on this day."
        },
        days,
        tracks: filters.track_links(&l.tracks, sessions),
        views: if reg.is_some() { filters.view_links() } else { Vec::new() },
        grid: layout::grid(&l.rooms, &today, zone),
        can_pick: reg.is_some(),
        back: filters.here(),
        call_open: l.call_open,
    }
}
