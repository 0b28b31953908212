//! `/admin/meetings/{slug}/agenda`: the organizers' draft by day, conflicts flagged, the
//! tracks and rooms, and what publishing now would change.

pub mod export;
mod form;
pub mod publish;
pub mod sessions;
pub mod setup;

use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use chrono_tz::Tz;
use diesel::QueryResult;
use serde::Serialize;

use crate::{
    auth::guard::Organizer,
    db::DbConnection,
    domain::{
        agenda::{
            Colour, SessionStatus,
            changes::SessionChange,
            conflicts::{self, Slot, Window},
        },
        local_time::{self, day_start, to_local},
        schedule::Span,
        tlp::Tlp,
    },
    error::AppError,
    models::{
        agenda::{
            release,
            room::{self, Room},
            session::{self, Session, Speaker},
            speaker,
            track::{self, Track},
            unscheduled,
        },
        meeting::{self, Meeting},
    },
    render::{Layout, page_with_status},
    routes::form_errors::FormErrors,
    state::AppState,
};
use setup::{RoomForm, TrackForm, Typed};

/// The meeting of the path and its time zone.
pub(crate) async fn meeting_and_zone(state: &AppState, slug: String) -> Result<(Meeting, Tz), AppError> {
    let m = state.db.query(move |c| meeting::by_slug(c, &slug)).await?;
    let zone = local_time::parse_zone(&m.time_zone).map_err(|e| AppError::Unexpected(e.into()))?;
    Ok((m, zone))
}

/// The meeting's days as UTC instants.
pub(crate) fn window(m: &Meeting, zone: Tz) -> Window {
    Window {
        starts_at: day_start(m.first_day, zone),
        ends_at: day_start(m.last_day.succ_opt().unwrap_or(m.last_day), zone),
    }
}

/// Everything of the draft the editor and the conflict check need.
pub(crate) struct Draft {
    pub tracks: Vec<Track>,
    pub rooms: Vec<Room>,
    pub sessions: Vec<Session>,
    pub speakers: Vec<Speaker>,
    /// Sessions an accepted proposal created, not yet placed (`models::agenda::unscheduled`).
    pub unscheduled: Vec<i64>,
}

impl Draft {
    pub fn read(c: &mut DbConnection, meeting_id: i64) -> QueryResult<Draft> {
        Ok(Draft {
            tracks: track::for_meeting(c, meeting_id)?,
            rooms: room::for_meeting(c, meeting_id)?,
            sessions: session::for_meeting(c, meeting_id)?,
            speakers: session::speakers(c, meeting_id)?,
            unscheduled: unscheduled::of_meeting(c, meeting_id)?,
        })
    }

    pub async fn load(state: &AppState, meeting_id: i64) -> Result<Draft, AppError> {
        Ok(state.db.query(move |c| Draft::read(c, meeting_id)).await?)
    }

    pub fn slots(&self) -> Vec<Slot<'_>> {
        self.sessions.iter().map(|s| self.slot(s)).collect()
    }

    pub fn slot<'a>(&'a self, s: &'a Session) -> Slot<'a> {
        Slot {
            id: s.id,
            title: &s.title,
            room: s.room_id,
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            speakers: self
                .speakers
                .iter()
                .filter(|sp| sp.session_id == s.id)
                .map(|sp| sp.name.as_str())
                .collect(),
            // A session not yet placed has placeholder times: nothing conflicts with it.
            cancelled: s.status == SessionStatus::Cancelled || self.unscheduled.contains(&s.id),
        }
    }

    /// How many sessions the conflict check flags (a refusal or a warning).
    pub fn conflicted(&self, w: Window) -> usize {
        let slots = self.slots();
        self.sessions.iter().filter(|s| !conflicts::check(&self.slot(s), &slots, w).is_empty()).count()
    }
}

#[derive(Serialize)]
struct SessionRow {
    id: i64,
    time: String,
    title: String,
    kind: &'static str,
    track: Option<String>,
    track_class: Option<String>,
    room: Option<String>,
    tlp: Tlp,
    tlp_class: &'static str,
    speakers: Vec<String>,
    cancelled: bool,
    /// From an accepted proposal, not yet placed: left out of releases until saved.
    unscheduled: bool,
    refusals: Vec<String>,
    warnings: Vec<String>,
}

#[derive(Serialize)]
struct ChangeRow {
    session_id: i64,
    title: String,
    changes: Vec<&'static str>,
}

impl From<SessionChange> for ChangeRow {
    fn from(c: SessionChange) -> Self {
        ChangeRow {
            session_id: c.session_id,
            title: c.title,
            changes: c.changes.iter().map(|k| k.label()).collect(),
        }
    }
}

#[derive(Serialize)]
struct DayView {
    label: String,
    sessions: Vec<SessionRow>,
}

/// A stored track or room in its form on the editor page.
#[derive(Serialize)]
struct SetupRow<F> {
    id: i64,
    #[serde(flatten)]
    form: F,
}

#[derive(Serialize)]
struct EditorPage {
    title: String,
    layout: Layout,
    meeting: Meeting,
    days: Vec<DayView>,
    /// Sessions from accepted proposals not placed yet: listed apart, without a time.
    unplaced: Vec<SessionRow>,
    tracks: Vec<SetupRow<TrackForm>>,
    new_track: TrackForm,
    rooms: Vec<SetupRow<RoomForm>>,
    new_room: RoomForm,
    release_name: String,
    colours: Vec<(&'static str, &'static str)>,
    pending: Vec<ChangeRow>,
    next_number: i32,
    conflicts: usize,
    /// Speakers whose registration was withdrawn or revoked, on sessions not cancelled.
    gone_speakers: Vec<GoneSpeaker>,
    errors: FormErrors,
}

