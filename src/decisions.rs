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
//!
//! One question per key at a time: while one caller asks the database for a key (a
//! refresh, or the first look that found nothing), every look that finds no decision to
//! serve waits for that answer ([`Look::Wait`]) instead of asking too. Without that, a
//! refresh slower than `TTL - REFRESH_AFTER` (a loaded machine, a new connection) let
//! every request of that moment ask at once, and they queued for the pool for a second
//! (issue 16). A waiter only joins a question asked since the last write through this
//! instance; an asker that gives up (its request cancelled, the database failing) wakes its
//! waiters with no answer, and one of them asks again.

use std::{
    borrow::Borrow,
    collections::HashMap,
    hash::Hash,
    sync::{Arc, Mutex, MutexGuard, PoisonError},
    time::{Duration, Instant},
};

use tokio::sync::watch;

use crate::write_generation::WriteGeneration;

/// The longest a decision is served after its query began.
pub const TTL: Duration = Duration::from_secs(1);

/// From this age on, the first look asks for a refresh while the decision still serves.
/// Half the [`TTL`]: a renewal has half a second before the decision expires (on a loaded
/// 2-core machine one took 300 ms to get a PostgreSQL connection; at 0.7 s that was the
/// whole margin).
pub const REFRESH_AFTER: Duration = Duration::from_millis(500);

/// When a query for a decision began.
#[derive(Clone, Copy, Debug)]
pub struct Ticket {
    generation: u64,
    at: Instant,
}

/// What the asker of a key publishes: nothing yet, then the value or `None` (the key opens
/// nothing).
type Published<V> = Option<Option<V>>;

/// What a look finds.
#[derive(Debug)]
pub enum Look<V> {
    Fresh(V),
    /// Still good; this caller (and only this one) asks the database again and
    /// [`Decisions::answer`]s (or drops the [`Asking`]: the next look asks again).
    Refresh(V, Asking<V>),
    /// Nothing to serve, and nobody is asking: this caller asks and [`Decisions::answer`]s.
    Ask(Asking<V>),
    /// Nothing to serve; another caller is asking: [`Waiting::answer`].
    Wait(Waiting<V>),
}

/// The right and duty to ask the database for a key; dropped unanswered, it releases the
/// waiters with no answer.
#[derive(Debug)]
pub struct Asking<V> {
    id: u64,
    ticket: Ticket,
    publish: watch::Sender<Published<V>>,
}

/// A look waiting for another caller's answer.
#[derive(Debug)]
pub struct Waiting<V>(watch::Receiver<Published<V>>);

impl<V: Clone> Waiting<V> {
    /// The asker's answer (`Some(None)`: the key opens nothing), or `None` if it gave up.
    pub async fn answer(mut self) -> Option<Option<V>> {
        self.0.wait_for(Option::is_some).await.ok().and_then(|v| v.clone())
    }
}

/// What [`Decisions::find`] finds.
enum Found<V> {
    /// [`Look::Fresh`] or [`Look::Refresh`].
    Serve(Look<V>),
    /// No decision to serve; the question under way, if any.
    Missing { waiting: Option<watch::Receiver<Published<V>>> },
}

struct Entry<V> {
    ticket: Ticket,
    value: V,
}

/// A question under way for a key.
struct Asked<V> {
    id: u64,
    generation: u64,
    answer: watch::Receiver<Published<V>>,
}

impl<V> Asked<V> {
    /// Whether waiting for it can still bring an answer useful at `generation`.
    fn joinable(&self, generation: u64) -> bool {
        self.generation == generation && self.answer.has_changed().is_ok()
    }
}

struct Kept<K, V> {
    entries: HashMap<K, Entry<V>>,
    asked: HashMap<K, Asked<V>>,
    next_id: u64,
}

impl<K, V> Default for Kept<K, V> {
    fn default() -> Self {
        Self { entries: HashMap::new(), asked: HashMap::new(), next_id: 0 }
    }
}

pub struct Decisions<K, V> {
    writes: Arc<WriteGeneration>,
    /// A bound on the entries (and on the questions under way): past it the expired go,
    /// and if none has expired, all.
    bound: usize,
    kept: Mutex<Kept<K, V>>,
}

impl<K: Hash + Eq + Clone, V: Clone> Decisions<K, V> {
    pub fn new(writes: Arc<WriteGeneration>, bound: usize) -> Self {
        Self { writes, bound, kept: Mutex::default() }
    }

    fn kept(&self) -> MutexGuard<'_, Kept<K, V>> {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// What there is for `key`: a decision to serve (and whether this caller renews it),
    /// or the question this caller asks or waits for.
    pub fn look<Q: Hash + Eq + ?Sized + ToOwned<Owned = K>>(&self, key: &Q) -> Look<V>
    where
        K: Borrow<Q>,
    {
        let generation = self.writes.current();
        let mut kept = self.kept();
        match self.find(&mut kept, key, generation) {
            Found::Serve(look) => look,
            Found::Missing { waiting: Some(answer) } => Look::Wait(Waiting(answer)),
            Found::Missing { waiting: None } => Look::Ask(self.ask(&mut kept, key.to_owned(), generation)),
        }
    }

