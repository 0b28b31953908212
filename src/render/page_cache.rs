//! The rendered pages kept in memory ([`Stencil`]s), by the SHA-256 of everything a page
//! is rendered from except the person's own parts, and bounded in bytes: the least
//! recently used go first.
//!
//! Because the key is computed from what the request read from the database (the meeting,
//! the release, the tracks and rooms, the filters, what the viewer's role shows), a change
//! made on any instance is a new key at once; nothing needs to be forgotten on a write and
//! no entry can be stale. Entries that are no longer asked for age out.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use actix_web::HttpResponse;
use serde::Serialize;
use sha2::{Digest, Sha256};
use tera::Tera;

use super::{
    Layout, filled, page, render,
    stencil::{Markers, Stencil},
};
use crate::error::AppError;

/// How a page being rendered shows whether each session is picked.
pub enum Picks<'a> {
    /// A render for the cache: no session picked, or every one (`all`), each fenced.
    Fenced { markers: &'a Markers, all: bool },
    /// The person's own picks, sorted (a page rendered for them alone).
    Own(&'a [i64]),
}

impl Picks<'_> {
    pub fn picked(&self, session: i64) -> bool {
        match self {
            Picks::Fenced { all, .. } => *all,
            Picks::Own(picks) => picks.binary_search(&session).is_ok(),
        }
    }

    /// The fences around what shows whether `session` is picked (empty for `Own`).
    pub fn fences(&self, session: i64) -> (String, String) {
        match self {
            Picks::Fenced { markers, .. } => (markers.picked_begin(session), markers.picked_end()),
            Picks::Own(_) => (String::new(), String::new()),
        }
    }
}

/// What identifies a rendered page: the SHA-256 of its inputs.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct PageKey([u8; 32]);

impl PageKey {
    /// The key of a page rendered from `inputs` (a page name first, so that two pages
    /// never share a key).
    pub fn of<T: Serialize>(inputs: &T) -> PageKey {
        let mut hasher = Sha256::new();
        // Writing into a hasher cannot fail; a value serde refuses is a bug in the key.
        if let Err(e) = serde_json::to_writer(HashWriter(&mut hasher), inputs) {
            tracing::error!(error = %e, "a page key could not be serialized");
        }
        PageKey(hasher.finalize().into())
    }
}

struct HashWriter<'a>(&'a mut Sha256);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

struct Entry {
    stencil: Arc<Stencil>,
    used: u64,
}

#[derive(Default)]
struct Store {
    entries: HashMap<PageKey, Entry>,
    bytes: usize,
    clock: u64,
}

pub struct PageCache {
    /// The markers every stencil of this cache was made with.
    pub markers: Markers,
    budget: usize,
    store: Mutex<Store>,
}

impl PageCache {
    /// A cache holding at most `budget` bytes of pages.
    pub fn new(budget: usize) -> Self {
        Self { markers: Markers::default(), budget, store: Mutex::default() }
    }

    pub fn get(&self, key: &PageKey) -> Option<Arc<Stencil>> {
        let mut store = self.store.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        store.clock += 1;
        let now = store.clock;
        store.entries.get_mut(key).map(|e| {
            e.used = now;
            e.stencil.clone()
        })
    }

    /// Keeps `stencil` under `key`, dropping the least recently used pages beyond the
    /// budget; a page larger than the whole budget is not kept.
    pub fn put(&self, key: PageKey, stencil: Arc<Stencil>) {
        let size = stencil.size();
        if size > self.budget {
            return;
        }
        let mut store = self.store.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        store.clock += 1;
        let used = store.clock;
        if let Some(old) = store.entries.insert(key, Entry { stencil, used }) {
            store.bytes -= old.stencil.size();
        }
        store.bytes += size;
        while store.bytes > self.budget {
            let Some(oldest) = store.entries.iter().min_by_key(|(_, e)| e.used).map(|(k, _)| *k) else {
                break;
            };
            if let Some(gone) = store.entries.remove(&oldest) {
                store.bytes -= gone.stencil.size();
            }
        }
    }

    /// The page under `key` filled for the person of `layout`; on a miss `build` gives the
    /// data of `template` for a layout with holes, rendered once (`picks: None`, a page
    /// without picks) or twice (every session unpicked, then picked) and kept. If the renders
    /// make no stencil, the page is rendered for this person alone and nothing is kept.
    pub fn page<T: Serialize>(
        &self,
        tera: &Tera,
        key: PageKey,
        template: &str,
        layout: &Layout,
        picks: Option<&[i64]>,
        build: impl Fn(Layout, Picks<'_>) -> T,
    ) -> Result<HttpResponse, AppError> {
        let person = layout.person(picks.unwrap_or_default());
        if let Some(stencil) = self.get(&key) {
            return Ok(filled(&stencil, &person));
        }
        let (m, holes) = (&self.markers, layout.with_holes(&self.markers));
        let render_with = |all: bool| {
            render(tera, template, &build(holes.clone(), Picks::Fenced { markers: m, all }))
                .map_err(AppError::Render)
        };
        let off = render_with(false)?;
        let made = match picks {
            Some(_) => Stencil::from_renders(m, &off, &render_with(true)?),
            None => Stencil::new(m, &off),
        };
        match made {
            Ok(stencil) => {
                let stencil = Arc::new(stencil);
                self.put(key, stencil.clone());
                Ok(filled(&stencil, &person))
            }
            Err(e) => {
                tracing::warn!(error = %e, template, "rendering the page for this person alone");
                page(tera, template, &build(layout.clone(), Picks::Own(picks.unwrap_or_default())))
            }
        }
    }

    /// The bytes held now.
    pub fn bytes(&self) -> usize {
        self.store.lock().unwrap_or_else(std::sync::PoisonError::into_inner).bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(cache: &PageCache, bytes: usize) -> Arc<Stencil> {
        Arc::new(Stencil::new(&cache.markers, &"x".repeat(bytes)).expect("a stencil"))
    }

    #[test]
    fn the_least_recently_used_pages_leave_first_and_the_budget_holds() {
        let cache = PageCache::new(100);
        let key = |n: u8| PageKey::of(&("test", n));
        cache.put(key(1), page(&cache, 40));
        cache.put(key(2), page(&cache, 40));
        assert!(cache.get(&key(1)).is_some(), "1 is now the most recently used");
        cache.put(key(3), page(&cache, 40));
        assert!(cache.get(&key(2)).is_none(), "2 was the least recently used");
        assert!(cache.get(&key(1)).is_some() && cache.get(&key(3)).is_some());
        assert_eq!(cache.bytes(), 80);
        cache.put(key(4), page(&cache, 101));
        assert!(cache.get(&key(4)).is_none(), "larger than the budget: not kept");
        assert_eq!(cache.bytes(), 80);
    }

    #[test]
    fn keys_differ_with_any_input() {
        assert_eq!(PageKey::of(&("agenda", 1, "a")), PageKey::of(&("agenda", 1, "a")));
        assert_ne!(PageKey::of(&("agenda", 1, "a")), PageKey::of(&("agenda", 1, "b")));
        assert_ne!(PageKey::of(&("agenda", 1)), PageKey::of(&("session", 1)));
    }
}
