//! The ETags of feeds already built, by what their bodies are made of, so that a calendar
//! polling an unchanged feed gets its 304 without the sessions being loaded and the body
//! rendered again. The ETag itself stays a hash of the body (docs/CALENDAR.md F4); this
//! only remembers it. Process memory: a restart starts empty, which costs one build per
//! feed.

use std::{collections::HashMap, sync::Mutex};

use sha2::{Digest as _, Sha256};

/// A bound on remembered feeds; past it the memo starts over (one build per feed again).
const CAPACITY: usize = 20_000;

/// What a feed's body is made of: equal inputs give byte-identical bodies.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Inputs([u8; 32]);

impl Inputs {
    /// `parts` must name everything the body is built from. A published release never
    /// changes, so its id stands for its sessions.
    pub fn of(parts: &[&dyn std::fmt::Debug]) -> Self {
        let mut hasher = Sha256::new();
        for part in parts {
            hasher.update(format!("{part:?}\u{1f}").as_bytes());
        }
        Self(hasher.finalize().into())
    }
}

#[derive(Default)]
pub struct FeedEtags {
    known: Mutex<HashMap<Inputs, String>>,
}

impl FeedEtags {
    pub fn get(&self, inputs: Inputs) -> Option<String> {
        self.known.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(&inputs).cloned()
    }

    pub fn remember(&self, inputs: Inputs, etag: String) {
        let mut known = self.known.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if known.len() >= CAPACITY {
            known.clear();
        }
        known.insert(inputs, etag);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_changed_part_gives_other_inputs() {
        let base = Inputs::of(&[&1_i64, &Some(7_i64), &"all"]);
        assert_eq!(base, Inputs::of(&[&1_i64, &Some(7_i64), &"all"]));
        assert_ne!(base, Inputs::of(&[&1_i64, &Some(8_i64), &"all"]));
        assert_ne!(base, Inputs::of(&[&1_i64, &None::<i64>, &"all"]));
        assert_ne!(Inputs::of(&[&"ab", &"c"]), Inputs::of(&[&"a", &"bc"]), "parts are separated");
    }

    #[test]
    fn the_memo_remembers_and_starts_over_when_full() {
        let etags = FeedEtags::default();
        let first = Inputs::of(&[&0_usize]);
        etags.remember(first, "\"a\"".into());
        assert_eq!(etags.get(first).as_deref(), Some("\"a\""));
        for i in 1..CAPACITY {
            etags.remember(Inputs::of(&[&i]), String::new());
        }
        etags.remember(Inputs::of(&[&CAPACITY]), String::new());
        assert_eq!(etags.get(first), None, "full: started over");
    }
}
