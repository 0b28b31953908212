//! Pages anyone may see without signing in: home, sign-in, first-run setup, password reset,
//! invitations, self-registration and address confirmation.

pub mod answers;
pub mod details;
pub mod enroll;
pub mod home;
pub mod invitations;
pub mod login;
pub mod password_reset;
pub mod register;
pub mod second_factor;
pub mod setup;
pub mod verify;
