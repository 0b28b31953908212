//! Calendar delivery: how the product's calendar objects reach people. The mapping of
//! stored rows to calendar events ([`objects`]), invites by email with their
//! per-attendee SEQUENCE ([`invites`]), the answer to a feed fetch ([`feed`]) and
//! the feed bodies and access decisions kept in memory ([`FeedCache`]).
//!
//! It sits between `calendar` (pure iCalendar text, which knows no database) and the
//! routes: it reads through `models`, queues mail through an [`crate::email::Composer`] (never
//! the whole `AppState`), and fails with its own [`DeliveryError`], which turns into the
//! app's error in one place.

pub mod feed;
pub mod invites;
pub mod objects;
pub mod schedule;
pub mod speakers;

pub mod feed_cache;

pub use feed_cache::{FeedCache, Inputs};

use crate::{
    calendar::{InviteError, WhenError},
    db::DbError,
    domain::email::EmailError,
    error::AppError,
};

#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    #[error("database query failed")]
    Database(#[from] diesel::result::Error),
    #[error("database unavailable")]
    Unavailable(#[from] DbError),
    #[error("the invite email could not be rendered")]
    Render(#[from] tera::Error),
    #[error("a stored address is not one a calendar accepts")]
    Address(#[from] EmailError),
    #[error("a stored date range is not a calendar event")]
    When(#[from] WhenError),
    #[error("the invite breaks a calendar rule")]
    Invite(#[from] InviteError),
}

/// Database failures answer as everywhere (`AppError`'s policy: not found, conflict,
/// refused write); a template that fails is a render error; a stored value that makes no
/// calendar object is a bug (500), its cause kept for the log.
impl From<DeliveryError> for AppError {
    fn from(e: DeliveryError) -> Self {
        match e {
            DeliveryError::Database(e) => e.into(),
            DeliveryError::Unavailable(e) => e.into(),
            DeliveryError::Render(e) => AppError::Render(e),
            e => AppError::Unexpected(e.into()),
        }
    }
}
