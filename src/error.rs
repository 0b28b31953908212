//! The one error type of the HTTP layer. The status says what kind of failure it was; the
//! body is a fixed page (see `middleware::error_pages`); the cause chain goes to the log,
//! never to the person. The answer itself is built in `render` (its `ResponseError`
//! implementation), which also holds the redirects.

use std::fmt::Write as _;

use actix_web::http::StatusCode;

use crate::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("sign-in required")]
    SignInRequired,
    #[error("second sign-in step required")]
    SecondStepRequired(&'static str),
    #[error("too many password checks at once")]
    Busy,
    #[error("conflicting change")]
    Conflict(#[source] diesel::result::Error),
    #[error("database unavailable")]
    Unavailable(#[source] DbError),
    #[error("database query failed")]
    Database(#[source] diesel::result::Error),
    #[error("page could not be rendered")]
    Render(#[source] tera::Error),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => Self::NotFound,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => Self::Conflict(e),
            // Locked too long, disk full, read-only: nothing wrong with the request, so
            // "try again" (503) rather than "something went wrong" (500).
            e if crate::db::refused(&e) => Self::Unavailable(DbError::Query(e)),
            e => Self::Database(e),
        }
    }
}

impl From<DbError> for AppError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Query(e) => e.into(),
            e => Self::Unavailable(e),
        }
    }
}

impl AppError {
    /// The status of the answer: what kind of failure it was. How the answer looks (a
    /// bare status for `middleware::error_page` to dress, or a redirect to sign in) is
    /// `render`'s `ResponseError` implementation.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::SignInRequired | Self::SecondStepRequired(_) => StatusCode::SEE_OTHER,
            Self::Busy => StatusCode::SERVICE_UNAVAILABLE,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Database(_) | Self::Render(_) | Self::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// "outer: inner: innermost", for the log.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let _ = write!(out, ": {s}");
        source = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diesel_errors_map_to_statuses() {
        assert_eq!(AppError::from(diesel::result::Error::NotFound).status(), StatusCode::NOT_FOUND);
        assert_eq!(
            AppError::from(diesel::result::Error::RollbackTransaction).status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }

    #[test]
    fn a_write_the_database_refused_is_503_not_500() {
        use diesel::result::{DatabaseErrorKind, Error};
        let locked =
            Error::DatabaseError(DatabaseErrorKind::Unknown, Box::new("database is locked".to_owned()));
        assert_eq!(AppError::from(locked).status(), StatusCode::SERVICE_UNAVAILABLE);
        let read_only = Error::DatabaseError(DatabaseErrorKind::ReadOnlyTransaction, Box::new(String::new()));
        assert_eq!(AppError::from(read_only).status(), StatusCode::SERVICE_UNAVAILABLE);
    }

    #[test]
    fn the_chain_keeps_every_cause() {
        let e = AppError::Unexpected(anyhow::anyhow!("disk full").context("writing the mail file"));
        assert_eq!(chain(&e), "writing the mail file: disk full");
    }
}
