//! What every page of a meeting's agenda reads before the person's own parts: the meeting,
//! its latest release, its tracks, rooms and call for contributions. Kept in memory per
//! slug under the rule of access decisions (`decisions`): at most one second, and read
//! again at once after any write through this instance, so an organizer sees each change
//! on the next page; another instance shows it within a second. On PostgreSQL these were
//! five of a signed-in agenda page's round trips (issue 16). Whether the person may read
//! is never kept: their registration is read on every request.

use std::sync::{
    Arc,
    atomic::{AtomicU64, Ordering},
};

use diesel::QueryResult;

use crate::{
    db::DbConnection,
    decisions::{Decisions, Look},
    models::{
        agenda::{
            release::{self, Release},
            room::{self, Room},
            track::{self, Track},
        },
        meeting::{self, Meeting},
        proposal::call::{self, Call},
    },
    write_generation::WriteGeneration,
};

/// A meeting's agenda as every reader sees it.
#[derive(Debug)]
pub struct Outline {
    pub meeting: Meeting,
    /// The latest release, if one was published.
    pub latest: Option<Release>,
    pub tracks: Vec<Track>,
    pub rooms: Vec<Room>,
    pub call: Option<Call>,
}

/// The outlines kept, by slug.
pub struct Outlines {
    kept: Decisions<String, Arc<Outline>>,
    /// How many outlines were read from the database (what a test of the keeping counts).
    reads: AtomicU64,
}

/// Meetings are few: a bound that only an attack on unknown slugs (never kept) could reach.
const BOUND: usize = 256;

impl Outlines {
    pub fn new(writes: Arc<WriteGeneration>) -> Self {
        Self { kept: Decisions::new(writes, BOUND), reads: AtomicU64::new(0) }
    }

    /// How many outlines were read from the database since start.
    pub fn reads(&self) -> u64 {
        self.reads.load(Ordering::Relaxed)
    }

    /// The outline of the meeting at `slug`, kept or read now; `NotFound` for no meeting.
    pub fn of(&self, c: &mut DbConnection, slug: &str) -> QueryResult<Arc<Outline>> {
        // An ageing or missing outline is read by the one request told to ask. One that
        // another request is reading now is read here too, and not kept: this request
        // holds a connection already, which waiting would leave idle.
        let asking = match self.kept.look(slug) {
            Look::Fresh(outline) => return Ok(outline),
            Look::Refresh(_, asking) | Look::Ask(asking) => Some(asking),
            Look::Wait(_) => None,
        };
        self.reads.fetch_add(1, Ordering::Relaxed);
        let found = match read(c, slug) {
            Ok(outline) => Some(Arc::new(outline)),
            // The meeting is gone (or its slug changed): no request gets it from here on.
            Err(diesel::result::Error::NotFound) => None,
            // Not kept: the next look asks again.
            Err(e) => return Err(e),
        };
        match asking {
            Some(asking) => self.kept.answer(slug.to_owned(), asking, found.clone()),
            None if found.is_none() => self.kept.forget(slug),
            None => {}
        }
        found.ok_or(diesel::result::Error::NotFound)
    }
}

fn read(c: &mut DbConnection, slug: &str) -> QueryResult<Outline> {
    let meeting = meeting::by_slug(c, slug)?;
    Ok(Outline {
        latest: release::latest(c, meeting.id)?,
        tracks: track::for_meeting(c, meeting.id)?,
        rooms: room::for_meeting(c, meeting.id)?,
        call: call::of_meeting(c, meeting.id)?,
        meeting,
    })
}
