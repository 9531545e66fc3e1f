//! Personal data at rest: NIK and KK numbers are encrypted (AES-256-GCM) and indexed by a keyed
//! hash (HMAC-SHA256), so the database never holds them in plaintext and a copy of it cannot be
//! searched for a known NIK without the key (DOMAIN §9).
//!
//! One master key serves every feature; each derives its own keys from it with a purpose label
//! ([`PiiKeys::for_purpose`]), so a civil-registry look-up hash never matches a voter-list one.
//!
//! The master key comes from `BALAI_PII_KEY` (base64 of 32 bytes). Without it, one is generated
//! on first use and kept in the `settings` table: that protects backups and exports of the
//! feature tables, not a full copy of the database, so production should set the variable.

use std::sync::OnceLock;

use crate::{with_tx, Tx};
use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const ENV_KEY: &str = "BALAI_PII_KEY";
/// Where a generated master key is kept (named after the first feature that needed it).
const SETTINGS_KEY: &str = "civil_registry.pii_key";

#[derive(Clone)]
pub struct PiiKeys {
    enc: [u8; 32],
    lookup: [u8; 32],
    receipt: [u8; 32],
}

impl std::fmt::Debug for PiiKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PiiKeys(..)")
    }
}

fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    keyed(<Hmac<Sha256> as Mac>::new_from_slice(key).ok(), parts)
}

/// The HMAC of `parts`, each after its length, on an already keyed state (none: all zeros,
/// as for a key HMAC refuses, which no 32-byte key is).
fn keyed(state: Option<Hmac<Sha256>>, parts: &[&[u8]]) -> [u8; 32] {
    let mut out = [0u8; 32];
    if let Some(mut m) = state {
        for p in parts {
            m.update(&(p.len() as u64).to_be_bytes());
            m.update(p);
        }
        out.copy_from_slice(&m.finalize().into_bytes());
    }
    out
}

impl PiiKeys {
    /// Derive separate keys for encryption, look-up and receipts of one purpose (a feature:
    /// `civil-registry`, `voters`) from the master key.
    pub fn for_purpose(master: &[u8; 32], purpose: &str) -> PiiKeys {
        let label = |k: &str| format!("balai/{purpose}/{k}");
        PiiKeys {
            enc: hmac(master, &[label("enc").as_bytes()]),
            lookup: hmac(master, &[label("lookup").as_bytes()]),
            receipt: hmac(master, &[label("receipt").as_bytes()]),
        }
    }

    /// The raw look-up hash of an identity number (32 bytes), for compact indexes.
    pub fn lookup_hash_bytes(&self, kind: &str, value: &str) -> [u8; 32] {
        hmac(&self.lookup, &[kind.as_bytes(), value.as_bytes()])
    }

    pub fn parse_master(b64: &str) -> Result<[u8; 32], String> {
        let raw = base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .map_err(|e| format!("{ENV_KEY} is not base64: {e}"))?;
        <[u8; 32]>::try_from(raw.as_slice())
            .map_err(|_| format!("{ENV_KEY} must decode to 32 bytes (got {})", raw.len()))
    }

    /// `nonce (12 bytes) || ciphertext+tag`.
    pub fn encrypt(&self, plaintext: &str) -> Result<Vec<u8>, String> {
        self.encrypt_bytes(plaintext.as_bytes())
    }

