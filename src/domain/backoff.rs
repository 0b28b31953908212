//! When a failed delivery is tried again: exponential backoff with jitter, so that many
//! messages failing together do not all retry in the same second.

use std::time::Duration;

/// The delay before try number `attempt + 1`, after `attempt` (1-based) failed.
///
/// `base * 2^(attempt-1)`, capped at `max`, then scaled into `[delay/2, delay]` by
/// `jitter`, a random number in `[0, 1)`.
pub fn retry_delay(attempt: u32, base: Duration, max: Duration, jitter: f64) -> Duration {
    let exponent = attempt.saturating_sub(1).min(30);
    let delay = base.saturating_mul(1 << exponent).min(max);
    delay.mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0))
}

/// How long an account waits before its next sign-in, after `failures` in a row:
/// nothing up to `free`, then 30 seconds doubling with each further failure, at most
/// an hour.
pub fn sign_in_delay(failures: u32, free: u32) -> Option<Duration> {
    let over = failures.checked_sub(free)?;
    Some(retry_delay(over + 1, Duration::from_secs(30), Duration::from_secs(3600), 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_waits_only_after_the_free_failures_then_doubles() {
        assert_eq!(sign_in_delay(4, 5), None);
        assert_eq!(sign_in_delay(5, 5), Some(Duration::from_secs(30)));
        assert_eq!(sign_in_delay(6, 5), Some(Duration::from_secs(60)));
        assert_eq!(sign_in_delay(40, 5), Some(Duration::from_secs(3600)));
    }

    const BASE: Duration = Duration::from_secs(30);
    const MAX: Duration = Duration::from_secs(3600);

    #[test]
    fn the_delay_doubles_with_each_attempt() {
        assert_eq!(retry_delay(1, BASE, MAX, 1.0), Duration::from_secs(30));
        assert_eq!(retry_delay(2, BASE, MAX, 1.0), Duration::from_secs(60));
        assert_eq!(retry_delay(3, BASE, MAX, 1.0), Duration::from_secs(120));
    }

    #[test]
    fn the_delay_never_exceeds_the_maximum() {
        assert_eq!(retry_delay(10, BASE, MAX, 1.0), MAX);
        assert_eq!(retry_delay(u32::MAX, BASE, MAX, 1.0), MAX);
    }

    #[test]
    fn jitter_spreads_the_delay_over_its_upper_half() {
        assert_eq!(retry_delay(2, BASE, MAX, 0.0), Duration::from_secs(30));
        assert_eq!(retry_delay(2, BASE, MAX, 0.5), Duration::from_secs(45));
        assert_eq!(retry_delay(0, BASE, MAX, 0.0), Duration::from_secs(15));
    }
}
