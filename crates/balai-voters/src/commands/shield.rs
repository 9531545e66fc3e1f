//! What stands between the check and a harvest, kept in memory for the process: a budget per
//! client address (a village behind one carrier-grade NAT still fits), a budget of failed
//! look-ups per NIK (guessing a real NIK's name), the global breaker
//! ([`crate::domain::breaker`]); and the day's counts, kept in memory and written out every
//! few seconds (not on each look-up). Each app instance counts on its own. What a crash can
//! lose: the counts not yet written (at most [`FLUSH_EVERY`] of look-ups), and on PostgreSQL
//! the last batch committed without waiting for its WAL flush (`synchronous_commit = off`
//! for that transaction only: lost whole or kept whole, never torn, by default at most about
//! 0.6 s). They are public statistics about the check, not anyone's data.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use balai_core::pii::PiiKeys;
use balai_core::throttle::RateLimiter;
use balai_core::web::AppCtx;
use time::Date;

use crate::domain::breaker::{Breaker, Trip};
use crate::domain::settings::VoterSettings;
use crate::store::stats::{self, Day};

/// How often the counts are written to the database.
const FLUSH_EVERY: Duration = Duration::from_secs(5);

/// Kept with the application state (`balai::app::context` inserts it); clones share one
/// state.
#[derive(Clone, Debug)]
pub struct LookupShield(Arc<Shield>);

impl std::ops::Deref for LookupShield {
    type Target = Shield;
    fn deref(&self) -> &Shield {
        &self.0
    }
}

#[derive(Debug)]
pub struct Shield {
    per_address: RateLimiter,
    per_nik: RateLimiter,
    breaker: Mutex<Breaker>,
    pending: Mutex<Pending>,
    keys: tokio::sync::OnceCell<PiiKeys>,
    /// The provinces the PostgreSQL look-up reads, as last seen.
    pub parts: crate::store::index::Parts,
}

#[derive(Debug)]
struct Pending {
    day: Option<Date>,
    counts: Day,
    flushed: Instant,
}

/// Which count a look-up adds to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Found,
    NotFound,
    Refused,
    Throttled,
}

impl LookupShield {
    pub fn new(s: &VoterSettings) -> Self {
        let now = Instant::now();
        LookupShield(Arc::new(Shield {
            per_address: RateLimiter::new(s.lookups_per_minute, Duration::from_secs(60)),
            per_nik: RateLimiter::new(s.failures_per_nik_per_hour, Duration::from_secs(3600)),
            breaker: Mutex::new(Breaker::new(
                Trip {
                    ratio: s.breaker_failure_ratio,
                    jump: s.breaker_jump,
                    min_lookups: s.breaker_min_lookups,
                    open_for: Duration::from_secs(s.breaker_open_seconds),
                },
                now,
            )),
            pending: Mutex::new(Pending {
                day: None,
                counts: Day::default(),
                flushed: now,
            }),
            keys: tokio::sync::OnceCell::new(),
            parts: crate::store::index::Parts::default(),
        }))
    }
}

impl Shield {
    /// Before anything else: the address's budget, then the breaker. `Err(seconds)`.
    pub fn admit(&self, client: &str) -> Result<(), u64> {
        self.per_address.hit(client)?;
        self.breaker
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .admit(Instant::now())
    }

    /// Has this NIK (its hash) spent its failures? `Some(seconds)`.
    pub fn nik_exhausted(&self, nik_key: &str) -> Option<u64> {
        self.per_nik.exhausted(nik_key)
    }

    /// After the look-up: spend the NIK's failure budget and feed the breaker.
    pub fn after(&self, nik_key: Option<&str>, failed: bool) {
        if failed {
            if let Some(k) = nik_key {
                let _ = self.per_nik.hit(k);
            }
        }
        self.breaker
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .record(Instant::now(), failed);
    }

    /// The feature's keys, read once.
    pub async fn keys(&self, ctx: &AppCtx) -> anyhow::Result<&PiiKeys> {
        self.keys
            .get_or_try_init(|| balai_core::pii::keys_db(&ctx.db, super::PII_PURPOSE))
            .await
    }

    /// Count one answer of the check; written out when due.
    pub async fn count(&self, ctx: &AppCtx, outcome: Outcome) {
        let today = super::today();
        let due = {
            let mut p = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            let c = &mut p.counts;
            match outcome {
                Outcome::Found => {
                    c.lookups += 1;
                    c.found += 1;
                }
                Outcome::NotFound => {
                    c.lookups += 1;
                    c.not_found += 1;
                }
                Outcome::Refused => {
                    c.lookups += 1;
                    c.refused += 1;
                }
                Outcome::Throttled => c.throttled += 1,
            }
            p.day.get_or_insert(today);
            p.day != Some(today) || p.flushed.elapsed() >= FLUSH_EVERY
        };
        if due {
            self.flush(ctx).await;
        }
    }

    /// Write the counts kept so far (the stats endpoint does before it reads).
    pub async fn flush(&self, ctx: &AppCtx) {
        let (day, counts) = {
            let mut p = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            p.flushed = Instant::now();
            let counts = std::mem::take(&mut p.counts);
            (p.day.take(), counts)
        };
        let Some(day) = day else { return };
        if counts.is_empty() {
            return;
        }
        let written = async {
            let mut tx = ctx.db.begin().await?;
            stats::relaxed(&mut tx).await?;
            stats::add(&mut tx, day, &counts).await?;
            tx.commit().await
        }
        .await;
        if let Err(e) = written {
            // The counts are open data about the check, not a record: a lost batch is logged.
            tracing::warn!(error = %e, "voter look-up counts not written");
        }
    }
}
