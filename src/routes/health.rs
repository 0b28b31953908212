//! `/healthz`: is the database answering, and did it take this instance's writes lately?
//! For load balancers and monitoring. A probe only reads: writing on every probe would
//! load the database and could not tell a refused write from a slow one anyway.

use actix_web::{HttpResponse, web};
use diesel::connection::SimpleConnection as _;

use crate::{db::DbError, middleware::OwnErrorPage, state::AppState};

#[derive(Debug, thiserror::Error)]
enum HealthError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("database did not answer")]
    Query(#[from] diesel::result::Error),
}

pub async fn check(state: web::Data<AppState>) -> HttpResponse {
    let result = state.db.run(|conn| Ok::<_, HealthError>(conn.batch_execute("SELECT 1")?)).await;
    if let Err(e) = result {
        tracing::warn!(error = %crate::error::chain(&e), "health check failed");
        return unavailable("database unavailable\n");
    }
    // Writes failing (locked, disk full, read-only) while reads work: out of rotation for
    // a while after the last refused write, so the balancer sends people elsewhere.
    if state.db.health().refused_within(state.settings.database.unhealthy_after_write_failure_secs) {
        return unavailable("database refused a write recently\n");
    }
    HttpResponse::Ok().content_type("text/plain; charset=utf-8").body("ok\n")
}

/// A plain-text reason for monitoring, kept instead of the HTML error page.
fn unavailable(body: &'static str) -> HttpResponse {
    let mut res = HttpResponse::ServiceUnavailable().content_type("text/plain; charset=utf-8").body(body);
    res.extensions_mut().insert(OwnErrorPage);
    res
}
