//! Checking what a person presents, below sessions and guards: Argon2id password hashes,
//! the hasher that runs them on the blocking pool behind a concurrency cap, and the
//! per-address throttle on failed checks, and the API's rate limit per token (`api_rate`). `state::AppState` holds the hasher and the
//! throttle; `auth` and the sign-in routes use them.

pub mod api_rate;
pub mod hasher;
pub mod password;
pub mod throttle;
