//! csirt-meet: the invitation-only meeting system for the Annual Technical Meeting of
//! CSIRTs with National Responsibility.
//!
//! `cli` parses commands and starts things; `startup` builds the HTTP server around the
//! single route table in `routes`; `db` owns connections to SQLite or PostgreSQL (chosen
//! at run time by the URL); `config` holds typed settings; `outbox` delivers the mail that
//! producers queue through `email` and `models::outbox`.

pub mod attendance;
pub mod auth;
pub mod calendar;
pub mod cli;
pub mod clock;
pub mod config;
pub mod credentials;
pub mod db;
pub mod decisions;
pub mod delivery;
pub mod domain;
pub mod email;
pub mod error;
pub mod input_guard;
pub mod middleware;
pub mod models;
pub mod outbox;
pub mod privacy;
pub mod qr;
pub mod render;
pub mod routes;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod write_generation;
