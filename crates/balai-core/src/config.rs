//! Settings: defaults, then a TOML file, then `BALAI_*` environment variables.
//!
//! Nested keys use a double underscore in the environment: `BALAI_SMTP__HOST=mail.local`.
//! `BALAI_DATABASE_URL` selects the database instead of the data directory.

use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Serialized, Toml};
use figment::value::Dict;
use figment::Figment;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address the HTTP server listens on.
    pub listen: String,
    /// Where the embedded SQLite database and demo files live.
    pub data_dir: PathBuf,
    /// `sqlite:…` or `postgres://…`; overrides `data_dir` for the database.
    pub database_url: Option<String>,
    /// PostgreSQL: the most connections the server keeps to the database. 0 (the default): two
    /// per core, at least 4 — more only queue more work on the same cores (each connection is
    /// a server process), which lengthens the slowest answers under load.
    pub database_pool: u32,
    /// Public base URL, used in links sent by email/SMS and in receipts' QR codes. Empty (the
    /// default): derived from `listen` (see [`Config::public_base_url`]).
    pub base_url: String,
    /// Mark cookies `Secure`. Browsers accept secure cookies on http://localhost, so this
    /// stays on by default; turn it off only for plain-HTTP hosts other than localhost.
    pub secure_cookies: bool,
    /// Behind one reverse proxy: the same as `trusted_proxies = 1`.
    pub trust_proxy: bool,
    /// How many reverse proxies stand in front of Balai, each appending the address it saw to
    /// `X-Forwarded-For`. The client IP is that many entries from the right (entries further
    /// left are whatever the client sent). 0: the header is ignored.
    pub trusted_proxies: usize,
    pub session_hours: i64,
    /// Largest request body accepted, in bytes (routes that take photos have their own limit).
    pub max_body_bytes: usize,
    pub login: LoginLimits,
    pub jobs: JobSettings,
    pub smtp: SmtpSettings,
    pub sms: SmsSettings,
    pub http: HttpSettings,
    pub disk: DiskSettings,
    pub checkpoints: CheckpointSettings,
    /// The `[complaints]` table as written: the complaints crate reads it into its own
    /// settings (`balai_complaints::domain::settings`), with their defaults and checks.
    pub complaints: Dict,
    /// The `[neutrality]` table as written: the neutrality crate reads it into its own
    /// settings (`balai_neutrality::domain::settings`), the working-day clock of each step.
    pub neutrality: Dict,
    /// The `[voters]` table as written: the voter-list crate reads it into its own settings
    /// (`balai_voters::domain::settings`), with their defaults and checks.
    pub voters: Dict,
    /// The `[performance]` table as written: Kinerja reads it into its own settings
    /// (`balai_performance::domain::config`), the survey codes' lifetime.
    pub performance: Dict,
    /// The `[participation]` table as written: the participation crate reads it into its own
    /// settings (`balai_participation::domain::settings`), with their defaults and checks.
    pub participation: Dict,
    /// The `[information]` table as written: the public-information crate reads it into its
    /// clocks (`balai_information::domain::settings`), the law's by default.
    pub information: Dict,
    pub log_json: bool,
    /// Serve `/metrics` to any client; by default only to the loopback address (a scraper on
    /// the same host). Behind a reverse proxy on the same host, set `trust_proxy` (or keep the
    /// proxy from forwarding `/metrics`), or every client looks local.
    pub metrics_public: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LoginLimits {
    /// Failed attempts allowed per username within the window.
    pub max_failures_per_user: i64,
    /// Failed attempts allowed per client IP within the window.
    pub max_failures_per_ip: i64,
    pub window_minutes: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct JobSettings {
    pub workers: usize,
    /// Jobs a worker claims at once; their outcomes are recorded in one transaction.
    pub claim_batch: i64,
    pub poll_millis: u64,
    pub lease_seconds: i64,
    pub max_attempts: i64,
    pub backoff_base_seconds: i64,
}

/// Limits on the server's connections, so that clients holding connections open can neither
/// exhaust the open-file limit nor hold a shutdown up.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpSettings {
    /// A connection that has not sent a whole request head within this time, whether new or
    /// idle between keep-alive requests, is closed.
    pub header_read_timeout_seconds: u64,
    /// Connections served at once; more wait in the listen backlog. 0: from the open-file
    /// limit (raised to its hard limit at start), leaving room for database and log files.
    pub max_connections: usize,
    /// Length of the listen backlog (the kernel caps it at `net.core.somaxconn`).
    pub listen_backlog: u32,
    /// On SIGTERM or Ctrl-C: stop accepting, let requests in flight finish for at most this
    /// long, then close the connections still open.
    pub shutdown_grace_seconds: u64,
}

