//! Accounts and access: password hashing, server-side sessions, CSRF, role guards, login
//! throttling, second factor.

pub mod guard;
pub mod hasher;
pub mod password;
pub mod reauth;
pub mod security_log;
pub mod session;
pub mod setup;
pub mod throttle;
