//! The feature's settings in the shared `settings` table.

use balai_core::{with_db, Db};

/// Per-file upload limit when `civil_registry.max_upload_bytes` is not set.
pub const DEFAULT_MAX_UPLOAD_BYTES: usize = 1024 * 1024;

/// The per-file upload limit in bytes.
pub async fn max_upload_bytes(db: &Db) -> Result<usize, sqlx::Error> {
    let v: Option<String> = with_db!(db, |c| sqlx::query_scalar(
        "SELECT value FROM settings WHERE key = 'civil_registry.max_upload_bytes'"
    )
    .fetch_optional(c)
    .await)?;
    Ok(v.and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_MAX_UPLOAD_BYTES))
}

/// How many online applications may come in, before the next is refused (429): from one IP
/// address per hour, and for one NIK or to one phone or e-mail per day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FloodLimits {
    pub per_ip_per_hour: i64,
    pub per_nik_per_day: i64,
    pub per_contact_per_day: i64,
}

impl Default for FloodLimits {
    fn default() -> Self {
        FloodLimits {
            per_ip_per_hour: 10,
            per_nik_per_day: 5,
            per_contact_per_day: 5,
        }
    }
}

/// The flood limits: settings `civil_registry.max_applications_per_ip_per_hour`,
/// `…_per_nik_per_day` and `…_per_contact_per_day`, defaults for the missing.
pub async fn flood_limits(db: &Db) -> Result<FloodLimits, sqlx::Error> {
    let rows: Vec<(String, String)> = with_db!(db, |c| {
        sqlx::query_as(
        "SELECT key, value FROM settings WHERE key LIKE 'civil_registry.max_applications_per_%'"
    )
    .fetch_all(c)
    .await
    })?;
    let d = FloodLimits::default();
    let get = |name: &str, default: i64| {
        rows.iter()
            .find(|(k, _)| k.strip_prefix("civil_registry.max_applications_") == Some(name))
            .and_then(|(_, v)| v.trim().parse().ok())
            .unwrap_or(default)
    };
    Ok(FloodLimits {
        per_ip_per_hour: get("per_ip_per_hour", d.per_ip_per_hour),
        per_nik_per_day: get("per_nik_per_day", d.per_nik_per_day),
        per_contact_per_day: get("per_contact_per_day", d.per_contact_per_day),
    })
}
