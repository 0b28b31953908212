//! The API's rate limit per token, in memory (governor, on the application clock so tests
//! move time): a burst of `requests_per_minute`, refilled evenly over the minute. Each
//! instance counts its own requests; behind a load balancer the limit is per instance.

use std::{num::NonZeroU32, time::Duration};

use governor::{
    Quota, RateLimiter, clock::Clock as _, middleware::NoOpMiddleware, state::keyed::DefaultKeyedStateStore,
};

use super::throttle::AppClock;
use crate::clock::Clock;

pub struct ApiRate {
    limiter: RateLimiter<i64, DefaultKeyedStateStore<i64>, AppClock, NoOpMiddleware<Duration>>,
    clock: AppClock,
}

impl ApiRate {
    pub fn new(per_minute: u32, clock: Clock) -> Self {
        let n = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
        let clock = AppClock::new(clock);
        let limiter =
            RateLimiter::new(Quota::per_minute(n), DefaultKeyedStateStore::default(), clock.clone());
        Self { limiter, clock }
    }

    /// Counts a request of the token `token_id`; past the limit, how long until the next
    /// one is allowed (at least a second, as `Retry-After` counts whole seconds).
    pub fn check(&self, token_id: i64) -> Result<(), Duration> {
        let result = self.limiter.check_key(&token_id).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            wait.max(Duration::from_secs(1))
        });
        self.limiter.retain_recent();
        result
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone as _, Utc};

    use super::*;

    #[test]
    fn a_token_gets_its_minute_then_waits_and_others_are_not_affected() {
        let clock = Clock::fixed(Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0).single().expect("a time"));
        let rate = ApiRate::new(3, clock.clone());
        for _ in 0..3 {
            assert_eq!(rate.check(1), Ok(()));
        }
        assert_eq!(rate.check(1), Err(Duration::from_secs(20)));
        assert_eq!(rate.check(2), Ok(()), "another token has its own budget");
        clock.advance(chrono::Duration::seconds(20));
        assert_eq!(rate.check(1), Ok(()));
        assert!(rate.check(1).is_err());
    }
}
