//! Feeds kept in memory, so that a calendar's poll costs neither a build nor, within a
//! second, a query (docs/CALENDAR.md F8).
//!
//! - **Bodies** are built once per input (the meeting's row, its latest release, and the
//!   picks for a picks-only feed: [`Inputs`]) and shared as [`Bytes`], with their gzip
//!   compressed once beside them and a strong ETag for each. The all-sessions body of a
//!   meeting is the same bytes for each of its attendees: one is kept per meeting, the
//!   newest. Picks-only bodies are kept while they fit in [`PICKS_BUDGET`] bytes, the
//!   least recently served dropped first.
//! - **Access decisions** (this token opens this feed) are [`Decisions`]: kept for at most
//!   one second and only while no write was made through this instance since the query
//!   began, renewed in the background before they expire: a revoked or rotated token, or
//!   an attendee no longer approved, stops working within one second on every instance,
//!   and at once on the instance that made the change. Only found feeds are kept; an
//!   unknown token costs its query each time, so guessing cannot fill the memory.
//!
//! Process memory: a restart starts empty, which costs one query and one build per feed.

use std::{
    collections::HashMap,
    io::Write as _,
    sync::{Arc, Mutex, MutexGuard, PoisonError},
};

use actix_web::{http::header::HeaderValue, web::Bytes};
use flate2::{Compression, write::GzEncoder};
use sha2::{Digest as _, Sha256};

use crate::{decisions::Decisions, write_generation::WriteGeneration};

/// The bytes (plain and gzip together) of picks-only bodies kept in memory.
pub const PICKS_BUDGET: usize = 4 * 1024 * 1024;

/// A bound on remembered access decisions (each one second old at most).
const DECISIONS: usize = 20_000;

/// What a feed's body is made of: equal inputs give byte-identical bodies.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Inputs([u8; 32]);

impl Inputs {
    /// `parts` must name everything the body is built from. A published release never
    /// changes, so its id stands for its sessions.
    pub fn of(parts: &[&dyn std::fmt::Debug]) -> Self {
        let mut hasher = Sha256::new();
        for part in parts {
            hasher.update(format!("{part:?}\u{1f}").as_bytes());
        }
        Self(hasher.finalize().into())
    }
}

/// The SHA-256 of a feed token: what decisions are remembered by (never the token).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenKey([u8; 32]);

impl TokenKey {
    pub fn of(token: &str) -> Self {
        Self(Sha256::digest(token.as_bytes()).into())
    }

    /// The hash as stored in `feed_tokens.token_hash` (`domain::token::hash_token`).
    pub fn stored(&self) -> String {
        hex::encode(self.0)
    }
}

/// One representation of a body: its bytes and their strong ETag.
pub struct Representation {
    pub bytes: Bytes,
    pub etag: HeaderValue,
}

impl Representation {
    fn of(bytes: Vec<u8>) -> Self {
        let etag = format!("\"{}\"", hex::encode(Sha256::digest(&bytes)));
        Self { etag: HeaderValue::from_str(&etag).expect("hex is a valid header value"), bytes: bytes.into() }
    }
}

/// A feed body, built once: the text and its gzip, each with its own ETag (they are
/// different bytes, so a cache that keeps both never confuses them).
pub struct FeedBody {
    pub plain: Representation,
    pub gzip: Representation,
}

impl FeedBody {
    pub fn new(text: String) -> Self {
        let mut encoder = GzEncoder::new(Vec::with_capacity(text.len() / 4), Compression::best());
        // Writing into a Vec cannot fail.
        encoder.write_all(text.as_bytes()).expect("gzip into memory");
        let gzip = encoder.finish().expect("gzip into memory");
        Self { plain: Representation::of(text.into_bytes()), gzip: Representation::of(gzip) }
    }

    fn size(&self) -> usize {
        self.plain.bytes.len() + self.gzip.bytes.len()
    }
}