    /// The decision to serve for `key`, if there is one, with the duty to renew it when it
    /// is due ([`Look::Refresh`]); `None` asks nothing and waits for nothing.
    pub fn serving<Q: Hash + Eq + ?Sized + ToOwned<Owned = K>>(
        &self,
        key: &Q,
    ) -> Option<(V, Option<Asking<V>>)>
    where
        K: Borrow<Q>,
    {
        let generation = self.writes.current();
        match self.find(&mut self.kept(), key, generation) {
            Found::Serve(Look::Fresh(value)) => Some((value, None)),
            Found::Serve(Look::Refresh(value, asking)) => Some((value, Some(asking))),
            Found::Serve(_) | Found::Missing { .. } => None,
        }
    }

    fn find<Q: Hash + Eq + ?Sized + ToOwned<Owned = K>>(
        &self,
        kept: &mut Kept<K, V>,
        key: &Q,
        generation: u64,
    ) -> Found<V>
    where
        K: Borrow<Q>,
    {
        let waiting = kept.asked.get(key).filter(|a| a.joinable(generation)).map(|a| a.answer.clone());
        if let Some(e) = kept.entries.get(key) {
            let age = e.ticket.at.elapsed();
            if e.ticket.generation == generation && age < TTL {
                let value = e.value.clone();
                if age < REFRESH_AFTER || waiting.is_some() {
                    return Found::Serve(Look::Fresh(value));
                }
                return Found::Serve(Look::Refresh(value, self.ask(kept, key.to_owned(), generation)));
            }
        }
        Found::Missing { waiting }
    }

    /// The right to ask for `key` whoever else is asking (a caller that has waited enough).
    pub fn asking(&self, key: K) -> Asking<V> {
        let generation = self.writes.current();
        self.ask(&mut self.kept(), key, generation)
    }

    fn ask(&self, kept: &mut Kept<K, V>, key: K, generation: u64) -> Asking<V> {
        if kept.asked.len() >= self.bound {
            kept.asked.retain(|_, a| a.joinable(generation));
            if kept.asked.len() >= self.bound {
                kept.asked.clear();
            }
        }
        let (publish, answer) = watch::channel(None);
        let id = kept.next_id;
        kept.next_id += 1;
        kept.asked.insert(key, Asked { id, generation, answer });
        Asking { id, ticket: Ticket { generation, at: Instant::now() }, publish }
    }

    /// The database's answer for `key` (`None`: it opens nothing): kept, and given to the
    /// looks waiting for it.
    pub fn answer(&self, key: K, asking: Asking<V>, value: Option<V>) {
        let mut kept = self.kept();
        if kept.asked.get(&key).is_some_and(|a| a.id == asking.id) {
            kept.asked.remove(&key);
        }
        match &value {
            Some(v) => self.keep(&mut kept, key, asking.ticket, v.clone()),
            None => {
                kept.entries.remove(&key);
            }
        }
        drop(kept);
        asking.publish.send_replace(Some(value));
    }

    /// Taken before a query whose decision [`Self::remember`] keeps (the tests' way of
    /// setting a decision's age; callers ask through [`Look::Ask`]).
    #[cfg(test)]
    fn ticket(&self) -> Ticket {
        Ticket { generation: self.writes.current(), at: Instant::now() }
    }

    /// Keeps a decision, unless one from a later query is kept already.
    #[cfg(test)]
    fn remember(&self, key: K, ticket: Ticket, value: V) {
        self.keep(&mut self.kept(), key, ticket, value);
    }

    fn keep(&self, kept: &mut Kept<K, V>, key: K, ticket: Ticket, value: V) {
        let entries = &mut kept.entries;
        if entries.get(&key).is_some_and(|e| e.ticket.at > ticket.at) {
            return;
        }
        if entries.len() >= self.bound {
            entries.retain(|_, e| e.ticket.at.elapsed() < TTL);
            if entries.len() >= self.bound {
                entries.clear();
            }
        }
        entries.insert(key, Entry { ticket, value });
    }

