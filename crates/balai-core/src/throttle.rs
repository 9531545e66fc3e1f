//! A per-client request budget kept in memory: at most `max` requests per `window` from one
//! key (a client IP), for cheap public look-ups where writing a row per request would cost
//! more than the look-up itself. Each instance counts on its own, so behind N instances a
//! client gets up to N budgets; the budget is sized for that.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Beyond this many keys, expired windows are dropped before a new key is added.
const PRUNE_AT: usize = 50_000;

#[derive(Debug)]
pub struct RateLimiter {
    max: u32,
    window: Duration,
    hits: Mutex<HashMap<String, (Instant, u32)>>,
}

impl RateLimiter {
    pub fn new(max: u32, window: Duration) -> Self {
        RateLimiter {
            max,
            window,
            hits: Mutex::new(HashMap::new()),
        }
    }

    /// Count one request from `key`: `Err(seconds)` when over budget, the seconds until the
    /// window ends (for `Retry-After`).
    pub fn hit(&self, key: &str) -> Result<(), u64> {
        self.hit_at(key, Instant::now())
    }

    /// The seconds until `key` may be counted again if its budget is spent now; nothing is
    /// counted (for budgets of failures, checked before the attempt and spent after it fails).
    pub fn exhausted(&self, key: &str) -> Option<u64> {
        self.exhausted_at(key, Instant::now())
    }

    fn exhausted_at(&self, key: &str, now: Instant) -> Option<u64> {
        let hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        let (start, count) = hits.get(key)?;
        let elapsed = now.duration_since(*start);
        (elapsed < self.window && *count >= self.max)
            .then(|| self.window.saturating_sub(elapsed).as_secs().max(1))
    }

    fn hit_at(&self, key: &str, now: Instant) -> Result<(), u64> {
        let mut hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        if hits.len() >= PRUNE_AT && !hits.contains_key(key) {
            let window = self.window;
            hits.retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let (start, count) = hits.entry(key.to_string()).or_insert((now, 0));
        if now.duration_since(*start) >= self.window {
            *start = now;
            *count = 0;
        }
        if *count >= self.max {
            let left = self.window.saturating_sub(now.duration_since(*start));
            return Err(left.as_secs().max(1));
        }
        *count += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_per_key_and_window() {
        let l = RateLimiter::new(3, Duration::from_secs(60));
        let t = Instant::now();
        for _ in 0..3 {
            assert_eq!(l.hit_at("a", t), Ok(()));
        }
        assert_eq!(l.exhausted_at("a", t + Duration::from_secs(20)), Some(40));
        assert_eq!(l.hit_at("a", t + Duration::from_secs(20)), Err(40));
        assert_eq!(l.exhausted_at("b", t), None);
        assert_eq!(l.hit_at("b", t), Ok(()));
        assert_eq!(l.exhausted_at("a", t + Duration::from_secs(61)), None);
        assert_eq!(l.hit_at("a", t + Duration::from_secs(61)), Ok(()));
    }
}
