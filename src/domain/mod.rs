//! Pure rules of the product: no actix, no diesel, tested without a database.

pub mod backoff;
pub mod email;
pub mod password;
pub mod token;
pub mod totp;
