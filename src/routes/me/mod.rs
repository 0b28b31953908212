//! Pages of the signed-in person: `/me`, their registrations, `/me/security` and
//! `/me/privacy`.

pub mod agenda;
pub mod api_tokens;
pub mod badge;
pub mod calendar;
pub mod export;
pub mod home;
pub mod offer;
pub mod openpgp;
pub mod privacy;
pub mod registration;
pub mod security;
pub mod sharing;
pub mod two_step;
pub mod withdraw;
