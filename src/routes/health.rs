//! `/healthz`: is the database answering? For load balancers and monitoring.

use actix_web::{HttpResponse, web};
use diesel::connection::SimpleConnection as _;

use crate::{db::DbError, startup::AppState};

#[derive(Debug, thiserror::Error)]
enum HealthError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("database did not answer")]
    Query(#[from] diesel::result::Error),
}

pub async fn check(state: web::Data<AppState>) -> HttpResponse {
    let result = state.db.run(|conn| Ok::<_, HealthError>(conn.batch_execute("SELECT 1")?)).await;
    match result {
        Ok(()) => HttpResponse::Ok().content_type("text/plain; charset=utf-8").body("ok\n"),
        Err(e) => {
            tracing::warn!(error = %crate::error::chain(&e), "health check failed");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain; charset=utf-8")
                .body("database unavailable\n")
        }
    }
}