/// The disk under the data directory (SQLite): see `balai_core::disk`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DiskSettings {
    /// How often free space is read.
    pub check_millis: u64,
    /// Below this much free space a warning is logged (every 5 minutes) and `/metrics` shows
    /// `balai_disk_state` 1.
    pub warn_free_mb: u64,
    /// Writes are refused (503) once free space falls below half of this, and resume when this
    /// much is free beside the reserve.
    pub min_free_mb: u64,
    /// Size of the reserve file (`balai.reserve` in the data dir), released when the disk
    /// fills so that the WAL can be checkpointed, and written again when room is back; at
    /// least the WAL's bound (16 MB). 0: no reserve.
    pub reserve_mb: u64,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            header_read_timeout_seconds: 10,
            max_connections: 0,
            listen_backlog: 1024,
            shutdown_grace_seconds: 15,
        }
    }
}

impl Default for DiskSettings {
    fn default() -> Self {
        DiskSettings {
            check_millis: 1000,
            warn_free_mb: 1024,
            min_free_mb: 16,
            reserve_mb: 32,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct SmtpSettings {
    /// Empty: email is queued but not sent (logged as such).
    pub host: String,
    pub port: u16,
    pub from: String,
    pub username: Option<String>,
    pub password: Option<String>,
}

/// Signed checkpoints of the audit chain and the publication logs (`balai_core::checkpoints`).
/// The key itself is never a setting: `BALAI_CHECKPOINT_KEY` or a file.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CheckpointSettings {
    /// The signing key's file (base64 of the 32-byte Ed25519 seed, or PKCS#8 PEM); unset: the
    /// data directory's `checkpoint.key` if it exists.
    pub key_file: Option<PathBuf>,
    /// How often the chains' heads are checked and, where they moved, signed.
    pub every_seconds: u64,
}

impl Default for CheckpointSettings {
    fn default() -> Self {
        CheckpointSettings {
            key_file: None,
            every_seconds: 300,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct SmsSettings {
    /// HTTP endpoint of the SMS gateway; Balai POSTs form fields `to` and `text`.
    pub gateway_url: String,
    /// Sent as `Authorization: Bearer …` when set.
    pub gateway_token: Option<String>,
    /// The gateway sends a message once per `Idempotency-Key` (Balai sends the notification's
    /// id in that header with every message). Then a message whose delivery was cut short (a
    /// crash, a timeout) is sent again with the same key; without it, such a message is not
    /// sent again but marked `unknown` for review, so that no one gets it twice.
    pub gateway_idempotency_key: bool,
}

/// This machine's host name (Linux), for a base URL derived from an unspecified address.
fn host_name() -> Option<String> {
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname").ok()?;
    let name = name.trim();
    (!name.is_empty()).then(|| name.to_string())
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("balai-data"),
            database_url: None,
            database_pool: 0,
            base_url: String::new(),
            secure_cookies: true,
            trust_proxy: false,
            trusted_proxies: 0,
            session_hours: 12,
            max_body_bytes: 2 * 1024 * 1024,
            login: LoginLimits::default(),
            jobs: JobSettings::default(),
            smtp: SmtpSettings {
                port: 25,
                from: "balai@localhost".into(),
                ..Default::default()
            },
            sms: SmsSettings::default(),
            http: HttpSettings::default(),
            disk: DiskSettings::default(),
            checkpoints: CheckpointSettings::default(),
            complaints: Dict::new(),
            neutrality: Dict::new(),
            voters: Dict::new(),
            performance: Dict::new(),
            participation: Dict::new(),
            information: Dict::new(),
            log_json: true,
            metrics_public: false,
        }
    }
}

impl Default for LoginLimits {
    fn default() -> Self {
        LoginLimits {
            max_failures_per_user: 5,
            max_failures_per_ip: 30,
            window_minutes: 15,
        }
    }
}

impl Default for JobSettings {
    fn default() -> Self {
        JobSettings {
            workers: 2,
            claim_batch: 32,
            poll_millis: 500,
            lease_seconds: 60,
            max_attempts: 8,
            backoff_base_seconds: 5,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration file {0} does not exist")]
    Missing(PathBuf),
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

impl Config {
    /// The number of trusted proxies in effect (`trust_proxy` counts as one).
    pub fn proxies(&self) -> usize {
        if self.trusted_proxies == 0 && self.trust_proxy {
            1
        } else {
            self.trusted_proxies
        }
    }

    /// Load from an optional TOML file plus `BALAI_*` variables.
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        let mut fig = Figment::from(Serialized::defaults(Config::default()));
        if let Some(path) = file {
            if !path.exists() {
                return Err(ConfigError::Missing(path.to_path_buf()));
            }
            fig = fig.merge(Toml::file(path));
        }
        // `BALAI_TEST_*` belongs to the test harness, not to the app; `BALAI_PII_KEY` is read
        // by the civil-registry crate itself and `BALAI_CHECKPOINT_KEY` by
        // `checkpoints::key` (a key never sits in the shared settings struct); `BALAI_LOG` is
        // the log filter.
        fig = fig.merge(
            Env::prefixed("BALAI_")
                .filter(|k| {
                    // Keys keep the variable's case here (`TEST_POSTGRES`, `PII_KEY`).
                    let k = k.as_str().to_ascii_lowercase();
                    !k.starts_with("test") && k != "pii_key" && k != "checkpoint_key" && k != "log"
                })
                .split("__"),
        );
        let cfg: Config = fig
            .extract()
            .map_err(|e| ConfigError::Invalid(e.to_string()))?;
        cfg.validate()?;
        Ok(cfg)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if self.listen.parse::<std::net::SocketAddr>().is_err() {
            return Err(ConfigError::Invalid(format!(
                "listen = {:?} is not an address like 127.0.0.1:8080",
                self.listen
            )));
        }
        if self.session_hours <= 0 {
            return Err(ConfigError::Invalid(
                "session_hours must be positive".into(),
            ));
        }
        if self.jobs.workers == 0 || self.jobs.lease_seconds <= 0 || self.jobs.max_attempts <= 0 {
            return Err(ConfigError::Invalid(
                "jobs.workers, jobs.lease_seconds and jobs.max_attempts must be positive".into(),
            ));
        }
        if self.http.header_read_timeout_seconds == 0 {
            return Err(ConfigError::Invalid(
                "http.header_read_timeout_seconds must be positive".into(),
            ));
        }
        if self.checkpoints.every_seconds == 0 {
            return Err(ConfigError::Invalid(
                "checkpoints.every_seconds must be positive".into(),
            ));
        }
        if let Some(url) = &self.database_url {
            if !(url.starts_with("sqlite:")
                || url.starts_with("postgres://")
                || url.starts_with("postgresql://"))
            {
                return Err(ConfigError::Invalid(format!(
                    "database_url must start with sqlite: or postgres:// (got {url:?})"
                )));
            }
        }
        Ok(())
    }

    /// A feature's settings from its raw table `raw` (`[name]`): `T`'s defaults, overridden by
    /// what the table sets; a key `T` does not know is an error that names it.
    pub fn section<T>(name: &str, raw: &Dict) -> Result<T, ConfigError>
    where
        T: Default + Serialize + serde::de::DeserializeOwned,
    {
        Figment::from(Serialized::defaults(T::default()))
            .merge(Serialized::defaults(raw))
            .extract()
            .map_err(|e| ConfigError::Invalid(format!("{name}: {e}")))
    }

    /// The database this configuration names: the URL if given, else the data dir's SQLite file.
    /// The base URL links and QR codes point at: `base_url` when set, else `http://` and the
    /// listen address (an unspecified address such as `0.0.0.0` by the machine's host name), so
    /// that a receipt printed by a server started with `--listen 192.168.1.10:8080` verifies
    /// from a phone on that network.
    pub fn public_base_url(&self) -> String {
        let set = self.base_url.trim().trim_end_matches('/');
        if !set.is_empty() {
            return set.to_string();
        }
        let Ok(addr) = self.listen.parse::<std::net::SocketAddr>() else {
            return format!("http://{}", self.listen);
        };
        let host = if addr.ip().is_unspecified() {
            host_name().unwrap_or_else(|| "localhost".into())
        } else if addr.is_ipv6() {
            format!("[{}]", addr.ip())
        } else {
            addr.ip().to_string()
        };
        format!("http://{host}:{}", addr.port())
    }

    /// Does [`Config::public_base_url`] point at this machine only (127.0.0.0/8, `::1`,
    /// `localhost`), so that a QR code scanned by another device cannot reach it?
    pub fn base_url_is_loopback(&self) -> bool {
        let url = self.public_base_url();
        let rest = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = match authority.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(""),
            None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
        };
        host.eq_ignore_ascii_case("localhost")
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    }

    pub fn effective_database_url(&self) -> String {
        match &self.database_url {
            Some(u) => u.clone(),
            None => format!("sqlite://{}", self.data_dir.join("balai.sqlite3").display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_follows_the_listen_address_when_unset() {
        let mut c = Config {
            listen: "192.168.1.10:8080".into(),
            ..Config::default()
        };
        assert_eq!(c.public_base_url(), "http://192.168.1.10:8080");
        assert!(!c.base_url_is_loopback());
        c.listen = "127.0.0.1:18200".into();
        assert_eq!(c.public_base_url(), "http://127.0.0.1:18200");
        assert!(c.base_url_is_loopback());
        c.listen = "[::1]:8080".into();
        assert_eq!(c.public_base_url(), "http://[::1]:8080");
        assert!(c.base_url_is_loopback());
        c.listen = "0.0.0.0:8080".into();
        assert!(c.public_base_url().starts_with("http://"));
        assert!(c.public_base_url().ends_with(":8080"));
        c.base_url = "https://balai.example.go.id/".into();
        assert_eq!(c.public_base_url(), "https://balai.example.go.id");
        assert!(!c.base_url_is_loopback());
        c.base_url = "http://localhost:9000".into();
        assert!(c.base_url_is_loopback());
    }

    #[test]
    fn malformed_file_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("balai.toml");
        std::fs::write(&p, "listen = 42\n").unwrap();
        let err = Config::load(Some(&p)).unwrap_err().to_string();
        assert!(err.contains("listen"), "{err}");
        std::fs::write(&p, "no_such_key = true\n").unwrap();
        let err = Config::load(Some(&p)).unwrap_err().to_string();
        assert!(err.contains("no_such_key"), "{err}");
        std::fs::write(&p, "listen = \"not an address\"\n").unwrap();
        assert!(Config::load(Some(&p))
            .unwrap_err()
            .to_string()
            .contains("not an address"));
        assert!(matches!(
            Config::load(Some(&dir.path().join("missing.toml"))),
            Err(ConfigError::Missing(_))
        ));
    }

    #[test]
    fn harness_variables_are_not_settings() {
        // ./scripts/test.sh exports BALAI_TEST_*; they must not be read as (unknown) settings.
        std::env::set_var("BALAI_TEST_SOMETHING", "/usr/bin/true");
        let cfg = Config::load(None);
        std::env::remove_var("BALAI_TEST_SOMETHING");
        assert!(cfg.is_ok(), "{:?}", cfg.err());
    }

    #[test]
    fn file_values_apply() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("balai.toml");
        std::fs::write(
            &p,
            "listen = \"127.0.0.1:9999\"\n[smtp]\nhost = \"mail.local\"\nport = 2525\n",
        )
        .unwrap();
        let cfg = Config::load(Some(&p)).unwrap();
        assert_eq!(cfg.listen, "127.0.0.1:9999");
        assert_eq!(cfg.smtp.host, "mail.local");
        assert_eq!(cfg.smtp.port, 2525);
        assert_eq!(cfg.login.max_failures_per_user, 5);
    }
}