/// A speaker who withdrew or was revoked, as the editor and the dashboard warn.
#[derive(Serialize)]
pub(crate) struct GoneSpeaker {
    pub session_id: i64,
    pub title: String,
    pub name: String,
    pub team: String,
    /// "withdrawn", "revoked", or what the proposer of a withdrawn proposal is.
    pub status: &'static str,
}

impl From<speaker::Gone> for GoneSpeaker {
    fn from(g: speaker::Gone) -> Self {
        GoneSpeaker {
            session_id: g.session_id,
            title: g.title,
            name: g.name,
            team: g.team,
            status: match g.proposal_withdrawn {
                true => "the proposer of a withdrawn proposal",
                false => g.status.label(),
            },
        }
    }
}

fn day_label(day: NaiveDate) -> String {
    day.format("%a %-d %B %Y").to_string()
}

fn row(draft: &Draft, s: &Session, zone: Tz, w: Window) -> SessionRow {
    let slots = draft.slots();
    let (refusals, warnings): (Vec<_>, Vec<_>) =
        conflicts::check(&draft.slot(s), &slots, w).into_iter().partition(|p| p.is_refusal());
    let track = draft.tracks.iter().find(|t| Some(t.id) == s.track_id);
    let unscheduled = draft.unscheduled.contains(&s.id);
    SessionRow {
        id: s.id,
        time: if unscheduled {
            format!("not placed ({} minutes)", (s.ends_at - s.starts_at).num_minutes())
        } else {
            Span::new(s.starts_at, s.ends_at, zone, false).to_string()
        },
        title: s.title.clone(),
        kind: s.kind.label(),
        track: track.map(|t| t.name.clone()),
        track_class: track.map(|t| t.colour.css_class()),
        room: draft.rooms.iter().find(|r| Some(r.id) == s.room_id).map(|r| r.name.clone()),
        tlp: s.tlp,
        tlp_class: s.tlp.css_class(),
        speakers: draft.speakers.iter().filter(|sp| sp.session_id == s.id).map(Speaker::display).collect(),
        cancelled: s.status == SessionStatus::Cancelled,
        unscheduled,
        refusals: refusals.iter().map(|p| p.message()).collect(),
        warnings: warnings.iter().map(|p| p.message()).collect(),
    }
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    editor(&state, layout, path.into_inner(), FormErrors::default(), None).await
}

/// The editor page; with `errors` (from its tracks, rooms or publish form, which shows
/// again what was `typed` in it) it answers 422.
async fn editor(
    state: &AppState,
    layout: Layout,
    slug: String,
    errors: FormErrors,
    typed: Option<Typed>,
) -> Result<HttpResponse, AppError> {
    let (m, zone) = meeting_and_zone(state, slug).await?;
    let draft = Draft::load(state, m.id).await?;
    let id = m.id;
    let (pending, latest, gone) = state
        .db
        .query(move |c| {
            Ok((release::pending_changes(c, id)?, release::latest(c, id)?, speaker::gone(c, id)?))
        })
        .await?;
    let w = window(&m, zone);
    let mut days: Vec<(NaiveDate, DayView)> = m
        .first_day
        .iter_days()
        .take_while(|d| *d <= m.last_day)
        .map(|d| (d, DayView { label: day_label(d), sessions: Vec::new() }))
        .collect();
    let mut unplaced = Vec::new();
    for s in &draft.sessions {
        if draft.unscheduled.contains(&s.id) {
            unplaced.push(row(&draft, s, zone, w));
            continue;
        }
        let day = to_local(s.starts_at, zone).date();
        if !days.iter().any(|(d, _)| *d == day) {
            days.push((
                day,
                DayView {
                    label: format!("{} (outside the meeting's days)", day_label(day)),
                    sessions: Vec::new(),
                },
            ));
        }
        if let Some((_, view)) = days.iter_mut().find(|(d, _)| *d == day) {
            view.sessions.push(row(&draft, s, zone, w));
        }
    }
    days.sort_by_key(|(d, _)| *d);
    let conflicts = draft.conflicted(w);
    let mut tracks: Vec<_> =
        draft.tracks.iter().map(|t| SetupRow { id: t.id, form: TrackForm::of(t) }).collect();
    let mut rooms: Vec<_> =
        draft.rooms.iter().map(|r| SetupRow { id: r.id, form: RoomForm::of(r) }).collect();
    let (mut new_track, mut new_room) = (TrackForm::blank(tracks.len()), RoomForm::blank(rooms.len()));
    let mut release_name = String::new();
    match typed {
        None => {}
        Some(Typed::Track(None, form)) => new_track = form,
        Some(Typed::Room(None, form)) => new_room = form,
        Some(Typed::Track(Some(id), form)) => {
            if let Some(t) = tracks.iter_mut().find(|t| t.id == id) {
                t.form = form;
            }
        }
        Some(Typed::Room(Some(id), form)) => {
            if let Some(r) = rooms.iter_mut().find(|r| r.id == id) {
                r.form = form;
            }
        }
        Some(Typed::Release(name)) => release_name = name,
    }
    let data = EditorPage {
        title: format!("Agenda — {}", m.title),
        layout,
        days: days.into_iter().map(|(_, v)| v).collect(),
        unplaced,
        tracks,
        new_track,
        rooms,
        new_room,
        release_name,
        colours: Colour::ALL.iter().map(|c| (c.as_str(), c.label())).collect(),
        pending: pending.into_iter().map(ChangeRow::from).collect(),
        next_number: latest.map_or(1, |r| r.number + 1),
        conflicts,
        gone_speakers: gone.into_iter().map(GoneSpeaker::from).collect(),
        errors,
        meeting: m,
    };
    let status = data.errors.status();
    page_with_status(status, &state.tera, "pages/admin/agenda.html", &data)
}
