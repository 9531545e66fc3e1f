//! Aduan's settings, `[complaints]` in the configuration file (or `BALAI_COMPLAINTS__…`):
//! the deadlines with their legal sources, the upload size and the flood limits. Handlers pass
//! the configured values, never literals. Read once at startup ([`ComplaintSettings::from_config`],
//! which also checks them) and kept with the application state ([`settings`]).

use balai_core::config::{Config, ConfigError};
use balai_core::web::AppCtx;
use serde::{Deserialize, Serialize};
use time::Date;

/// The clocks the rules work with; `Default` gives the national defaults.
pub type ClockConfig = ComplaintSettings;

/// Aduan's clocks and upload size. The defaults are what the regulations set today; a region
/// that adopts its own service standard, or an amended law, changes them here.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ComplaintSettings {
    /// LAPOR! SP4N: verified and dispatched within 3 working days (PermenPANRB 62/2018).
    pub dispatch_working_days: u32,
    /// LAPOR! SP4N: the agency follows up within 5 working days of dispatch.
    pub follow_up_working_days: u32,
    /// LAPOR! SP4N: an answered report closes after 10 working days without a reply.
    pub auto_close_working_days: u32,
    /// UU 1/2015 art. 134(4) as amended: a Pilkada violation is reported within 7 days of
    /// becoming known, counted in calendar days (*unconfirmed against the amended text*).
    pub election_filing_window_days: u32,
    /// UU 1/2015 art. 134(5)–(6): Bawaslu follows up within 3 days…
    pub bawaslu_follow_up_days: u32,
    /// …plus 2 days when it asks for more information.
    pub bawaslu_more_info_days: u32,
    /// Working days before a due day at which a report shows as "due soon".
    pub due_soon_working_days: u32,
    /// Request-body limit of the routes that accept photos (the form and `POST
    /// /api/v1/complaints`): 3 photos of 5 MiB, base64-encoded in JSON, plus the text.
    pub max_upload_body_bytes: usize,
    /// Flood control: reports per hour from one IP address (web form, API without a token).
    /// No regulation sets these limits; the defaults are Balai's own. Mobile carriers put many
    /// phones behind one address (CGNAT), so this one is generous; signed-in officials and API
    /// tokens are not limited.
    pub max_reports_per_ip_per_hour: i64,
    /// Flood control: reports per hour from one SMS number.
    pub max_reports_per_number_per_hour: i64,
    /// Tracking look-ups (by code, or code and secret: the tracking page, the reporter's
    /// actions, the JSON API, Open311 tokens, SMS `CEK`) from one IP address (or SMS number)
    /// per `lookup_window_seconds`; then 429 with `Retry-After`. Balai's own default (25 a
    /// minute): room for many phones behind one carrier address (CGNAT), far too few to guess
    /// codes, and a guessed code alone opens only what the public may see.
    pub max_lookups_per_window: u32,
    pub lookup_window_seconds: u64,
}

impl ComplaintSettings {
    /// The follow-up deadline after dispatch: Bawaslu's for election reports, else LAPOR!'s.
    pub fn follow_up_days(&self, election: bool) -> u32 {
        if election {
            self.bawaslu_follow_up_days
        } else {
            self.follow_up_working_days
        }
    }
}

impl Default for ComplaintSettings {
    fn default() -> Self {
        ComplaintSettings {
            dispatch_working_days: 3,
            follow_up_working_days: 5,
            auto_close_working_days: 10,
            election_filing_window_days: 7,
            bawaslu_follow_up_days: 3,
            bawaslu_more_info_days: 2,
            due_soon_working_days: 2,
            max_upload_body_bytes: 21 * 1024 * 1024,
            max_reports_per_ip_per_hour: 60,
            max_reports_per_number_per_hour: 5,
            max_lookups_per_window: 25,
            lookup_window_seconds: 60,
        }
    }
}

