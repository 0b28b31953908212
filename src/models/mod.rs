//! Database queries, one file per table or aggregate. Functions take a connection and
//! return `QueryResult`; the caller owns the transaction.

pub mod agenda;
pub mod audit;
pub mod calendar_settings;
pub mod feed_token;
pub mod invitation;
pub mod invite_sequence;
pub mod meeting;
pub mod one_time_token;
pub mod outbox;
pub mod registration;
pub mod security_log;
pub mod session;
pub mod stored;
pub mod team;
pub mod team_page;
pub mod team_registry;
pub mod user;