/// What a fetch is answered with: the body and when the feed last changed for the person
/// (`Last-Modified`, whole seconds).
#[derive(Clone)]
pub struct Feed {
    pub body: Arc<FeedBody>,
    pub last_modified: std::time::SystemTime,
    pub last_modified_header: HeaderValue,
}

/// The kept bodies and decisions; one per process, in `AppState`.
pub struct FeedCache {
    pub decisions: Decisions<TokenKey, Feed>,
    /// The newest all-sessions body of each meeting.
    shared: Mutex<HashMap<i64, (Inputs, Arc<FeedBody>)>>,
    picks: Mutex<Lru>,
    /// One build at a time: a poll storm after a change builds each body once.
    building: Mutex<()>,
    /// Polls answered by the fast lane (`routes::feeds`), ahead of the middleware.
    pub lane_answers: std::sync::atomic::AtomicU64,
    /// Times the database was asked which feed a token opens (one question per token at a
    /// time, `decisions`).
    pub asked: std::sync::atomic::AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl FeedCache {
    pub fn new(writes: Arc<WriteGeneration>) -> Self {
        Self {
            decisions: Decisions::new(writes, DECISIONS),
            shared: Mutex::default(),
            picks: Mutex::new(Lru::new(PICKS_BUDGET)),
            building: Mutex::default(),
            lane_answers: std::sync::atomic::AtomicU64::new(0),
            asked: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// The body made of `inputs`, built by `build` if no body of them is kept. `shared_by`
    /// names the meeting for an all-sessions body; `None` is a picks-only body.
    pub fn body<E>(
        &self,
        inputs: Inputs,
        shared_by: Option<i64>,
        build: impl FnOnce() -> Result<String, E>,
    ) -> Result<Arc<FeedBody>, E> {
        if let Some(body) = self.kept(inputs, shared_by) {
            return Ok(body);
        }
        let _building = lock(&self.building);
        if let Some(body) = self.kept(inputs, shared_by) {
            return Ok(body);
        }
        let body = Arc::new(FeedBody::new(build()?));
        match shared_by {
            Some(meeting) => {
                lock(&self.shared).insert(meeting, (inputs, body.clone()));
            }
            None => lock(&self.picks).insert(inputs, body.clone()),
        }
        Ok(body)
    }

    fn kept(&self, inputs: Inputs, shared_by: Option<i64>) -> Option<Arc<FeedBody>> {
        match shared_by {
            Some(meeting) => {
                lock(&self.shared).get(&meeting).filter(|(i, _)| *i == inputs).map(|(_, b)| b.clone())
            }
            None => lock(&self.picks).get(inputs),
        }
    }
}

/// Bodies bounded by their bytes, the least recently used dropped first. Few entries
/// (a budget of some MiB over bodies of some KiB), so finding the oldest is a scan.
struct Lru {
    budget: usize,
    used: usize,
    tick: u64,
    entries: HashMap<Inputs, (Arc<FeedBody>, u64)>,
}

impl Lru {
    fn new(budget: usize) -> Self {
        Self { budget, used: 0, tick: 0, entries: HashMap::new() }
    }

    fn get(&mut self, inputs: Inputs) -> Option<Arc<FeedBody>> {
        self.tick += 1;
        let (body, used) = self.entries.get_mut(&inputs)?;
        *used = self.tick;
        Some(body.clone())
    }

    /// A body larger than the whole budget is not kept (it is built for each fetch).
    fn insert(&mut self, inputs: Inputs, body: Arc<FeedBody>) {
        let size = body.size();
        if size > self.budget {
            return;
        }
        self.tick += 1;
        if let Some((old, _)) = self.entries.insert(inputs, (body, self.tick)) {
            self.used -= old.size();
        }
        self.used += size;
        while self.used > self.budget {
            let Some(oldest) = self.entries.iter().min_by_key(|(_, (_, used))| *used).map(|(k, _)| *k) else {
                break;
            };
            if let Some((gone, _)) = self.entries.remove(&oldest) {
                self.used -= gone.size();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;

    use super::*;

    #[test]
    fn any_changed_part_gives_other_inputs() {
        let base = Inputs::of(&[&1_i64, &Some(7_i64), &"all"]);
        assert_eq!(base, Inputs::of(&[&1_i64, &Some(7_i64), &"all"]));
        assert_ne!(base, Inputs::of(&[&1_i64, &Some(8_i64), &"all"]));
        assert_ne!(base, Inputs::of(&[&1_i64, &None::<i64>, &"all"]));
        assert_ne!(Inputs::of(&[&"ab", &"c"]), Inputs::of(&[&"a", &"bc"]), "parts are separated");
    }

    #[test]
    fn the_token_key_is_the_stored_hash() {
        let token = "ab".repeat(32);
        assert_eq!(TokenKey::of(&token).stored(), crate::domain::token::hash_token(&token));
    }

    #[test]
    fn a_body_carries_its_gzip_and_two_different_strong_etags() {
        let text = "BEGIN:VCALENDAR\r\n".repeat(100);
        let body = FeedBody::new(text.clone());
        assert_eq!(body.plain.bytes, text.as_bytes());
        let mut unzipped = String::new();
        flate2::read::GzDecoder::new(&body.gzip.bytes[..]).read_to_string(&mut unzipped).expect("gzip");
        assert_eq!(unzipped, text);
        assert!(body.gzip.bytes.len() < text.len() / 10);
        assert_ne!(body.plain.etag, body.gzip.etag);
        for etag in [&body.plain.etag, &body.gzip.etag] {
            assert_eq!(etag.len(), 66);
            assert!(etag.to_str().expect("ascii").starts_with('"'));
        }
        let again = FeedBody::new(text);
        assert_eq!((again.plain.etag, again.gzip.etag), (body.plain.etag, body.gzip.etag), "deterministic");
    }

    fn body_of(size: usize) -> Arc<FeedBody> {
        Arc::new(FeedBody {
            plain: Representation::of(vec![b'x'; size]),
            gzip: Representation::of(Vec::new()),
        })
    }

    #[test]
    fn the_lru_keeps_within_its_budget_dropping_the_least_recently_used() {
        let mut lru = Lru::new(300);
        let (a, b, c) = (Inputs::of(&[&1]), Inputs::of(&[&2]), Inputs::of(&[&3]));
        lru.insert(a, body_of(100));
        lru.insert(b, body_of(100));
        assert!(lru.get(a).is_some(), "a is now the most recent");
        lru.insert(c, body_of(150));
        assert!(lru.used <= 300);
        assert!(lru.get(b).is_none(), "b was the least recently used");
        assert!(lru.get(a).is_some() && lru.get(c).is_some());
        lru.insert(Inputs::of(&[&4]), body_of(301));
        assert!(lru.get(Inputs::of(&[&4])).is_none(), "larger than the budget: not kept");
        lru.insert(a, body_of(120));
        assert_eq!(lru.used, 270, "a replaced, not added twice");
    }

    #[test]
    fn a_body_is_built_once_per_inputs_and_the_shared_one_replaced_by_the_newest() {
        let cache = FeedCache::new(Arc::default());
        let (one, two) = (Inputs::of(&[&1]), Inputs::of(&[&2]));
        let mut builds = 0;
        let mut build = |text: &str| {
            builds += 1;
            Ok::<_, ()>(text.to_owned())
        };
        let first = cache.body(one, Some(7), || build("one")).expect("built");
        let again = cache.body(one, Some(7), || build("never")).expect("kept");
        assert!(Arc::ptr_eq(&first, &again));
        let newer = cache.body(two, Some(7), || build("two")).expect("built");
        assert_eq!(newer.plain.bytes, "two");
        let picks = cache.body(one, None, || build("picks")).expect("built");
        assert_eq!(picks.plain.bytes, "picks", "picks bodies are kept apart");
        assert_eq!(builds, 3);
        assert!(cache.body(one, Some(7), || Err(())).is_err(), "the older shared body was replaced");
    }
}
