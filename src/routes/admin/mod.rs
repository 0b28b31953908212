//! The organizer console (`/admin`): every page here is behind the organizer guard.

pub mod agenda;
pub mod announce;
pub mod audit;
pub mod calendar;
pub mod call;
pub mod dashboard;
pub mod editions;
pub mod feedback;
pub mod invitations;
pub mod listing;
pub mod mail;
pub mod meeting_days;
pub mod meetings;
pub mod organizers;
pub mod practical;
pub mod proposals;
pub mod questions;
pub mod registrations;
pub mod reminders;
pub mod roster;
pub mod teams;
mod zone_options;
