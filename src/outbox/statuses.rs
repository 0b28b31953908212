//! Delivery statuses written together: the deliveries in flight hand their status here, and
//! one writer at a time writes every status waiting in one transaction (group commit).
//!
//! SQLite lets one writer in at a time, and each write costs a trip to the blocking pool
//! and a commit: written one by one, statuses capped a drain near 300 messages/s on a busy
//! machine whatever the number of SMTP connections. Together, a write costs one trip and
//! one commit for all of them. Each status still counts alone: if the transaction fails,
//! each is written on its own and each delivery learns its own result.

use std::sync::{Arc, Mutex, PoisonError};

use diesel::QueryResult;
use tokio::sync::oneshot;

use crate::db::{self, Db, DbConnection, DbError};

/// One status write: the rows it changed (0: the claim went stale).
pub(super) type Mark = Arc<dyn Fn(&mut DbConnection) -> QueryResult<usize> + Send + Sync>;

struct Waiting {
    mark: Mark,
    done: oneshot::Sender<QueryResult<usize>>,
}

#[derive(Default)]
pub(super) struct Statuses {
    waiting: Mutex<Vec<Waiting>>,
    writer: tokio::sync::Mutex<()>,
}

impl Statuses {
    /// Writes `mark`, with whatever other statuses are waiting when this one's turn comes.
    pub(super) async fn write(&self, db: &Db, mark: Mark) -> Result<usize, DbError> {
        loop {
            let (done, written) = oneshot::channel();
            self.waiting
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(Waiting { mark: mark.clone(), done });
            {
                let _one_writer = self.writer.lock().await;
                let batch = std::mem::take(&mut *self.waiting.lock().unwrap_or_else(PoisonError::into_inner));
                if !batch.is_empty() {
                    // No connection: this one's own status is in the batch, and it gets the error.
                    db.run(move |c| {
                        write_all(c, batch);
                        Ok::<_, DbError>(())
                    })
                    .await?;
                }
            }
            match written.await {
                Ok(result) => {
                    if let Err(e) = &result {
                        db.health().note(e);
                    }
                    return result.map_err(DbError::Query);
                }
                // Its batch found no connection: wait for the writer's turn again.
                Err(_) => continue,
            }
        }
    }
}

fn write_all(c: &mut DbConnection, batch: Vec<Waiting>) {
    let together = db::transaction(c, |c| batch.iter().map(|w| (w.mark)(c)).collect::<QueryResult<Vec<_>>>());
    match together {
        Ok(counts) => {
            for (w, count) in batch.into_iter().zip(counts) {
                let _ = w.done.send(Ok(count));
            }
        }
        Err(_) => {
            for w in batch {
                let result = (w.mark)(c);
                let _ = w.done.send(result);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use diesel::{RunQueryDsl as _, connection::SimpleConnection as _, sql_query};

    use super::*;
    use crate::db::DatabaseUrl;

    fn insert(table: &'static str) -> Mark {
        Arc::new(move |c| sql_query(format!("INSERT INTO {table} VALUES (1)")).execute(c))
    }

    #[tokio::test]
    async fn statuses_written_together_each_learn_their_own_result() {
        let folder = tempfile::tempdir().expect("a folder");
        let url = DatabaseUrl::Sqlite(folder.path().join("t.db").display().to_string());
        let db = Db::connect(&url, 2, Duration::from_secs(5)).expect("a database");
        db.get().expect("a connection").batch_execute("CREATE TABLE t (n INTEGER)").expect("a table");
        let statuses = Statuses::default();

        // The first is written alone; the next two wait and are written together, where the
        // bad one fails the transaction and each is then written on its own.
        let (first, bad, good) = tokio::join!(
            statuses.write(&db, insert("t")),
            statuses.write(&db, insert("nowhere")),
            statuses.write(&db, insert("t")),
        );
        assert_eq!(first.expect("written"), 1);
        assert!(bad.is_err(), "the failing status learns its error");
        assert_eq!(good.expect("written despite the other's failure"), 1);
        let count: i64 = db
            .query(|c| {
                diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>("(SELECT count(*) FROM t)"))
                    .get_result(c)
            })
            .await
            .expect("counted");
        assert_eq!(count, 2, "each good status written once");
    }
}
