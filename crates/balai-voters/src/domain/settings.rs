//! The feature's settings (`[voters]` in the configuration): the check's budgets and the
//! per-TPS maximum. Read once at startup ([`VoterSettings::from_config`]).

use balai_core::config::{Config, ConfigError};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct VoterSettings {
    /// Look-ups per client address per minute: enough for a village behind one carrier-grade
    /// NAT on a busy evening, far too few to walk the NIK space.
    pub lookups_per_minute: u32,
    /// Failed look-ups (unknown NIK or wrong name) of one NIK per hour.
    pub failures_per_nik_per_hour: u32,
    /// The breaker opens when a minute's failure ratio exceeds this share…
    pub breaker_failure_ratio: f64,
    /// …and this many times the ratio of the minutes before…
    pub breaker_jump: f64,
    /// …over at least this many look-ups in the minute.
    pub breaker_min_lookups: u32,
    /// How long an open breaker refuses every look-up.
    pub breaker_open_seconds: u64,
    /// At most this many voters per TPS (PKPU 7/2024: 600).
    pub max_voters_per_tps: u32,
    /// The PPS answers a public response to the list within this many working days (weekends
    /// and the holiday calendar do not count). *Unconfirmed*: PKPU 7/2024 gives the DPS's
    /// response period as a whole, not a per-case limit; a region may set its own.
    pub answer_working_days: u32,
}

impl Default for VoterSettings {
    fn default() -> Self {
        VoterSettings {
            lookups_per_minute: 60,
            failures_per_nik_per_hour: 10,
            breaker_failure_ratio: 0.5,
            breaker_jump: 3.0,
            breaker_min_lookups: 500,
            breaker_open_seconds: 60,
            max_voters_per_tps: 600,
            answer_working_days: crate::domain::report::DEFAULT_ANSWER_DAYS,
        }
    }
}

impl VoterSettings {
    pub fn from_config(cfg: &Config) -> Result<Self, ConfigError> {
        let s: VoterSettings = Config::section("voters", &cfg.voters)?;
        if s.lookups_per_minute == 0
            || s.failures_per_nik_per_hour == 0
            || s.breaker_min_lookups == 0
            || s.breaker_open_seconds == 0
            || s.max_voters_per_tps == 0
            || s.answer_working_days == 0
            || !(0.0..=1.0).contains(&s.breaker_failure_ratio)
            || s.breaker_jump < 1.0
        {
            return Err(ConfigError::Invalid(
                "voters: budgets, the TPS maximum and answer_working_days must be at least 1, breaker_failure_ratio \
                 between 0 and 1, breaker_jump at least 1"
                    .into(),
            ));
        }
        Ok(s)
    }
}
