//! Passwords (argon2id), server-side sessions, API tokens and login throttling.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::RngCore;
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

use crate::db::{Db, Tx};
use crate::{with_db, with_tx};

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    // Argon2::default() is argon2id v19 with the OWASP-recommended m=19 MiB, t=2, p=1.
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("argon2: {e}"))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash to verify against when the user does not exist, so timing does not reveal names.
pub fn dummy_hash() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3Sb3WbrqUMw2FqBM7mWxDXgJl5Wc8bPtVKrKqU3B6nY"
}

/// A random secret as URL-safe text.
pub fn random_token(bytes: usize) -> String {
    use base64::Engine;
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// A readable random password for generated accounts (no look-alike characters).
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut buf = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    buf.iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SessionRow {
    pub id_hash: String,
    pub user_id: i64,
    pub expires_at: OffsetDateTime,
}

/// Create a session; returns the cookie value (only its hash is stored).
pub async fn create_session(
    tx: &mut Tx,
    user_id: i64,
    hours: i64,
    ip: &str,
    user_agent: &str,
) -> Result<String, sqlx::Error> {
    let token = random_token(32);
    let now = crate::db::now();
    with_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, created_at, expires_at, last_seen_at, ip, user_agent)
         VALUES ($1, $2, $3, $4, $3, $5, $6)"
    )
    .bind(sha256_hex(&token))
    .bind(user_id)
    .bind(now)
    .bind(now + Duration::hours(hours))
    .bind(ip)
    .bind(user_agent.chars().take(300).collect::<String>())
    .execute(&mut *c)
    .await.map(|r| r.rows_affected())
    })?;
    Ok(token)
}

pub async fn find_session(db: &Db, token: &str) -> Result<Option<SessionRow>, sqlx::Error> {
    let row: Option<SessionRow> = with_db!(db, |c| sqlx::query_as::<_, SessionRow>(
        "SELECT id_hash, user_id, expires_at FROM sessions WHERE id_hash = $1"
    )
    .bind(sha256_hex(token))
    .fetch_optional(c)
    .await)?;
    Ok(row.filter(|s| s.expires_at > OffsetDateTime::now_utc()))
}

pub async fn delete_session(db: &Db, token: &str) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    with_tx!(&mut tx, |c| sqlx::query(
        "DELETE FROM sessions WHERE id_hash = $1"
    )
    .bind(sha256_hex(token))
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    tx.commit().await
}

/// Create an API token; returns the token text (shown once; only its hash is stored).
pub async fn create_api_token(
    tx: &mut Tx,
    user_id: i64,
    name: &str,
) -> Result<String, sqlx::Error> {
    let token = format!("balai_{}", random_token(32));
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4)"
    )
    .bind(user_id)
    .bind(name)
    .bind(sha256_hex(&token))
    .bind(crate::db::now())
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(token)
}

/// The user id behind a live token.
pub async fn find_api_token(db: &Db, token: &str) -> Result<Option<i64>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_scalar(
        "SELECT user_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL"
    )
    .bind(sha256_hex(token))
    .fetch_optional(c)
    .await)
}

/// Is this username or IP over its failed-login budget?
pub async fn login_throttled(
    db: &Db,
    username: &str,
    ip: &str,
    limits: &crate::config::LoginLimits,
) -> Result<bool, sqlx::Error> {
    let since = OffsetDateTime::now_utc() - Duration::minutes(limits.window_minutes);
    let (by_user, by_ip): (i64, i64) = with_db!(db, |c| sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM login_failures WHERE username = $1 AND at > $3),
                (SELECT COUNT(*) FROM login_failures WHERE ip = $2 AND at > $3)"
    )
    .bind(username)
    .bind(ip)
    .bind(since)
    .fetch_one(c)
    .await)?;
    Ok(by_user >= limits.max_failures_per_user || by_ip >= limits.max_failures_per_ip)
}

/// A failed attempt counted before the password (or secret) is checked: the attempt holds
/// this slot while it is verified, so a burst of parallel guesses can never run more checks
/// than the budget. The slot stays as the recorded failure unless the check succeeds
/// ([`release_failure`], or [`clear_login_failures`] on a successful sign-in).
#[derive(Debug)]
#[must_use]
pub struct FailureSlot(i64);

