//! The write generation of this process: a counter bumped after every request that may
//! change state (any method but GET, HEAD and OPTIONS), whatever its answer. A cache that
//! notes the generation before its query and keeps the result only while the generation
//! is unchanged sees every write made through this instance at once: the bump comes after
//! the handler's commit and before its answer leaves. Writes made elsewhere (another
//! instance, the CLI) are not seen here; such a cache bounds its age as well (the feeds'
//! access decisions: one second, `delivery::feed_cache`).
//!
//! One counter for every write is coarse on purpose: it cannot miss a write that a finer
//! rule (by table, by meeting) would forget to name, and writes are rare next to reads.

use std::sync::{
    Arc,
    atomic::{AtomicU64, Ordering},
};

use actix_web::{
    Error,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::Method,
    middleware::Next,
    web,
};

use crate::state::AppState;

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

/// Bumps the generation when it is dropped: after the request that may have written is
/// done, failed, panicked or abandoned by its client.
struct BumpWhenDone(Arc<WriteGeneration>);

impl Drop for BumpWhenDone {
    fn drop(&mut self) {
        self.0.bump();
    }
}

/// Bumps the generation when a request that may have written is done.
pub async fn note_writes(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let _bump = (!matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS))
        .then(|| req.app_data::<web::Data<AppState>>().map(|s| BumpWhenDone(s.writes.clone())))
        .flatten();
    next.call(req).await
}
