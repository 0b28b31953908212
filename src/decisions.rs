//! Access decisions kept in memory for at most [`TTL`]: "this key opens that", asked of the
//! database at most once a second per key, and at once again after any write through this
//! instance (the [`WriteGeneration`] noted when the query began must still be current).
//!
//! A decision older than [`REFRESH_AFTER`] is still served, and the one look that finds it
//! so is told to ask the database again in the background ([`Look::Refresh`]): under steady
//! load a key's decision is renewed before it expires, so no request waits for the
//! database, and many requests never find it expired at the same instant. A decision is
//! never served once [`TTL`] old, refreshed or not: a revoked key stops working within
//! [`TTL`] on every instance.

use std::{
    borrow::Borrow,
    collections::HashMap,
    hash::Hash,
    sync::{Arc, Mutex, MutexGuard, PoisonError},
    time::{Duration, Instant},
};

use crate::write_generation::WriteGeneration;

/// The longest a decision is served after its query began.
pub const TTL: Duration = Duration::from_secs(1);

/// From this age on, the first look asks for a refresh while the decision still serves.
pub const REFRESH_AFTER: Duration = Duration::from_millis(700);

/// When a query for a decision began.
#[derive(Clone, Copy, Debug)]
pub struct Ticket {
    generation: u64,
    at: Instant,
}

/// What a look finds.
#[derive(Debug, PartialEq, Eq)]
pub enum Look<V> {
    Fresh(V),
    /// Still good; this caller (and only this one) asks the database again and
    /// [`Decisions::remember`]s, [`Decisions::forget`]s or [`Decisions::refresh_failed`]s.
    Refresh(V),
    Miss,
}

struct Entry<V> {
    ticket: Ticket,
    value: V,
    refreshing: bool,
}

pub struct Decisions<K, V> {
    writes: Arc<WriteGeneration>,
    /// A bound on the entries: past it the expired go, and if none has expired, all.
    bound: usize,
    entries: Mutex<HashMap<K, Entry<V>>>,
}

impl<K: Hash + Eq, V: Clone> Decisions<K, V> {
    pub fn new(writes: Arc<WriteGeneration>, bound: usize) -> Self {
        Self { writes, bound, entries: Mutex::default() }
    }

    fn entries(&self) -> MutexGuard<'_, HashMap<K, Entry<V>>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn look<Q: Hash + Eq + ?Sized>(&self, key: &Q) -> Look<V>
    where
        K: Borrow<Q>,
    {
        let generation = self.writes.current();
        let mut entries = self.entries();
        let Some(e) = entries.get_mut(key) else { return Look::Miss };
        let age = e.ticket.at.elapsed();
        if e.ticket.generation != generation || age >= TTL {
            return Look::Miss;
        }
        if age >= REFRESH_AFTER && !e.refreshing {
            e.refreshing = true;
            return Look::Refresh(e.value.clone());
        }
        Look::Fresh(e.value.clone())
    }

    /// Taken before the query whose decision [`Self::remember`] keeps.
    pub fn ticket(&self) -> Ticket {
        Ticket { generation: self.writes.current(), at: Instant::now() }
    }

    /// Keeps a decision, unless one from a later query is kept already.
    pub fn remember(&self, key: K, ticket: Ticket, value: V) {
        let mut entries = self.entries();
        if entries.get(&key).is_some_and(|e| e.ticket.at > ticket.at) {
            return;
        }
        if entries.len() >= self.bound {
            entries.retain(|_, e| e.ticket.at.elapsed() < TTL);
            if entries.len() >= self.bound {
                entries.clear();
            }
        }
        entries.insert(key, Entry { ticket, value, refreshing: false });
    }

    /// The key opens nothing any more.
    pub fn forget<Q: Hash + Eq + ?Sized>(&self, key: &Q)
    where
        K: Borrow<Q>,
    {
        self.entries().remove(key);
    }

    /// A refresh could not ask the database: the next look past [`REFRESH_AFTER`] tries again.
    pub fn refresh_failed<Q: Hash + Eq + ?Sized>(&self, key: &Q)
    where
        K: Borrow<Q>,
    {
        if let Some(e) = self.entries().get_mut(key) {
            e.refreshing = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aged(d: &Decisions<u8, u8>, key: u8, age: Duration) {
        let ticket = Ticket { generation: d.writes.current(), at: Instant::now() - age };
        d.forget(&key);
        d.remember(key, ticket, 7);
    }

    #[test]
    fn a_decision_holds_until_a_write_through_this_instance_or_one_second() {
        let writes = Arc::new(WriteGeneration::default());
        let d = Decisions::new(writes.clone(), 10);
        assert_eq!(d.look(&1), Look::Miss);
        d.remember(1, d.ticket(), 7);
        assert_eq!(d.look(&1), Look::Fresh(7));
        writes.bump();
        assert_eq!(d.look(&1), Look::Miss, "a write since");

        let before = d.ticket();
        writes.bump();
        d.remember(1, before, 7);
        assert_eq!(d.look(&1), Look::Miss, "its query began before a write");

        aged(&d, 1, TTL);
        assert_eq!(d.look(&1), Look::Miss, "one second old");
    }

    #[test]
    fn one_look_is_told_to_refresh_an_ageing_decision_which_serves_meanwhile() {
        let d = Decisions::new(Arc::default(), 10);
        aged(&d, 1, REFRESH_AFTER);
        assert_eq!(d.look(&1), Look::Refresh(7));
        assert_eq!(d.look(&1), Look::Fresh(7), "the refresh is under way");
        d.refresh_failed(&1);
        assert_eq!(d.look(&1), Look::Refresh(7), "asked again after a failed refresh");
        d.remember(1, d.ticket(), 8);
        assert_eq!(d.look(&1), Look::Fresh(8));
        d.forget(&1);
        assert_eq!(d.look(&1), Look::Miss);
    }

    #[test]
    fn an_older_query_does_not_replace_a_newer_decision() {
        let d = Decisions::new(Arc::default(), 10);
        let older = d.ticket();
        d.remember(1, d.ticket(), 8);
        d.remember(1, older, 7);
        assert_eq!(d.look(&1), Look::Fresh(8));
    }

    #[test]
    fn the_bound_holds() {
        let d = Decisions::new(Arc::default(), 2);
        for key in 0..5 {
            d.remember(key, d.ticket(), key);
        }
        assert!(d.entries().len() <= 2);
        assert_eq!(d.look(&4), Look::Fresh(4), "the newest is kept");
    }
}