/// Reserve a failure slot for `key` (a username, or another subject such as a tracking code)
/// and `ip`, atomically with the check of their budgets; `None` when either is spent.
pub async fn reserve_failure(
    db: &Db,
    key: &str,
    ip: &str,
    limits: &crate::config::LoginLimits,
) -> Result<Option<FailureSlot>, sqlx::Error> {
    let now = crate::db::now();
    let since = now - Duration::minutes(limits.window_minutes);
    let sql = "INSERT INTO login_failures (username, ip, at) SELECT $1, $2, $3
         WHERE (SELECT COUNT(*) FROM login_failures WHERE username = $1 AND at > $4) < $5
           AND (SELECT COUNT(*) FROM login_failures WHERE ip = $2 AND at > $4) < $6
         RETURNING id";
    let mut tx = db.begin().await?;
    // SQLite has one writer, so the check and the insert are one step. PostgreSQL serialises
    // attempts on the same key, then on the same IP (always in this order: no deadlock).
    let id: Option<i64> = match tx.conn_mut() {
        crate::db::TxConn::Sqlite(c) => {
            sqlx::query_scalar(sql)
                .bind(key)
                .bind(ip)
                .bind(now)
                .bind(since)
                .bind(limits.max_failures_per_user)
                .bind(limits.max_failures_per_ip)
                .fetch_optional(&mut **c)
                .await?
        }
        crate::db::TxConn::Postgres(c) => {
            for (class, value) in [(727_001, key), (727_002, ip)] {
                sqlx::query("SELECT pg_advisory_xact_lock($1, hashtext($2))")
                    .bind(class)
                    .bind(value)
                    .execute(&mut **c)
                    .await?;
            }
            sqlx::query_scalar(sql)
                .bind(key)
                .bind(ip)
                .bind(now)
                .bind(since)
                .bind(limits.max_failures_per_user)
                .bind(limits.max_failures_per_ip)
                .fetch_optional(&mut **c)
                .await?
        }
    };
    tx.commit().await?;
    Ok(id.map(FailureSlot))
}

/// Give a slot back: the check succeeded, or never ran (the server was busy).
pub async fn release_failure(db: &Db, slot: FailureSlot) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    with_tx!(&mut tx, |c| sqlx::query(
        "DELETE FROM login_failures WHERE id = $1"
    )
    .bind(slot.0)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    tx.commit().await
}

/// Longest password checked; a longer one is a wrong one (argon2 hashes any length, and a
/// megabyte-long guess costs as much to hash as it does to send).
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// Password hashing runs at most one per core at a time (each needs 19 MiB and a core for
/// tens of milliseconds); a few dozen more may wait a few seconds, the rest get 503.
pub fn hashing_gate() -> &'static crate::gate::Gate {
    static GATE: std::sync::OnceLock<crate::gate::Gate> = std::sync::OnceLock::new();
    GATE.get_or_init(|| {
        crate::gate::Gate::new(
            "password_hash",
            crate::gate::cores(),
            64,
            std::time::Duration::from_secs(5),
        )
    })
}

/// [`verify_password`] inside the hashing gate, off the async threads.
pub async fn verify_password_gated(
    password: &str,
    hash: &str,
) -> Result<bool, crate::gate::GateError> {
    if password.len() > MAX_PASSWORD_BYTES {
        return Ok(false);
    }
    let (password, hash) = (password.to_string(), hash.to_string());
    hashing_gate()
        .run_blocking(move || verify_password(&password, &hash))
        .await
}

/// [`hash_password`] inside the hashing gate, off the async threads.
pub async fn hash_password_gated(password: &str) -> Result<String, crate::gate::GateError> {
    let password = password.to_string();
    hashing_gate()
        .run_blocking(move || hash_password(&password))
        .await?
        .map_err(crate::gate::GateError::Failed)
}

pub async fn record_login_failure(
    tx: &mut Tx,
    username: &str,
    ip: &str,
) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO login_failures (username, ip, at) VALUES ($1, $2, $3)"
    )
    .bind(username)
    .bind(ip)
    .bind(crate::db::now())
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn clear_login_failures(tx: &mut Tx, username: &str) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "DELETE FROM login_failures WHERE username = $1"
    )
    .bind(username)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_round_trip() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("x", "not a hash"));
        assert!(!verify_password("x", dummy_hash()));
        assert_ne!(random_password(), random_password());
    }
}
