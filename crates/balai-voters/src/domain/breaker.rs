//! The check's global circuit breaker: a harvest from many addresses (a botnet, rotating
//! proxies) passes every per-address budget, but most of its look-ups fail (guessed NIKs, or
//! real NIKs with guessed names). When a minute's failure ratio jumps well above the minutes
//! before it, every look-up is refused for a while (429 with `Retry-After`), then the check
//! opens again. Pure: the caller gives the time.

use std::time::{Duration, Instant};

/// When the breaker opens.
#[derive(Clone, Copy, Debug)]
pub struct Trip {
    /// The failure ratio of the current minute must exceed this…
    pub ratio: f64,
    /// …and `jump` × the usual ratio of the minutes before…
    pub jump: f64,
    /// …over at least this many look-ups.
    pub min_lookups: u32,
    /// How long it stays open.
    pub open_for: Duration,
}

const MINUTE: Duration = Duration::from_secs(60);
/// Weight of a finished minute in the usual ratio.
const SMOOTHING: f64 = 0.2;

#[derive(Debug)]
pub struct Breaker {
    trip: Trip,
    minute_start: Instant,
    lookups: u32,
    failures: u32,
    usual: Option<f64>,
    open_until: Option<Instant>,
}

impl Breaker {
    pub fn new(trip: Trip, now: Instant) -> Self {
        Breaker {
            trip,
            minute_start: now,
            lookups: 0,
            failures: 0,
            usual: None,
            open_until: None,
        }
    }

    fn roll(&mut self, now: Instant) {
        if now.duration_since(self.minute_start) < MINUTE {
            return;
        }
        // An open minute's failures are the attack's: they do not become the usual ratio.
        if self.lookups > 0 && self.open_until.is_none() {
            let r = f64::from(self.failures) / f64::from(self.lookups);
            self.usual = Some(match self.usual {
                Some(u) => u + SMOOTHING * (r - u),
                None => r,
            });
        }
        self.minute_start = now;
        self.lookups = 0;
        self.failures = 0;
    }

    /// Before a look-up: `Err(seconds)` while open.
    pub fn admit(&mut self, now: Instant) -> Result<(), u64> {
        self.roll(now);
        match self.open_until {
            Some(until) if now < until => Err(until.duration_since(now).as_secs().max(1)),
            Some(_) => {
                self.open_until = None;
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// After a look-up: count it, and open if the minute's failure ratio jumped.
    pub fn record(&mut self, now: Instant, failed: bool) {
        self.roll(now);
        self.lookups += 1;
        if failed {
            self.failures += 1;
        }
        if self.lookups < self.trip.min_lookups {
            return;
        }
        let ratio = f64::from(self.failures) / f64::from(self.lookups);
        let bar = self
            .trip
            .ratio
            .max(self.trip.jump * self.usual.unwrap_or(0.0));
        if ratio > bar {
            self.open_until = Some(now + self.trip.open_for);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trip() -> Trip {
        Trip {
            ratio: 0.5,
            jump: 3.0,
            min_lookups: 100,
            open_for: Duration::from_secs(60),
        }
    }

    #[test]
    fn a_usual_evening_stays_closed() {
        let t = Instant::now();
        let mut b = Breaker::new(trip(), t);
        // 30 % of people mistype their name: steady, never trips.
        for m in 0..5u64 {
            for i in 0..1000u64 {
                let now = t + Duration::from_secs(m * 60) + Duration::from_millis(i);
                assert_eq!(b.admit(now), Ok(()));
                b.record(now, i % 10 < 3);
            }
        }
    }

    #[test]
    fn a_jump_in_failures_opens_then_closes() {
        let t = Instant::now();
        let mut b = Breaker::new(trip(), t);
        for i in 0..1000u64 {
            b.record(t + Duration::from_millis(i), i % 10 == 0);
        }
        // Next minute: a harvest, 95 % failures.
        let m = t + Duration::from_secs(61);
        let mut opened_at = None;
        for i in 0..1000u64 {
            let now = m + Duration::from_millis(i);
            if b.admit(now).is_err() {
                opened_at = Some(i);
                break;
            }
            b.record(now, i % 20 != 0);
        }
        let i = opened_at.expect("the breaker opens");
        assert!((100..=101).contains(&i), "{i}");
        let now = m + Duration::from_millis(i + 1);
        let wait = b.admit(now).unwrap_err();
        assert!((59..=60).contains(&wait), "{wait}");
        // After the open period, it closes again.
        assert_eq!(b.admit(now + Duration::from_secs(61)), Ok(()));
    }

    #[test]
    fn too_few_lookups_never_trip() {
        let t = Instant::now();
        let mut b = Breaker::new(trip(), t);
        for i in 0..99u64 {
            b.record(t + Duration::from_millis(i), true);
        }
        assert_eq!(b.admit(t + Duration::from_millis(100)), Ok(()));
    }
}
