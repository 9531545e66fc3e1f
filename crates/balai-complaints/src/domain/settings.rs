//! Deadlines as configuration: the values and their sources live with the settings
//! (`[complaints]` in the configuration file); handlers pass the configured ones, never literals.

use time::Date;

/// The clocks the rules work with; `Default` gives the national defaults.
pub use balai_core::config::ComplaintSettings as ClockConfig;

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
}