    /// [`PiiKeys::encrypt`] of bytes that need not be text.
    pub fn encrypt_bytes(&self, plaintext: &[u8]) -> Result<Vec<u8>, String> {
        let cipher = Aes256Gcm::new_from_slice(&self.enc).map_err(|e| e.to_string())?;
        let nonce: [u8; 12] = rand::random();
        let ct = cipher
            .encrypt(Nonce::from_slice(&nonce), plaintext)
            .map_err(|e| e.to_string())?;
        let mut out = Vec::with_capacity(12 + ct.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        Ok(out)
    }

    pub fn decrypt(&self, blob: &[u8]) -> Result<String, String> {
        String::from_utf8(self.decrypt_bytes(blob)?).map_err(|e| e.to_string())
    }

    /// [`PiiKeys::decrypt`] of bytes that need not be text.
    pub fn decrypt_bytes(&self, blob: &[u8]) -> Result<Vec<u8>, String> {
        if blob.len() < 12 + 16 {
            return Err("ciphertext too short".into());
        }
        let cipher = Aes256Gcm::new_from_slice(&self.enc).map_err(|e| e.to_string())?;
        cipher
            .decrypt(Nonce::from_slice(&blob[..12]), &blob[12..])
            .map_err(|_| "cannot decrypt (wrong key or damaged data)".to_string())
    }

    /// A look-up hasher keyed once, for hashing many values ([`LookupHasher::hash`] equals
    /// [`PiiKeys::lookup_hash_bytes`]).
    pub fn lookup_hasher(&self) -> LookupHasher {
        LookupHasher(<Hmac<Sha256> as Mac>::new_from_slice(&self.lookup).ok())
    }

    /// The look-up hash of an identity number; `kind` keeps NIK and KK hashes apart.
    pub fn lookup_hash(&self, kind: &str, value: &str) -> String {
        hex::encode(self.lookup_hash_bytes(kind, value))
    }

    /// The stored hash of a receipt's secret, bound to its tracking code.
    pub fn secret_hash(&self, code: &str, secret: &str) -> String {
        self.lookup_hash("tracking-secret", &format!("{code}:{secret}"))
    }

    /// The code printed in a receipt's QR code: proves the receipt came from this server.
    pub fn receipt_mac(&self, tracking_code: &str, submitted_unix: i64) -> String {
        let full = hmac(
            &self.receipt,
            &[
                tracking_code.as_bytes(),
                submitted_unix.to_string().as_bytes(),
            ],
        );
        hex::encode(&full[..10])
    }
}

/// HMAC-SHA256 under the look-up key, its key schedule done once.
#[derive(Clone)]
pub struct LookupHasher(Option<Hmac<Sha256>>);

impl std::fmt::Debug for LookupHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LookupHasher(..)")
    }
}

impl LookupHasher {
    /// The raw look-up hash of `value` under `kind`, as [`PiiKeys::lookup_hash_bytes`].
    pub fn hash(&self, kind: &str, value: &str) -> [u8; 32] {
        keyed(self.0.clone(), &[kind.as_bytes(), value.as_bytes()])
    }
}

fn env_master() -> &'static Option<Result<[u8; 32], String>> {
    static ENV: OnceLock<Option<Result<[u8; 32], String>>> = OnceLock::new();
    ENV.get_or_init(|| {
        std::env::var(ENV_KEY)
            .ok()
            .map(|v| PiiKeys::parse_master(&v))
    })
}

/// The keys of `purpose`, from the environment or the database (created there on first use).
pub async fn keys(tx: &mut Tx, purpose: &str) -> anyhow::Result<PiiKeys> {
    match env_master() {
        Some(Ok(k)) => return Ok(PiiKeys::for_purpose(k, purpose)),
        Some(Err(e)) => anyhow::bail!("{e}"),
        None => {}
    }
    let fresh: [u8; 32] = rand::random();
    let fresh = base64::engine::general_purpose::STANDARD.encode(fresh);
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING"
    )
    .bind(SETTINGS_KEY)
    .bind(&fresh)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    let stored: String = with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT value FROM settings WHERE key = $1"
    )
    .bind(SETTINGS_KEY)
    .fetch_one(&mut *c)
    .await)?;
    let master = PiiKeys::parse_master(&stored).map_err(anyhow::Error::msg)?;
    Ok(PiiKeys::for_purpose(&master, purpose))
}

