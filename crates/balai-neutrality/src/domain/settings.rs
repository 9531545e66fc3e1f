//! The working-day clock of each step of a neutrality case, `[neutrality]` in the
//! configuration file (or `BALAI_NEUTRALITY__…`), counted on the holiday calendar
//! (`balai_core::calendar`). Read once at startup ([`CaseClocks::from_config`], which checks
//! them) and kept with the application state ([`clocks`]).

use balai_core::config::{Config, ConfigError};
use balai_core::web::AppCtx;
use serde::{Deserialize, Serialize};

use super::case::Stage;

/// Working days each step has. The defaults are Balai's reading of the rules (README.md of
/// this crate names each source and which are unconfirmed); a region or an amended rule
/// changes them here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CaseClocks {
    /// Bawaslu's examination and recommendation: 3 days plus 2 for more information
    /// (UU 10/2016 art. 134(5)–(6)), counted here in working days.
    pub bawaslu_examination_working_days: u32,
    /// BKN's examination and recommendation.
    pub bkn_examination_working_days: u32,
    /// The PPK's sanction after BKN's recommendation (SKB 2022: 14 working days).
    pub sanction_working_days: u32,
    /// BKN's check that the sanction was carried out.
    pub follow_up_working_days: u32,
}

impl Default for CaseClocks {
    fn default() -> Self {
        CaseClocks {
            bawaslu_examination_working_days: 5,
            bkn_examination_working_days: 14,
            sanction_working_days: 14,
            follow_up_working_days: 30,
        }
    }
}

impl CaseClocks {
    /// The working days of a step (0 for a closed case: no clock).
    pub const fn of(&self, stage: Stage) -> u32 {
        match stage {
            Stage::BawasluExamination => self.bawaslu_examination_working_days,
            Stage::BknExamination => self.bkn_examination_working_days,
            Stage::Sanction => self.sanction_working_days,
            Stage::FollowUp => self.follow_up_working_days,
            Stage::Closed => 0,
        }
    }

    /// The settings `cfg` gives (defaults for what it leaves out); a zero-day clock or an
    /// unknown key is an error that names it.
    pub fn from_config(cfg: &Config) -> Result<Self, ConfigError> {
        let c: CaseClocks = Config::section("neutrality", &cfg.neutrality)?;
        if Stage::STEPS.into_iter().any(|s| c.of(s) == 0) {
            return Err(ConfigError::Invalid(
                "neutrality: every step's working days must be at least 1".into(),
            ));
        }
        Ok(c)
    }
}

/// The clocks of the running application.
pub fn clocks(ctx: &AppCtx) -> CaseClocks {
    ctx.ext.get::<CaseClocks>().copied().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_step_has_its_own_clock() {
        let c = CaseClocks::default();
        assert_eq!(c.of(Stage::Sanction), 14);
        assert_eq!(c.of(Stage::Closed), 0);
        assert!(CaseClocks::from_config(&Config::default()).is_ok());
    }
}