    /// The key opens nothing any more.
    pub fn forget<Q: Hash + Eq + ?Sized>(&self, key: &Q)
    where
        K: Borrow<Q>,
    {
        self.kept().entries.remove(key);
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

    fn fresh(look: Look<u8>) -> Option<u8> {
        if let Look::Fresh(v) = look { Some(v) } else { None }
    }

    fn asks(look: Look<u8>) -> Asking<u8> {
        match look {
            Look::Ask(a) | Look::Refresh(_, a) => a,
            other => panic!("expected to be told to ask, got {other:?}"),
        }
    }

    fn waits(look: Look<u8>) -> Waiting<u8> {
        if let Look::Wait(w) = look { w } else { panic!("expected to wait, got {look:?}") }
    }

    #[test]
    fn a_decision_holds_until_a_write_through_this_instance_or_one_second() {
        let writes = Arc::new(WriteGeneration::default());
        let d = Decisions::new(writes.clone(), 10);
        let asking = asks(d.look(&1));
        d.answer(1, asking, Some(7));
        assert_eq!(fresh(d.look(&1)), Some(7));
        writes.bump();
        drop(asks(d.look(&1)));

        let before = d.ticket();
        writes.bump();
        d.remember(1, before, 7);
        drop(asks(d.look(&1)));

        aged(&d, 1, TTL);
        asks(d.look(&1));
    }

    #[test]
    fn one_look_is_told_to_refresh_an_ageing_decision_which_serves_meanwhile() {
        let d = Decisions::new(Arc::default(), 10);
        aged(&d, 1, REFRESH_AFTER);
        let Look::Refresh(7, asking) = d.look(&1) else { panic!("a refresh") };
        assert_eq!(fresh(d.look(&1)), Some(7), "the refresh is under way");
        drop(asking);
        let Look::Refresh(7, asking) = d.look(&1) else { panic!("asked again after a failed refresh") };
        d.answer(1, asking, Some(8));
        assert_eq!(fresh(d.look(&1)), Some(8));
        aged(&d, 1, REFRESH_AFTER);
        let Look::Refresh(7, asking) = d.look(&1) else { panic!("a refresh") };
        d.answer(1, asking, None);
        asks(d.look(&1));
    }

    #[test]
    fn while_one_asks_the_others_wait_for_its_answer() {
        let d = Decisions::new(Arc::default(), 10);
        let asking = asks(d.look(&1));
        let (first, second) = (waits(d.look(&1)), waits(d.look(&1)));
        asks(d.look(&2));
        d.answer(1, asking, Some(9));
        let rt = tokio::runtime::Builder::new_current_thread().build().expect("a runtime");
        assert_eq!(rt.block_on(first.answer()), Some(Some(9)));
        assert_eq!(rt.block_on(second.answer()), Some(Some(9)));
        assert_eq!(fresh(d.look(&1)), Some(9), "and the answer is kept");

        // An expired decision whose refresh is still under way: the looks wait for it.
        aged(&d, 1, REFRESH_AFTER);
        let refresh = asks(d.look(&1));
        aged(&d, 1, TTL);
        let late = waits(d.look(&1));
        d.answer(1, refresh, None);
        assert_eq!(rt.block_on(late.answer()), Some(None), "the key opens nothing");
    }

    #[test]
    fn serving_asks_nothing_when_there_is_nothing_to_serve() {
        let d = Decisions::new(Arc::default(), 10);
        assert!(d.serving(&1).is_none());
        asks(d.look(&1));
        aged(&d, 1, REFRESH_AFTER);
        let Some((7, Some(_renewing))) = d.serving(&1) else { panic!("served, and told to renew") };
        assert!(matches!(d.serving(&1), Some((7, None))), "renewed by one caller only");
    }

    #[test]
    fn an_asker_that_gives_up_releases_its_waiters_and_the_next_look_asks() {
        let d = Decisions::new(Arc::default(), 10);
        let asking = asks(d.look(&1));
        let waiting = waits(d.look(&1));
        drop(asking);
        let rt = tokio::runtime::Builder::new_current_thread().build().expect("a runtime");
        assert_eq!(rt.block_on(waiting.answer()), None);
        asks(d.look(&1));
    }

    #[test]
    fn no_look_waits_for_a_question_asked_before_a_write() {
        let writes = Arc::new(WriteGeneration::default());
        let d = Decisions::new(writes.clone(), 10);
        let before = asks(d.look(&1));
        writes.bump();
        let after = asks(d.look(&1));
        waits(d.look(&1));
        d.answer(1, before, Some(7));
        assert!(fresh(d.look(&1)).is_none(), "asked before the write: not served");
        d.answer(1, after, Some(8));
        assert_eq!(fresh(d.look(&1)), Some(8));
    }

    #[test]
    fn an_older_query_does_not_replace_a_newer_decision() {
        let d = Decisions::new(Arc::default(), 10);
        let older = d.ticket();
        d.remember(1, d.ticket(), 8);
        d.remember(1, older, 7);
        assert_eq!(fresh(d.look(&1)), Some(8));
    }

    #[test]
    fn the_bound_holds() {
        let d = Decisions::new(Arc::default(), 2);
        for key in 0..5 {
            d.remember(key, d.ticket(), key);
            let _unanswered = asks(d.look(&(key + 10)));
        }
        assert!(d.kept().entries.len() <= 2);
        assert!(d.kept().asked.len() <= 2);
        assert_eq!(fresh(d.look(&4)), Some(4), "the newest is kept");
    }
}
