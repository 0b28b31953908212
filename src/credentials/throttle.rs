//! Sign-in throttling per IP address, in memory (governor). Per-account throttling lives
//! in the database (`users.failed_logins`), so every instance shares it.

use std::{
    collections::HashMap,
    net::IpAddr,
    num::NonZeroU32,
    sync::{Mutex, PoisonError},
    time::Duration,
};

use actix_web::HttpRequest;
use chrono::{DateTime, Utc};
use governor::{
    Quota, RateLimiter,
    clock::{Clock as GovernorClock, Reference as _},
    middleware::NoOpMiddleware,
    state::keyed::DefaultKeyedStateStore,
};

use crate::{clock::Clock, config::Settings};

/// The application clock as governor's clock, so tests can move time.
#[derive(Clone, Debug)]
pub struct AppClock(Clock);

impl AppClock {
    pub fn new(clock: Clock) -> Self {
        AppClock(clock)
    }
}

impl GovernorClock for AppClock {
    type Instant = Duration;

    fn now(&self) -> Duration {
        let now = self.0.now();
        Duration::new(now.timestamp().max(0) as u64, now.timestamp_subsec_nanos())
    }
}

pub struct IpThrottle {
    limiter: RateLimiter<IpAddr, DefaultKeyedStateStore<IpAddr>, AppClock, NoOpMiddleware<Duration>>,
    clock: Clock,
    blocked: Mutex<HashMap<IpAddr, DateTime<Utc>>>,
}

impl IpThrottle {
    /// Allows `per_5min` failures in a burst, refilled at the same rate over 5 minutes.
    pub fn new(per_5min: u32, clock: Clock) -> Self {
        let burst = NonZeroU32::new(per_5min.max(1)).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(Duration::from_secs(300) / burst.get())
            .unwrap_or_else(|| Quota::per_minute(NonZeroU32::MIN))
            .allow_burst(burst);
        let limiter = RateLimiter::new(quota, DefaultKeyedStateStore::default(), AppClock(clock.clone()));
        Self { limiter, clock, blocked: Mutex::default() }
    }

    /// How long `ip` must still wait, if it is blocked.
    pub fn blocked_for(&self, ip: IpAddr) -> Option<Duration> {
        let ip = network(ip);
        let mut blocked = self.blocked.lock().unwrap_or_else(PoisonError::into_inner);
        let now = self.clock.now();
        match blocked.get(&ip) {
            Some(until) if *until > now => (*until - now).to_std().ok(),
            Some(_) => {
                blocked.remove(&ip);
                None
            }
            None => None,
        }
    }

    /// Counts a failed sign-in from `ip`; past the quota the address is blocked.
    pub fn failed(&self, ip: IpAddr) {
        let ip = network(ip);
        if let Err(not_until) = self.limiter.check_key(&ip) {
            let clock = AppClock(self.clock.clone());
            let wait = not_until.earliest_possible().duration_since(clock.now());
            let until =
                self.clock.now() + chrono::Duration::from_std(Duration::from(wait)).unwrap_or_default();
            self.blocked.lock().unwrap_or_else(PoisonError::into_inner).insert(ip, until);
        }
        self.limiter.retain_recent();
    }
}

/// What the throttle counts by: an IPv4 address, or the /64 network of an IPv6 one (one
/// host usually holds a whole /64 and can pick any address in it).
fn network(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) if v6.to_ipv4_mapped().is_none() => {
            IpAddr::V6(std::net::Ipv6Addr::from(u128::from(v6) & !u128::from(u64::MAX)))
        }
        IpAddr::V6(v6) => IpAddr::V4(v6.to_ipv4_mapped().unwrap_or(std::net::Ipv4Addr::UNSPECIFIED)),
        v4 => v4,
    }
}

/// The client's address: the peer, or the last address a trusted proxy saw
/// (`X-Forwarded-For` is believed only from a configured proxy).
pub fn client_ip(req: &HttpRequest, settings: &Settings) -> IpAddr {
    let peer = req.peer_addr().map_or(IpAddr::from([127, 0, 0, 1]), |a| a.ip());
    if !settings.auth.trusted_proxies.contains(&peer) {
        return peer;
    }
    let forwarded = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok()).unwrap_or("");
    forwarded
        .split(',')
        .rev()
        .filter_map(|a| a.trim().parse::<IpAddr>().ok())
        .find(|a| !settings.auth.trusted_proxies.contains(a))
        .unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(raw: &str) -> IpAddr {
        raw.parse().expect("an address")
    }

    #[test]
    fn ipv6_addresses_of_one_64_network_count_together() {
        assert_eq!(network(ip("2001:db8:1:2:aaaa::1")), ip("2001:db8:1:2::"));
        assert_eq!(network(ip("2001:db8:1:2:ffff:ffff:ffff:ffff")), ip("2001:db8:1:2::"));
        assert_ne!(network(ip("2001:db8:1:3::1")), network(ip("2001:db8:1:2::1")));
    }

    #[test]
    fn ipv4_addresses_count_alone_also_when_mapped() {
        assert_eq!(network(ip("192.0.2.7")), ip("192.0.2.7"));
        assert_eq!(network(ip("::ffff:192.0.2.7")), ip("192.0.2.7"));
    }

    #[test]
    fn a_blocked_network_is_blocked_for_all_its_addresses() {
        let throttle = IpThrottle::new(2, Clock::fixed(chrono::Utc::now()));
        for _ in 0..3 {
            throttle.failed(ip("2001:db8::1"));
        }
        assert!(throttle.blocked_for(ip("2001:db8::ffff")).is_some());
        assert!(throttle.blocked_for(ip("2001:db8:0:1::1")).is_none());
    }
}