impl ComplaintSettings {
    /// The settings `cfg` gives (defaults for what it leaves out), checked: a key this struct
    /// does not know, a zero-day clock, or an upload limit below the general body limit is an
    /// error that names it.
    pub fn from_config(cfg: &Config) -> Result<Self, ConfigError> {
        let s: ComplaintSettings = Config::section("complaints", &cfg.complaints)?;
        if s.dispatch_working_days == 0
            || s.follow_up_working_days == 0
            || s.auto_close_working_days == 0
            || s.bawaslu_follow_up_days == 0
            || s.max_lookups_per_window == 0
            || s.lookup_window_seconds == 0
        {
            return Err(ConfigError::Invalid(
                "complaints: dispatch_working_days, follow_up_working_days, \
                 auto_close_working_days, bawaslu_follow_up_days, max_lookups_per_window and \
                 lookup_window_seconds must be at least 1"
                    .into(),
            ));
        }
        if s.max_upload_body_bytes < cfg.max_body_bytes {
            return Err(ConfigError::Invalid(format!(
                "complaints.max_upload_body_bytes ({}) must not be below max_body_bytes ({})",
                s.max_upload_body_bytes, cfg.max_body_bytes
            )));
        }
        Ok(s)
    }

    /// Write these settings into `cfg`'s `[complaints]` table (tests and tools that build a
    /// configuration in code).
    pub fn write_to(&self, cfg: &mut Config) {
        if let Ok(figment::value::Value::Dict(_, d)) = figment::value::Value::serialize(self) {
            cfg.complaints = d;
        }
    }
}

/// The settings of the running application (read at startup, see `balai::app::context`).
pub fn settings(ctx: &AppCtx) -> ComplaintSettings {
    ctx.ext
        .get::<ComplaintSettings>()
        .cloned()
        .unwrap_or_default()
}

/// The date in WIB, which is what a working-day deadline is counted in.
pub fn today() -> Date {
    balai_core::db::now()
        .to_offset(time::macros::offset!(+7))
        .date()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_lapor_and_bawaslu_values() {
        let c = ClockConfig::default();
        assert_eq!(c.dispatch_working_days, 3);
        assert_eq!(c.follow_up_days(false), 5);
        assert_eq!(c.follow_up_days(true), 3);
        assert_eq!(c.auto_close_working_days, 10);
        assert_eq!(c.election_filing_window_days, 7);
        assert_eq!(c.bawaslu_more_info_days, 2);
        let changed = ClockConfig {
            follow_up_working_days: 7,
            ..ClockConfig::default()
        };
        assert_eq!(changed.follow_up_days(false), 7);
    }

    fn load(toml: &str) -> Result<ComplaintSettings, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let p = dir.path().join("balai.toml");
        std::fs::write(&p, toml).map_err(|e| e.to_string())?;
        let cfg = Config::load(Some(&p)).map_err(|e| e.to_string())?;
        ComplaintSettings::from_config(&cfg).map_err(|e| e.to_string())
    }

    #[test]
    fn complaint_clocks_are_settings() {
        let s = load("[complaints]\ndispatch_working_days = 4\nelection_filing_window_days = 14\n")
            .unwrap();
        assert_eq!(s.dispatch_working_days, 4);
        assert_eq!(s.election_filing_window_days, 14);
        assert_eq!(s.follow_up_working_days, 5);
        assert_eq!(s.auto_close_working_days, 10);
        let err = load("[complaints]\ndispatch_days = 4\n").unwrap_err();
        assert!(err.contains("dispatch_days"), "{err}");
        let err = load("[complaints]\nfollow_up_working_days = 0\n").unwrap_err();
        assert!(err.contains("at least 1"), "{err}");
        let err = load("[complaints]\nmax_upload_body_bytes = 1000\n").unwrap_err();
        assert!(err.contains("max_upload_body_bytes"), "{err}");
    }

    #[test]
    fn complaint_clocks_from_the_environment() {
        // A variable no other test reads, so setting it here cannot disturb them.
        std::env::set_var("BALAI_COMPLAINTS__BAWASLU_MORE_INFO_DAYS", "4");
        let cfg = Config::load(None);
        std::env::remove_var("BALAI_COMPLAINTS__BAWASLU_MORE_INFO_DAYS");
        let s = ComplaintSettings::from_config(&cfg.unwrap()).unwrap();
        assert_eq!(s.bawaslu_more_info_days, 4);
    }

    #[test]
    fn settings_written_to_a_config_read_back_the_same() {
        let mut cfg = Config::default();
        let s = ComplaintSettings {
            dispatch_working_days: 6,
            max_reports_per_ip_per_hour: 3,
            ..ComplaintSettings::default()
        };
        s.write_to(&mut cfg);
        assert_eq!(ComplaintSettings::from_config(&cfg).unwrap(), s);
    }
}
