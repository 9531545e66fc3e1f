//! Personal data at rest: the shared AES-256-GCM + HMAC-SHA256 keys of [`balai_core::pii`],
//! derived for this feature's purpose (so the database never holds a NIK or KK number in
//! plaintext, DOMAIN §9).

pub use balai_core::pii::{PiiKeys, ENV_KEY};
use balai_core::Tx;

/// The purpose label the feature's keys are derived with.
pub const PURPOSE: &str = "civil-registry";

/// The feature's keys in the caller's transaction (created on first use).
pub async fn keys(tx: &mut Tx) -> anyhow::Result<PiiKeys> {
    balai_core::pii::keys(tx, PURPOSE).await
}

/// The feature's keys for a read-only request.
pub async fn keys_db(db: &balai_core::Db) -> anyhow::Result<PiiKeys> {
    balai_core::pii::keys_db(db, PURPOSE).await
}
