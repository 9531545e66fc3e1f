//! The `sms_blocklist` table: numbers whose SMS reports are refused.

use balai_core::db::{Db, Tx};
use balai_core::{with_db, with_tx};

pub async fn is_blocked(db: &Db, phone: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = with_db!(db, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM sms_blocklist WHERE phone = $1"
    )
    .bind(phone)
    .fetch_one(c)
    .await)?;
    Ok(n > 0)
}

pub async fn block(tx: &mut Tx, phone: &str, reason: &str, by: &str) -> Result<u64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO sms_blocklist (phone, reason, created_by, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (phone) DO UPDATE SET reason = excluded.reason"
    )
    .bind(phone)
    .bind(reason)
    .bind(by)
    .bind(balai_core::db::now())
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))
}

pub async fn unblock(tx: &mut Tx, phone: &str) -> Result<u64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "DELETE FROM sms_blocklist WHERE phone = $1"
    )
    .bind(phone)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))
}
