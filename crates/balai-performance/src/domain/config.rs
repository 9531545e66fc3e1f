//! Kinerja's settings, the `[performance]` table: Balai's own defaults (no regulation sets
//! them). Read once at startup ([`PerformanceConfig::from_config`], which checks them) and
//! kept with the application state ([`config`]).

use balai_core::config::{Config, ConfigError};
use balai_core::web::AppCtx;
use serde::{Deserialize, Serialize};

/// Days a survey code can be used after the visit: Balai's own default, long enough for a
/// citizen to answer at home, short enough that a period's index is soon final.
pub const DEFAULT_CODE_DAYS: i64 = 30;
/// The longest lifetime accepted: a year and a day (a code must not outlive the next survey).
pub const MAX_CODE_DAYS: i64 = 366;
/// Extra questions a unit may ask at once: Balai's own default (the survey stays short on a
/// phone).
pub const DEFAULT_EXTRA_QUESTIONS: usize = 5;
/// The most that may be set: the API states it as the most extra answers a response carries
/// ([`crate::web::api::surveys`]), so a setting above it would make the document wrong.
pub const MAX_EXTRA_QUESTIONS: usize = 10;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PerformanceConfig {
    /// Days a survey code (a card's or a receipt's) is accepted after the visit, 1–366.
    pub survey_code_days: i64,
    /// Extra questions a unit may ask at once, 1–10.
    pub max_extra_questions: usize,
}

impl Default for PerformanceConfig {
    fn default() -> Self {
        PerformanceConfig {
            survey_code_days: DEFAULT_CODE_DAYS,
            max_extra_questions: DEFAULT_EXTRA_QUESTIONS,
        }
    }
}

impl PerformanceConfig {
    pub fn from_config(cfg: &Config) -> Result<Self, ConfigError> {
        let c: PerformanceConfig = Config::section("performance", &cfg.performance)?;
        if !(1..=MAX_CODE_DAYS).contains(&c.survey_code_days) {
            return Err(ConfigError::Invalid(format!(
                "performance: survey_code_days must be 1 to {MAX_CODE_DAYS}"
            )));
        }
        if !(1..=MAX_EXTRA_QUESTIONS).contains(&c.max_extra_questions) {
            return Err(ConfigError::Invalid(format!(
                "performance: max_extra_questions must be 1 to {MAX_EXTRA_QUESTIONS}"
            )));
        }
        Ok(c)
    }
}

/// The settings of the running application.
pub fn config(ctx: &AppCtx) -> PerformanceConfig {
    ctx.ext
        .get::<PerformanceConfig>()
        .copied()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_days_unless_set_and_checked() {
        let mut cfg = Config::default();
        assert_eq!(
            PerformanceConfig::from_config(&cfg)
                .map(|c| c.survey_code_days)
                .ok(),
            Some(30)
        );
        cfg.performance.insert("survey_code_days".into(), 14.into());
        assert_eq!(
            PerformanceConfig::from_config(&cfg)
                .map(|c| c.survey_code_days)
                .ok(),
            Some(14)
        );
        for bad in [0, 367] {
            cfg.performance
                .insert("survey_code_days".into(), bad.into());
            assert!(PerformanceConfig::from_config(&cfg).is_err());
        }
        cfg.performance.clear();
        cfg.performance.insert("code_days".into(), 14.into());
        assert!(PerformanceConfig::from_config(&cfg).is_err());
    }

    #[test]
    fn five_extra_questions_unless_set_and_checked() {
        let mut cfg = Config::default();
        let max = |cfg: &Config| {
            PerformanceConfig::from_config(cfg)
                .map(|c| c.max_extra_questions)
                .ok()
        };
        assert_eq!(max(&cfg), Some(5));
        cfg.performance
            .insert("max_extra_questions".into(), 8.into());
        assert_eq!(max(&cfg), Some(8));
        for bad in [0, 11, -1] {
            cfg.performance
                .insert("max_extra_questions".into(), bad.into());
            assert_eq!(max(&cfg), None, "{bad}");
        }
    }
}
