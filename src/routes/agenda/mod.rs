//! `/meetings/{slug}/…`: the attendee's side of the agenda. Only approved attendees of the
//! meeting and organizers read it; anyone else signed in gets a page that says where their
//! registration stands. Every page reads the latest release, never the draft.

mod back;
pub mod changes;
pub mod download;
mod layout;
pub mod picks;
pub mod session;
pub mod view;

use std::sync::Arc;

use actix_web::{HttpResponse, http::StatusCode};
use chrono_tz::Tz;
use serde::Serialize;

use crate::{
    auth::guard::SignedIn,
    db::DbConnection,
    domain::{
        agenda::Colour,
        local_time::parse_zone,
        registration::Status,
        schedule::{Span, iso_utc},
        tlp::{self, Tlp},
    },
    error::AppError,
    middleware::OwnErrorPage,
    models::{
        agenda::{outline::Outline, release::ReleasedSession},
        meeting::Meeting,
        registration,
    },
    render::{Layout, page_cache::Picks, page_with_status},
    state::AppState,
};

/// Someone who may read the agenda of a meeting.
pub struct Reader {
    /// What every reader of the meeting's agenda sees (`outline`), the meeting included.
    pub outline: Arc<Outline>,
    pub zone: Tz,
    /// The approved registration; organizers read without one (no picks, no marks).
    pub registration_id: Option<i64>,
}

impl Reader {
    pub fn meeting(&self) -> &Meeting {
        &self.outline.meeting
    }
}

#[derive(Serialize)]
struct RefusedPage {
    title: String,
    layout: Layout,
    what: &'static str,
    status: Option<&'static str>,
    next: &'static str,
}

/// The access rule of every agenda page: `Ok(Ok(reader))`, or `Ok(Err(page))` with the
/// 403 page that explains the person's registration status.
pub async fn reader(
    state: &AppState,
    layout: Layout,
    who: &SignedIn,
    slug: String,
) -> Result<Result<Reader, HttpResponse>, AppError> {
    reader_of(state, layout, who, slug, "agenda").await
}

/// The same rule for another page of the meeting that only its approved attendees and
/// the organizers read; `what` names the page in the refusal ("practical information").
pub async fn reader_of(
    state: &AppState,
    layout: Layout,
    who: &SignedIn,
    slug: String,
    what: &'static str,
) -> Result<Result<Reader, HttpResponse>, AppError> {
    Ok(reader_with(state, layout, who, slug, what, |_, _| Ok(())).await?.map(|(r, ())| r))
}

/// The access rule, and once it lets the person in, `more`'s reads for the page in the
/// same trip to the database (`more` gets the meeting and the approved registration).
pub async fn reader_with<T: Send + 'static>(
    state: &AppState,
    layout: Layout,
    who: &SignedIn,
    slug: String,
    what: &'static str,
    more: impl FnOnce(&mut DbConnection, &Reader) -> diesel::QueryResult<T> + Send + 'static,
) -> Result<Result<(Reader, T), HttpResponse>, AppError> {
    let user = &who.0.user;
    // Reviewers read every agenda, as organizers do.
    let (user_id, organizer, outlines) = (user.id, user.reviews(), state.outlines.clone());
    let found = state
        .db
        .read_query(move |c| {
            let outline = outlines.of(c, &slug)?;
            let own = registration::of_user_for_meeting(c, outline.meeting.id, user_id)?;
            let registration_id = match &own {
                _ if organizer => None,
                Some(r) if r.status == Status::Approved => Some(r.id),
                _ => return Ok(Err((outline, own.map(|r| r.status)))),
            };
            let Ok(zone) = parse_zone(&outline.meeting.time_zone) else {
                return Ok(Err((outline, None)));
            };
            let reader = Reader { outline, zone, registration_id };
            let extra = more(c, &reader)?;
            Ok(Ok((reader, extra)))
        })
        .await?;
    let (outline, status) = match found {
        Ok(found) => return Ok(Ok(found)),
        Err(refused) => refused,
    };
    let meeting = &outline.meeting;
    parse_zone(&meeting.time_zone).map_err(|e| AppError::Unexpected(e.into()))?;
    let data = RefusedPage {
        title: format!("{}: {what}", meeting.title),
        layout,
        what,
        status: status.map(Status::label),
        next: status.map_or(
            "You are not registered for this meeting. National teams receive an invitation from the organizers.",
            Status::next_step,
        ),
    };
    let mut refused =
        page_with_status(StatusCode::FORBIDDEN, &state.tera, "pages/agenda/refused.html", &data)?;
    // The generic 403 page would hide what the person needs to read.
    refused.extensions_mut().insert(OwnErrorPage);
    Ok(Err(refused))
}

