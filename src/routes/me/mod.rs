//! Pages of the signed-in person: `/me` and `/me/security`.

pub mod calendar;
pub mod home;
pub mod security;
