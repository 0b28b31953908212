//! The outbox's per-minute sending limit: a sliding window over the last minute's sends,
//! holding at most `limit` timestamps (none when there is no limit).

use std::collections::VecDeque;

use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Default)]
pub struct SendRate {
    /// Messages per minute; 0 means no limit.
    limit: usize,
    /// When the sends of the last minute happened, oldest first.
    recent: VecDeque<DateTime<Utc>>,
}

impl SendRate {
    pub fn new(limit: u32) -> Self {
        Self { limit: limit as usize, recent: VecDeque::new() }
    }

    /// How many messages may go out at `now`.
    pub fn allowance(&mut self, now: DateTime<Utc>) -> usize {
        if self.limit == 0 {
            return usize::MAX;
        }
        self.forget_before(now);
        self.limit.saturating_sub(self.recent.len())
    }

    /// Notes a send at `now`. Without a limit nothing needs keeping; with one, only the
    /// last minute counts and never more than `limit` sends of it.
    pub fn record(&mut self, now: DateTime<Utc>) {
        if self.limit == 0 {
            return;
        }
        self.forget_before(now);
        if self.recent.len() == self.limit {
            self.recent.pop_front();
        }
        self.recent.push_back(now);
    }

    /// How many timestamps are kept (what the window costs in memory).
    pub fn kept(&self) -> usize {
        self.recent.len()
    }

    fn forget_before(&mut self, now: DateTime<Utc>) {
        let minute_ago = now - Duration::minutes(1);
        while self.recent.front().is_some_and(|t| *t <= minute_ago) {
            self.recent.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_780_000_000 + secs, 0).expect("valid time")
    }

    #[test]
    fn without_a_limit_no_timestamp_is_kept_however_much_is_sent() {
        let mut rate = SendRate::new(0);
        for i in 0..100_000 {
            rate.record(at(i / 1000));
            assert_eq!(rate.allowance(at(i / 1000)), usize::MAX);
        }
        assert_eq!(rate.kept(), 0);
    }

    #[test]
    fn a_limit_counts_the_last_minute_and_keeps_at_most_the_limit() {
        let mut rate = SendRate::new(3);
        assert_eq!(rate.allowance(at(0)), 3);
        rate.record(at(0));
        rate.record(at(10));
        assert_eq!(rate.allowance(at(20)), 1);
        rate.record(at(20));
        assert_eq!(rate.allowance(at(30)), 0);
        for i in 0..1000 {
            rate.record(at(30 + i / 100));
        }
        assert_eq!(rate.kept(), 3, "never more than the limit");
        assert_eq!(rate.allowance(at(60)), 0, "the sends of the last minute still count");
        assert_eq!(rate.allowance(at(100)), 3, "a minute later the window is empty");
        assert_eq!(rate.kept(), 0);
    }
}
