//! Calendar output: the iCalendar text of subscription feeds, invite emails and single-event
//! `.ics` downloads, as pure functions from plain structs (docs/CALENDAR.md is the contract). No
//! database and no HTTP here: the agenda and the routes call these.
//!
//! Built on the `ics` crate for the structure (components, property names, RFC 7986 feed
//! properties, CRLF), wrapped where it falls short (docs/STACK.md): it neither escapes TEXT
//! nor quotes parameter values, and folds at 76 octets, possibly between `\` and the
//! character it escapes. So every value goes through [`text::text`] or [`text::param`]
//! before it reaches the crate, and its output is unfolded and folded again by
//! [`text::refold`]. Wrapping kept the crate's typed properties; the cost is that it writes
//! parameters in alphabetical order (`CN;CUTYPE;PARTSTAT;ROLE;RSVP`), which RFC 5545 allows
//! and no client we target minds.
//!
//! Sessions enter only through [`session::SessionView::to_event`], which applies the TLP
//! rule (T1) before any text is written. [`conformance`] reads any output back for the
//! tests (S1–S5); the integration suite adds independent parsers (tests/parsers).

pub mod conformance;
mod download;
mod event;
mod feed;
pub mod frab;
mod invite;
pub mod session;
mod subject;
pub mod text;

#[cfg(test)]
mod examples;
#[cfg(test)]
mod invite_tests;

pub use download::{day_download, download};
pub use event::{CalendarEvent, EventStatus, When, WhenError};
pub use feed::feed;
pub use invite::{InviteError, InviteKind, Method, Person, invite};
pub use session::SessionView;
pub use subject::subject;

/// One PRODID for everything we write (S4): names the product, not the installation.
pub const PRODID: &str = "-//csirt-meet//csirt-meet calendar//EN";
