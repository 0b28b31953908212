//! The write generation of this process: a counter bumped after every request that may
//! change state (`middleware::writes` bumps it). A cache that notes the generation before
//! its query and keeps the result only while the generation is unchanged sees every write
//! made through this instance at once: the bump comes after the handler's commit and
//! before its answer leaves. Writes made elsewhere (another instance, the CLI) are not
//! seen here; such a cache bounds its age as well (the feeds' access decisions: one
//! second, `delivery::feed_cache`).
//!
//! One counter for every write is coarse on purpose: it cannot miss a write that a finer
//! rule (by table, by meeting) would forget to name, and writes are rare next to reads.

use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Default, Debug)]
pub struct WriteGeneration(AtomicU64);

impl WriteGeneration {
    pub fn current(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }

    pub fn bump(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}
