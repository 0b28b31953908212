//! The integration suite: the real server on a random port with a fresh database per test
//! (SQLite by default; PostgreSQL when TEST_DATABASE_URL is set).

mod errors;
mod health;
mod helpers;
mod outbox;
mod process;
mod schema;
mod security_headers;
mod shutdown;
mod smtp_sink;
