//! The pieces of the agenda page built from a release: the filter links (day, track, my
//! agenda), the "changed since you last looked" words and the rooms × time grid of a day,
//! scaled to time.

use std::collections::HashMap;

use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::Serialize;

use super::{Instant, SessionView};
use crate::{
    domain::{
        agenda::grid::{self, Slot},
        schedule::{iso_utc, short_time},
    },
    models::agenda::{
        release::{Release, ReleasedSession},
        track::Track,
    },
};

/// The filters of the page being shown; every link keeps those it does not change.
pub struct Filters<'a> {
    pub slug: &'a str,
    pub day: NaiveDate,
    /// The chosen track: (name, the value its links carry).
    pub track: Option<(String, String)>,
    pub mine: bool,
}

#[derive(Serialize)]
pub struct FilterLink {
    label: String,
    href: String,
    current: bool,
}

impl Filters<'_> {
    /// The address of the agenda with these filters, some changed.
    pub fn href(&self, day: NaiveDate, track: Option<&str>, mine: bool) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        q.append_pair("day", &day.to_string());
        if let Some(t) = track {
            q.append_pair("track", t);
        }
        if mine {
            q.append_pair("mine", "1");
        }
        format!("/meetings/{}/agenda?{}", self.slug, q.finish())
    }

    pub fn track_key(&self) -> Option<&str> {
        self.track.as_ref().map(|(_, key)| key.as_str())
    }

    /// This page's own address.
    pub fn here(&self) -> String {
        self.href(self.day, self.track_key(), self.mine)
    }

    /// "All tracks", then each track of the meeting, then any track name only a release
    /// still carries (a track renamed since).
    pub fn track_links(&self, tracks: &[Track], sessions: &[ReleasedSession]) -> Vec<FilterLink> {
        let mut names: Vec<(String, String)> =
            tracks.iter().map(|t| (t.name.clone(), t.id.to_string())).collect();
        for name in sessions.iter().filter_map(|s| s.track.as_ref()) {
            if !names.iter().any(|(n, _)| n == name) {
                names.push((name.clone(), name.clone()));
            }
        }
        let all = FilterLink {
            label: "All tracks".into(),
            href: self.href(self.day, None, self.mine),
            current: self.track.is_none(),
        };
        let each = names.into_iter().map(|(name, key)| FilterLink {
            current: self.track.as_ref().is_some_and(|(n, _)| *n == name),
            href: self.href(self.day, Some(&key), self.mine),
            label: name,
        });
        std::iter::once(all).chain(each).collect()
    }

    /// "All sessions" and "My agenda".
    pub fn view_links(&self) -> Vec<FilterLink> {
        [("All sessions", false), ("My agenda", true)]
            .into_iter()
            .map(|(label, mine)| FilterLink {
                label: label.into(),
                href: self.href(self.day, self.track_key(), mine),
                current: self.mine == mine,
            })
            .collect()
    }
}

/// Per session, the change words of every release newer than the one last seen. A first
/// look has nothing to compare with, so it marks nothing.
pub fn marks(releases: &[Release], seen: Option<i32>) -> HashMap<i64, Vec<&'static str>> {
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

/// The day as a grid scaled to time (`domain::agenda::grid`), every place a class.
#[derive(Serialize)]
pub struct GridView {
    /// The grid's columns: the times and `tl-n{lanes}`.
    class: String,
    columns: Vec<ColumnView>,
    times: Vec<TimeView>,
    /// The classes of the lines drawn at each full hour.
    hours: Vec<String>,
    blocks: Vec<BlockView>,
    /// More sessions side by side than the grid draws: the page shows the list instead.
    too_wide: bool,
}

#[derive(Serialize)]
struct ColumnView {
    name: String,
    class: String,
}

#[derive(Serialize)]
struct TimeView {
    time: Instant,
    class: String,
}

#[derive(Serialize)]
struct BlockView {
    class: String,
    session: SessionView,
}

/// The grid of one day's sessions, rooms in the organizers' order.
pub fn grid(rooms: &[String], day: &[(&ReleasedSession, &SessionView)], zone: Tz) -> GridView {
    let slots: Vec<Slot<'_>> = day
        .iter()
        .map(|(s, _)| Slot { room: s.room.as_deref(), starts_at: s.starts_at, ends_at: s.ends_at })
        .collect();
    let Ok(laid) = grid::lay_out(rooms, &slots, zone) else {
        return GridView {
            class: String::new(),
            columns: Vec::new(),
            times: Vec::new(),
            hours: Vec::new(),
            blocks: Vec::new(),
            too_wide: true,
        };
    };
    GridView {
        class: format!("tl-n{}", laid.lanes),
        columns: laid
            .columns
            .into_iter()
            .map(|c| ColumnView {
                name: c.room.unwrap_or_else(|| "Other".to_owned()),
                class: grid::lane_classes(c.lane, c.lanes),
            })
            .collect(),
        times: laid
            .ticks
            .iter()
            .map(|t| {
                let at = day[t.slot].0.starts_at;
                TimeView {
                    time: Instant { utc: iso_utc(at), text: short_time(at, zone) },
                    class: grid::row_classes(t.row, t.rows),
                }
            })
            .collect(),
        hours: laid.hours.iter().map(|&row| grid::row_classes(row, 1)).collect(),
        blocks: laid
            .blocks
            .iter()
            .map(|b| BlockView {
                class: format!(
                    "{} {}",
                    grid::row_classes(b.row, b.rows),
                    grid::lane_classes(b.lane, b.lanes)
                ),
                session: day[b.slot].1.clone(),
            })
            .collect(),
        too_wide: false,
    }
}
