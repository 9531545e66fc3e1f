//! The budget of tracking look-ups: every path that takes a tracking code (alone or with the
//! reporter's secret) counts against its client's budget first, so codes and secrets cannot be
//! guessed at speed. Over budget: 429 with `Retry-After`.

use std::sync::Arc;
use std::time::Duration;

use balai_core::throttle::RateLimiter;
use balai_core::web::AppCtx;

use crate::domain::settings::ComplaintSettings;
use crate::errors::{ComplaintError, ComplaintResult};

/// Kept with the application state (`balai::app::context` inserts it).
#[derive(Clone, Debug)]
pub struct LookupBudget(Arc<RateLimiter>);

impl LookupBudget {
    pub fn new(s: &ComplaintSettings) -> Self {
        LookupBudget(Arc::new(RateLimiter::new(
            s.max_lookups_per_window,
            Duration::from_secs(s.lookup_window_seconds),
        )))
    }
}

/// Count one look-up by `client` (an IP address, or `sms:<number>`).
pub fn count_lookup(ctx: &AppCtx, client: &str) -> ComplaintResult<()> {
    match ctx.ext.get::<LookupBudget>() {
        Some(b) => {
            b.0.hit(client)
                .map_err(|retry_after| ComplaintError::TooManyLookups { retry_after })
        }
        None => Ok(()),
    }
}
