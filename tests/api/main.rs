//! The integration suite: the real server on a random port with a fresh database per test
//! (SQLite by default; PostgreSQL when TEST_DATABASE_URL is set).

mod attendee;
mod csrf;
mod errors;
mod guards;
mod health;
mod helpers;
mod meetings;
mod organizers;
mod outbox;
mod password_reset;
mod process;
mod schema;
mod second_factor;
mod security_headers;
mod self_registration;
mod setup_link;
mod shutdown;
mod sign_in;
mod smtp_sink;
mod teams;
mod throttle;
mod vetting;
