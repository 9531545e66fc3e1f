//! Partisipasi's settings, `[participation]` in the configuration file (or
//! `BALAI_PARTICIPATION__…`). No regulation sets them: the defaults are Balai's own choices,
//! and a region that counts outreach differently changes them here. Read once at startup
//! ([`ParticipationSettings::from_config`], which also checks them) and kept with the
//! application state ([`settings`]).

use balai_core::config::{Config, ConfigError};
use balai_core::web::AppCtx;
use serde::{Deserialize, Serialize};

use super::document::DEFAULT_MAX_DOCUMENT_BYTES;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ParticipationSettings {
    /// How many days before voting day outreach counts toward an election (the window ends
    /// the day before voting day). Balai's default: 365 days, a year of outreach; not a rule.
    pub outreach_window_days: u32,
    /// The largest signed document accepted (an agreement's PDF, an attendance list), in
    /// bytes. Balai's default: 2 MiB. The request body limit (`max_body_bytes`) applies first,
    /// so a larger document also needs that raised.
    pub max_document_bytes: usize,
}

impl Default for ParticipationSettings {
    fn default() -> Self {
        ParticipationSettings {
            outreach_window_days: 365,
            max_document_bytes: DEFAULT_MAX_DOCUMENT_BYTES,
        }
    }
}

/// The longest window accepted (ten years): beyond it the outreach would belong to several
/// elections back.
pub const MAX_OUTREACH_WINDOW_DAYS: u32 = 3660;

/// The smallest document limit accepted: a one-page signed PDF is larger than this.
pub const MIN_DOCUMENT_BYTES: usize = 1024;

impl ParticipationSettings {
    /// The settings `cfg` gives (defaults for what it leaves out), checked: a key this struct
    /// does not know, or a window outside 1..=3660 days, is an error that names it.
    pub fn from_config(cfg: &Config) -> Result<Self, ConfigError> {
        let s: ParticipationSettings = Config::section("participation", &cfg.participation)?;
        if !(1..=MAX_OUTREACH_WINDOW_DAYS).contains(&s.outreach_window_days) {
            return Err(ConfigError::Invalid(format!(
                "participation.outreach_window_days must be between 1 and \
                 {MAX_OUTREACH_WINDOW_DAYS} (got {})",
                s.outreach_window_days
            )));
        }
        if s.max_document_bytes < MIN_DOCUMENT_BYTES {
            return Err(ConfigError::Invalid(format!(
                "participation.max_document_bytes must be at least {MIN_DOCUMENT_BYTES} (got {})",
                s.max_document_bytes
            )));
        }
        Ok(s)
    }
}

/// The settings of the running application (read at startup, see `balai::app::context`).
pub fn settings(ctx: &AppCtx) -> ParticipationSettings {
    ctx.ext
        .get::<ParticipationSettings>()
        .cloned()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_checks() {
        let cfg = Config::default();
        assert_eq!(
            ParticipationSettings::from_config(&cfg).unwrap(),
            ParticipationSettings::default()
        );
        assert_eq!(ParticipationSettings::default().outreach_window_days, 365);
        let mut cfg = Config::default();
        cfg.participation
            .insert("outreach_window_days".into(), 180.into());
        assert_eq!(
            ParticipationSettings::from_config(&cfg)
                .unwrap()
                .outreach_window_days,
            180
        );
        cfg.participation
            .insert("outreach_window_days".into(), 0.into());
        assert!(ParticipationSettings::from_config(&cfg).is_err());
        let mut cfg = Config::default();
        cfg.participation.insert("outreach_days".into(), 10.into());
        let e = ParticipationSettings::from_config(&cfg).unwrap_err();
        assert!(e.to_string().contains("outreach_days"), "{e}");
        let mut cfg = Config::default();
        assert_eq!(
            ParticipationSettings::from_config(&cfg)
                .unwrap()
                .max_document_bytes,
            2 * 1024 * 1024
        );
        cfg.participation
            .insert("max_document_bytes".into(), 4096.into());
        assert_eq!(
            ParticipationSettings::from_config(&cfg)
                .unwrap()
                .max_document_bytes,
            4096
        );
        cfg.participation
            .insert("max_document_bytes".into(), 10.into());
        let e = ParticipationSettings::from_config(&cfg).unwrap_err();
        assert!(e.to_string().contains("max_document_bytes"), "{e}");
    }
}
