//! The `[information]` table of the configuration: the KIP clocks ([`KipClocks`], the law's
//! defaults with their articles in `clocks`). Read and checked once at startup
//! ([`from_config`]) and kept with the application state ([`clocks`]).

use balai_core::config::{Config, ConfigError};
use balai_core::web::AppCtx;

pub use super::clocks::KipClocks;

/// The clocks `cfg` gives (the law's for what it leaves out); an unknown key, or a clock of 0 or
/// more than 250 working days, is an error that names it.
pub fn from_config(cfg: &Config) -> Result<KipClocks, ConfigError> {
    let c: KipClocks = Config::section("information", &cfg.information)?;
    c.check().map_err(ConfigError::Invalid)?;
    Ok(c)
}

/// The clocks of the running application.
pub fn clocks(ctx: &AppCtx) -> KipClocks {
    ctx.ext.get::<KipClocks>().copied().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The clocks of a configuration whose `[information]` table is `table` (TOML).
    fn with(table: &str) -> Result<KipClocks, ConfigError> {
        use figment::providers::{Format, Toml};
        let cfg = Config {
            information: figment::Figment::from(Toml::string(table))
                .extract()
                .map_err(|e| ConfigError::Invalid(e.to_string()))?,
            ..Config::default()
        };
        from_config(&cfg)
    }

    #[test]
    fn the_table_overrides_the_law_and_bad_values_are_refused() {
        assert_eq!(
            from_config(&Config::default()).unwrap(),
            KipClocks::default()
        );
        let c = with("answer_working_days = 5").unwrap();
        assert_eq!((c.answer_working_days, c.extension_working_days), (5, 7));
        let e = with("dispute_window_working_days = 0")
            .unwrap_err()
            .to_string();
        assert!(e.contains("dispute_window_working_days = 0"), "{e}");
        let e = with("answer_days = 5").unwrap_err().to_string();
        assert!(e.contains("answer_days"), "unknown key named: {e}");
        assert!(with("answer_working_days = -1").is_err());
        assert!(with("answer_working_days = 251").is_err());
    }
}
