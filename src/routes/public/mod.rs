//! Pages anyone may see without signing in.

pub mod home;
