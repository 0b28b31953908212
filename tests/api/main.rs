//! The integration suite: the real server on a random port with a fresh database per test
//! (SQLite by default; PostgreSQL when TEST_DATABASE_URL is set).

mod agenda_editor;
mod agenda_view;
mod announce;
mod attendee;
mod audit;
mod calendar_output;
mod csrf;
mod dashboard;
mod errors;
mod export;
mod feeds;
mod guards;
mod health;
mod helpers;
mod ical_parsers;
mod invitation_links;
mod meetings;
mod organizers;
mod outbox;
mod password_reset;
mod process;
mod purge;
mod review;
mod roster;
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
