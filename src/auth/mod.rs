//! Accounts and access: server-side sessions, CSRF, role guards, asking the password
//! again, the first-run setup link, the security log. Password hashing and the sign-in
//! throttle are below it, in `credentials`.

pub mod guard;
mod layout;
mod multipart_csrf;
pub mod reauth;
pub mod security_log;
pub mod session;
pub mod setup;