/// The keys for a read-only request: read them, and only create them (in a short write
/// transaction) if they do not exist yet.
pub async fn keys_db(db: &crate::Db, purpose: &str) -> anyhow::Result<PiiKeys> {
    if let Some(Ok(k)) = env_master() {
        return Ok(PiiKeys::for_purpose(k, purpose));
    }
    let stored: Option<String> = crate::with_db!(db, |c| sqlx::query_scalar(
        "SELECT value FROM settings WHERE key = $1"
    )
    .bind(SETTINGS_KEY)
    .fetch_optional(c)
    .await)?;
    if let Some(v) = stored {
        let master = PiiKeys::parse_master(&v).map_err(anyhow::Error::msg)?;
        return Ok(PiiKeys::for_purpose(&master, purpose));
    }
    let mut tx = db.begin().await?;
    let k = keys(&mut tx, purpose).await?;
    tx.commit().await?;
    Ok(k)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn round_trip_and_tamper() {
        let k = PiiKeys::for_purpose(&[7u8; 32], "civil-registry");
        let blob = k.encrypt("3279011508900001").unwrap();
        assert!(!blob.windows(16).any(|w| w == b"3279011508900001"));
        assert_eq!(k.decrypt(&blob).unwrap(), "3279011508900001");
        // Two encryptions differ (fresh nonce), hashes are stable and kind-separated.
        assert_ne!(k.encrypt("3279011508900001").unwrap(), blob);
        assert_eq!(k.lookup_hash("nik", "1"), k.lookup_hash("nik", "1"));
        assert_ne!(k.lookup_hash("nik", "1"), k.lookup_hash("kk", "1"));
        let mut bad = blob.clone();
        bad[20] ^= 1;
        assert!(k.decrypt(&bad).is_err());
        let other = PiiKeys::for_purpose(&[8u8; 32], "civil-registry");
        let voters = PiiKeys::for_purpose(&[7u8; 32], "voters");
        assert!(voters.decrypt(&blob).is_err());
        assert_ne!(voters.lookup_hash("nik", "1"), k.lookup_hash("nik", "1"));
        assert!(other.decrypt(&blob).is_err());
        assert_ne!(k.receipt_mac("ABC", 1), other.receipt_mac("ABC", 1));
        assert_eq!(k.receipt_mac("ABC", 1).len(), 20);
    }

    #[test]
    fn the_keyed_once_hasher_and_the_byte_cipher_agree_with_the_plain_ones() {
        let k = PiiKeys::for_purpose(&[7u8; 32], "voters");
        let h = k.lookup_hasher();
        for v in ["", "3279011508900001", "SITI WAHYUNI"] {
            assert_eq!(h.hash("voter-nik", v), k.lookup_hash_bytes("voter-nik", v));
        }
        assert_ne!(h.hash("voter-nik", "1"), h.hash("voter-name", "1"));
        let bytes = [0u8, 255, 1, 2, 3];
        let blob = k.encrypt_bytes(&bytes).unwrap();
        assert_eq!(k.decrypt_bytes(&blob).unwrap(), bytes);
        assert!(k.decrypt(&blob).is_err(), "not UTF-8");
        assert_eq!(k.decrypt_bytes(&k.encrypt("abc").unwrap()).unwrap(), b"abc");
    }

    #[test]
    fn master_key_parsing() {
        let b64 = base64::engine::general_purpose::STANDARD.encode([1u8; 32]);
        assert!(PiiKeys::parse_master(&b64).is_ok());
        assert!(PiiKeys::parse_master("AAAA")
            .unwrap_err()
            .contains("32 bytes"));
        assert!(PiiKeys::parse_master("***").is_err());
    }
}

#[cfg(test)]
mod env_tests {
    #![allow(clippy::unwrap_used)]

    /// `BALAI_PII_KEY` must not trip the shared configuration's unknown-field check.
    #[test]
    fn pii_key_env_is_not_a_config_field() {
        let dir = tempfile_dir();
        let p = dir.join("balai.toml");
        std::fs::write(&p, "").unwrap();
        std::env::set_var(
            super::ENV_KEY,
            "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=",
        );
        let cfg = crate::config::Config::load(Some(&p));
        std::env::remove_var(super::ENV_KEY);
        assert!(cfg.is_ok(), "{:?}", cfg.err().map(|e| e.to_string()));
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("balai-cr-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }
}
