//! The survey code shown on a receipt of another feature (table `perf_receipt_codes`).

use balai_core::{with_db, with_tx, Db, Tx};

use super::codes::CodeRow;

/// Link a receipt to its code; `false` if the receipt has one already.
pub async fn link(tx: &mut Tx, receipt: &str, code: &str) -> Result<bool, sqlx::Error> {
    let n = with_tx!(tx, |c| sqlx::query(
        "INSERT INTO perf_receipt_codes (receipt, code, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (receipt) DO NOTHING"
    )
    .bind(receipt)
    .bind(code)
    .bind(balai_core::db::now())
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// The code of a receipt, as it is now (used or not).
pub async fn code_of(db: &Db, receipt: &str) -> Result<Option<CodeRow>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, CodeRow>(
        "SELECT s.code, s.agency_id, s.service, s.service_day, s.expires_at, s.used
         FROM perf_receipt_codes r JOIN perf_survey_codes s ON s.code = r.code
         WHERE r.receipt = $1"
    )
    .bind(receipt)
    .fetch_optional(c)
    .await)
}
