//! The released agenda outside the attendee's feed (issue 18): the schedule files for
//! conference apps behind an attendee's secret address (frab XML and JSON), an organizer's
//! own feed of the whole agenda, and the sessions of one day for a `.ics` download. Every
//! session passes through T1 on its way (`calendar::frab`, `objects::session`).
//!
//! Access is asked of the database on every fetch (one query): a replaced token, a
//! registration no longer approved or an account no longer an organizer stops at once on
//! every instance. Bodies are built once per input and kept with their gzip and ETags
//! (`FeedCache`): the schedule files among the bounded bodies, keyed by format, meeting
//! and release; the organizer's feed is the meeting's all-sessions feed body itself.

use chrono::{NaiveDate, NaiveDateTime};

use super::{DeliveryError, FeedCache, Inputs, feed, feed_cache::Feed, objects};
use crate::{
    calendar::{
        self, CalendarEvent,
        frab::{self, Conference, FrabSession},
    },
    db::DbConnection,
    models::{
        agenda::release::{self, ReleasedSession},
        meeting::Meeting,
        organizer_feed_token, schedule_token,
    },
};

/// The two schedule formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xml,
    Json,
}

impl Format {
    /// From the file name in the address: `schedule.xml` or `schedule.json`.
    pub fn of_file(name: &str) -> Option<Format> {
        match name {
            "schedule.xml" => Some(Format::Xml),
            "schedule.json" => Some(Format::Json),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Xml => "application/xml; charset=utf-8",
            Format::Json => "application/json",
        }
    }
}

fn served(body: std::sync::Arc<super::feed_cache::FeedBody>, changed: NaiveDateTime) -> Feed {
    let (last_modified, last_modified_header) = feed::http_date(changed);
    Feed { body, last_modified, last_modified_header }
}

/// The schedule file the attendee's secret token (its hash) opens now: `None` for a token
/// that is unknown, replaced or whose registration is no longer approved, and before the
/// meeting's first release.
pub fn schedule(
    c: &mut DbConnection,
    hash: &str,
    format: Format,
    public_url: &url::Url,
    cache: &FeedCache,
) -> Result<Option<Feed>, DeliveryError> {
    let Some(access) = schedule_token::access(c, hash)? else { return Ok(None) };
    let (meeting, release_id) = (&access.meeting, access.release_id);
    let inputs = Inputs::of(&[&"frab", &format, meeting, &release_id, &public_url.as_str()]);
    let body = cache.body(inputs, None, || {
        let latest = release::sessions(c, release_id)?;
        let (conference, sessions) = frab_input(meeting, &access.release_name, public_url, &latest);
        Ok::<_, DeliveryError>(match format {
            Format::Xml => frab::xml(&conference, &sessions),
            Format::Json => frab::json(&conference, &sessions),
        })
    })?;
    Ok(Some(served(body, meeting.updated_at.max(access.published_at))))
}

fn frab_input(
    m: &Meeting,
    release_name: &str,
    public_url: &url::Url,
    sessions: &[ReleasedSession],
) -> (Conference, Vec<FrabSession>) {
    let link = |path: String| public_url.join(&path).map(String::from).unwrap_or(path);
    let conference = Conference {
        acronym: m.slug.clone(),
        title: m.title.clone(),
        first_day: m.first_day,
        last_day: m.last_day,
        // A stored zone that does not parse was refused on save; UTC keeps the file valid.
        zone: m.time_zone.parse().unwrap_or(chrono_tz::UTC),
        uid: m.meeting_uid.clone(),
        version: release_name.to_owned(),
        url: link(format!("/meetings/{}/agenda", m.slug)),
    };
    let sessions = sessions
        .iter()
        .map(|s| FrabSession {
            id: s.session_id,
            uid: s.uid.clone(),
            title: s.title.clone(),
            abstract_text: s.abstract_text.clone(),
            tlp: s.tlp,
            kind: s.kind.label().to_owned(),
            track: s.track.clone(),
            room: s.room.clone(),
            start: s.starts_at.and_utc(),
            end: s.ends_at.and_utc(),
            speakers: s.speaker_list(),
            cancelled: s.is_cancelled(),
            url: link(format!("/meetings/{}/sessions/{}", m.slug, s.session_id)),
        })
        .collect();
    (conference, sessions)
}

/// The organizer's feed the token (its hash) opens now: the meeting's whole released
/// agenda, the same body as its attendees' all-sessions feed. `None` for a token that is
/// unknown or replaced, or whose account is no longer an active organizer.
pub fn organizer_feed(
    c: &mut DbConnection,
    hash: &str,
    cache: &FeedCache,
) -> Result<Option<Feed>, DeliveryError> {
    let Some((meeting, latest)) = organizer_feed_token::access(c, hash)? else { return Ok(None) };
    let release_id = latest.map(|(id, _)| id);
    let body = feed::whole_agenda(c, &meeting, release_id, cache)?;
    let changed = latest.map_or(meeting.updated_at, |(_, at)| at.max(meeting.updated_at));
    Ok(Some(served(body, changed)))
}

/// The `.ics` of the released sessions that start on `date` in the meeting's zone, none
/// before the first release (`None`: a date that is neither a meeting day nor a day of a
/// released session).
pub fn day(
    c: &mut DbConnection,
    meeting: &Meeting,
    date: NaiveDate,
) -> Result<Option<String>, DeliveryError> {
    let (_, sessions) = release::latest_sessions(c, meeting.id)?;
    let zone: chrono_tz::Tz = meeting.time_zone.parse().unwrap_or(chrono_tz::UTC);
    let that_day: Vec<&ReleasedSession> =
        sessions.iter().filter(|s| s.starts_at.and_utc().with_timezone(&zone).date_naive() == date).collect();
    let meeting_day = (meeting.first_day..=meeting.last_day).contains(&date);
    if that_day.is_empty() && !meeting_day {
        return Ok(None);
    }
    let events = that_day.into_iter().map(objects::session).collect::<Result<Vec<CalendarEvent>, _>>()?;
    Ok(Some(calendar::day_download(&events)))
}
