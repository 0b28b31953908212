//! The sessions of recent releases, read once: a release is never changed after it is
//! published, so its snapshot can be kept in memory and shared by every page that shows
//! it. The release row itself is still read on every request (which release is the latest
//! is the database's to say); only the sessions behind it come from here.

use std::sync::{Arc, Mutex};

use super::release::{self, Release, ReleasedSession};
use crate::db::DbConnection;

/// How many releases are kept (the latest of a few meetings; older ones are rarely read).
const KEPT: usize = 8;

#[derive(Default)]
pub struct ReleaseMemo {
    /// Most recently used last.
    kept: Mutex<Vec<(Release, Arc<Vec<ReleasedSession>>)>>,
}

/// The same release: its id alone could come back in SQLite after a meeting was deleted.
fn same(a: &Release, b: &Release) -> bool {
    (a.id, a.meeting_id, a.number, a.published_at) == (b.id, b.meeting_id, b.number, b.published_at)
}

impl ReleaseMemo {
    /// The sessions of `r` in time order, read from the database the first time.
    pub fn sessions(
        &self,
        c: &mut DbConnection,
        r: &Release,
    ) -> diesel::QueryResult<Arc<Vec<ReleasedSession>>> {
        {
            let mut kept = self.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some(at) = kept.iter().position(|(k, _)| same(k, r)) {
                let hit = kept.remove(at);
                let sessions = hit.1.clone();
                kept.push(hit);
                return Ok(sessions);
            }
        }
        let sessions = Arc::new(release::sessions(c, r.id)?);
        let mut kept = self.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if !kept.iter().any(|(k, _)| same(k, r)) {
            if kept.len() >= KEPT {
                kept.remove(0);
            }
            kept.push((r.clone(), sessions.clone()));
        }
        Ok(sessions)
    }
}
