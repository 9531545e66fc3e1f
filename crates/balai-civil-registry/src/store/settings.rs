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
