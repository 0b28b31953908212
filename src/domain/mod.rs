//! Pure rules of the product: no actix, no diesel, tested without a database.

pub mod backoff;
