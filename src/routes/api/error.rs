//! How the API refuses: [`ApiError`], answered as RFC 9457 problem details
//! (`render::problem`) and marked as the handler's own explanation, so the error pages
//! leave it as it is.

use std::time::Duration;

use actix_web::{
    HttpResponse, ResponseError,
    http::{StatusCode, header},
};

use crate::{
    error::{AppError, chain},
    middleware::OwnErrorPage,
    render::problem::{FieldProblem, Problem, generic_detail},
};

/// The one answer to a token that opens nothing: unknown, revoked, expired, of a disabled
/// account, or no token at all. The same words for each, so nobody learns which it was.
pub const UNAUTHORIZED: &str = "A valid API token is needed: send it as `Authorization: Bearer <token>`. Make one on your security page.";

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("no valid token")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden(String),
    #[error("not found")]
    NotFound(String),
    #[error("bad input")]
    BadInput(String, Vec<FieldProblem>),
    #[error("refused")]
    Conflict(String),
    /// A well-formed body the rules refuse until a field is given: the detail, and the
    /// pointer of the missing field.
    #[error("unprocessable")]
    Unprocessable(String, String),
    #[error("rate limited")]
    TooMany(Duration),
    #[error(transparent)]
    Failed(#[from] AppError),
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        ApiError::Failed(e.into())
    }
}

impl From<crate::db::DbError> for ApiError {
    fn from(e: crate::db::DbError) -> Self {
        ApiError::Failed(e.into())
    }
}

impl ApiError {
    /// A 400 about one field.
    pub fn field(pointer: &str, detail: impl Into<String>) -> ApiError {
        let detail = detail.into();
        ApiError::BadInput(detail.clone(), vec![FieldProblem { pointer: pointer.to_owned(), detail }])
    }

    pub fn not_found() -> ApiError {
        ApiError::NotFound(generic_detail(StatusCode::NOT_FOUND).to_owned())
    }

    fn problem(&self) -> Problem {
        let status = self.status_code();
        let detail = match self {
            ApiError::Unauthorized => UNAUTHORIZED.to_owned(),
            ApiError::Forbidden(d) | ApiError::NotFound(d) | ApiError::Conflict(d) => d.clone(),
            ApiError::BadInput(d, _) | ApiError::Unprocessable(d, _) => d.clone(),
            ApiError::TooMany(wait) => {
                format!("Too many requests with this token: try again in {} seconds.", retry_after(*wait))
            }
            ApiError::Failed(_) => generic_detail(status).to_owned(),
        };
        let mut problem = Problem::new(status, Some(detail));
        if let ApiError::BadInput(_, fields) = self {
            problem.errors = fields.clone();
        }
        if let ApiError::Unprocessable(detail, pointer) = self {
            problem.errors = vec![FieldProblem { pointer: pointer.clone(), detail: detail.clone() }];
        }
        problem
    }
}

/// Whole seconds, rounded up: `Retry-After` counts seconds.
fn retry_after(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::BadInput(..) => StatusCode::BAD_REQUEST,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Unprocessable(..) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Failed(AppError::NotFound) => StatusCode::NOT_FOUND,
            ApiError::Failed(AppError::Forbidden) => StatusCode::FORBIDDEN,
            ApiError::Failed(e) if e.status().is_redirection() => StatusCode::UNAUTHORIZED,
            ApiError::Failed(e) => e.status(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if status.is_server_error() {
            tracing::error!(status = status.as_u16(), error = %chain(self), "API request failed");
        }
        let mut res = self.problem().response();
        match self {
            ApiError::Unauthorized => {
                res.headers_mut()
                    .insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
            }
            ApiError::TooMany(wait) => {
                res.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(retry_after(*wait)));
            }
            _ => {}
        }
        res.extensions_mut().insert(OwnErrorPage);
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        assert_eq!(retry_after(Duration::from_secs(20)), 20);
        assert_eq!(retry_after(Duration::from_millis(20_001)), 21);
    }
}