/// An instant as pages show it: the meeting's wall clock for people, UTC for the script.
#[derive(Serialize, Clone, Debug)]
pub struct Instant {
    pub utc: String,
    pub text: String,
}

/// A TLP label as the pages show it: its words and its stylesheet class.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct LabelView {
    pub text: &'static str,
    pub class: &'static str,
}

impl LabelView {
    /// The highest label of `sessions` (see [`tlp::highest`]), `None` for none.
    pub fn highest<'a>(sessions: impl IntoIterator<Item = &'a SessionView>) -> Option<LabelView> {
        tlp::highest(sessions.into_iter().map(|s| s.tlp))
            .map(|t| LabelView { text: t.as_str(), class: t.css_class() })
    }
}

/// One released session as the agenda pages show it.
#[derive(Serialize, Clone, Debug)]
pub struct SessionView {
    pub id: i64,
    pub href: String,
    pub title: String,
    pub kind: &'static str,
    /// Whether it may be added to an agenda (a break or a meal may not: no button).
    pub pickable: bool,
    pub track: Option<String>,
    pub track_class: Option<String>,
    pub room: Option<String>,
    /// The start with its date; its zone only when the end's differs (`schedule::Span`).
    pub starts: Instant,
    /// The start's clock alone ("09:00", "01:30 MST" across a DST change), for the list,
    /// where a heading says the day.
    pub starts_clock: String,
    /// The end with its zone: its clock alone on the start's day, else in full.
    pub ends: Instant,
    pub tlp: Tlp,
    pub tlp_class: &'static str,
    pub cancelled: bool,
    pub speakers: Vec<String>,
    pub abstract_text: String,
    pub picked: bool,
    /// The change words since the release the attendee last saw.
    pub changed: Vec<&'static str>,
    /// Around what shows whether the session is picked, the fences of a cached page
    /// (`render::stencil`); empty otherwise.
    pub pick_begin: String,
    pub pick_end: String,
}

impl SessionView {
    pub fn new(slug: &str, s: &ReleasedSession, zone: Tz) -> SessionView {
        let span = Span::new(s.starts_at, s.ends_at, zone, true);
        SessionView {
            id: s.session_id,
            href: format!("/meetings/{slug}/sessions/{}", s.session_id),
            title: s.title.clone(),
            kind: s.kind.label(),
            pickable: s.kind.is_pickable(),
            track: s.track.clone(),
            track_class: s.track_colour.map(Colour::css_class),
            room: s.room.clone(),
            starts: Instant { utc: iso_utc(s.starts_at), text: span.start },
            starts_clock: Span::new(s.starts_at, s.ends_at, zone, false).start,
            ends: Instant { utc: iso_utc(s.ends_at), text: span.end },
            tlp: s.tlp,
            tlp_class: s.tlp.css_class(),
            cancelled: s.is_cancelled(),
            speakers: s.speaker_list(),
            abstract_text: s.abstract_text.clone(),
            picked: false,
            changed: Vec::new(),
            pick_begin: String::new(),
            pick_end: String::new(),
        }
    }

    /// Whether it is picked as `picks` shows it, fenced for a cached page.
    pub fn with_picks(mut self, picks: &Picks<'_>) -> Self {
        self.picked = picks.picked(self.id);
        (self.pick_begin, self.pick_end) = picks.fences(self.id);
        self
    }
}
