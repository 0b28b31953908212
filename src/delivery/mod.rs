//! Calendar delivery: the feed ETag memo (more to come).

mod etags;

pub use etags::{FeedEtags, Inputs};
