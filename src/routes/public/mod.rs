//! Pages anyone may see without signing in: home, sign-in, first-run setup, password reset.

pub mod home;
pub mod invitations;
pub mod login;
pub mod password_reset;
pub mod second_factor;
pub mod setup;
