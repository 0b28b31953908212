//! The agenda's tables: the organizers' draft (tracks, rooms, sessions and their speakers),
//! the published releases with their snapshots, and attendees' picks and last views; what
//! every reader of a meeting's agenda reads first, kept briefly in memory (`outline`).

pub mod guest_notice;
pub mod outline;
pub mod pick;
pub mod release;
pub mod release_memo;
pub mod room;
pub mod session;
pub mod speaker;
pub mod track;
pub mod unscheduled;
