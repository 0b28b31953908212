//! Bumps the process's write generation (`write_generation`) after every request that may
//! change state (any method but GET, HEAD and OPTIONS), whatever its answer, so that the
//! caches that check it see every write made through this instance at once.

use std::sync::Arc;

use actix_web::{
    Error,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::Method,
    middleware::Next,
    web,
};

use crate::{state::AppState, write_generation::WriteGeneration};

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
