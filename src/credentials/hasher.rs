//! Runs Argon2 on the blocking pool behind a concurrency limit, so a flood of sign-ins
//! cannot exhaust memory (each hash takes 19 MiB) or starve other requests.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use tokio::sync::Semaphore;

use crate::{credentials::password, error::AppError};

#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    wait: Duration,
    /// Password checks done, real or dummy (lets tests see that unknown addresses cost
    /// the same work).
    checks: Arc<AtomicU64>,
    /// New hashes made (lets tests see that a known address costs the same work as a new
    /// one at registration).
    hashes: Arc<AtomicU64>,
}

impl Hasher {
    /// `concurrency` 0 means one hash per CPU core.
    pub fn new(concurrency: usize, wait: Duration) -> Self {
        let n = if concurrency == 0 {
            std::thread::available_parallelism().map_or(2, |n| n.get())
        } else {
            concurrency
        };
        Self { permits: Arc::new(Semaphore::new(n)), wait, checks: Arc::default(), hashes: Arc::default() }
    }

    async fn with_permit<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let permit = tokio::time::timeout(self.wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| AppError::Busy)?
            .map_err(|_| AppError::Busy)?;
        let result = tokio::task::spawn_blocking(move || {
            let result = f();
            drop(permit);
            result
        })
        .await
        .map_err(|e| AppError::Unexpected(e.into()))?;
        Ok(result)
    }

    /// Checks `password` against `hash`, or against the dummy hash when there is no
    /// account, so that unknown addresses cost the same work.
    pub async fn verify(&self, password: String, hash: Option<String>) -> Result<bool, AppError> {
        let checks = self.checks.clone();
        self.with_permit(move || {
            checks.fetch_add(1, Ordering::Relaxed);
            match hash {
                Some(hash) => password::verify(&password, &hash),
                None => {
                    password::verify(&password, password::dummy_hash());
                    false
                }
            }
        })
        .await
    }

    /// How many password checks ran so far.
    pub fn checks(&self) -> u64 {
        self.checks.load(Ordering::Relaxed)
    }

    /// How many new hashes were made so far.
    pub fn hashes(&self) -> u64 {
        self.hashes.load(Ordering::Relaxed)
    }

    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        let hashes = self.hashes.clone();
        self.with_permit(move || {
            hashes.fetch_add(1, Ordering::Relaxed);
            password::hash(&password)
        })
        .await?
        .map_err(|e| AppError::Unexpected(e.into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_check_waits_briefly_for_a_free_slot_then_answers_busy() {
        let hasher = Hasher::new(1, Duration::from_millis(20));
        let (hold, release) = std::sync::mpsc::channel::<()>();
        let holder = {
            let hasher = hasher.clone();
            tokio::spawn(async move { hasher.with_permit(move || release.recv().is_ok()).await })
        };
        while hasher.permits.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        let refused = hasher.verify("a-password-of-some-length".into(), None).await;
        assert!(matches!(refused, Err(AppError::Busy)), "the only slot is taken");
        hold.send(()).expect("the holder waits");
        assert!(matches!(holder.await, Ok(Ok(true))));
        assert!(hasher.verify("a-password-of-some-length".into(), None).await.is_ok(), "free again");
    }
}
