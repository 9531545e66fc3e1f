//! A unit's survey settings (table `perf_unit_settings`) and entered service-user counts
//! (table `perf_service_users`).

use balai_core::ids::AgencyId;
use balai_core::{with_db, with_tx, Db, Tx};

use crate::domain::ikm::Weights;

/// The unit's weights; 1/9 each when it set none (or what is stored no longer reads).
pub async fn weights(db: &Db, agency_id: AgencyId) -> Result<Weights, sqlx::Error> {
    let text: Option<String> = with_db!(db, |c| sqlx::query_scalar(
        "SELECT weights FROM perf_unit_settings WHERE agency_id = $1"
    )
    .bind(agency_id)
    .fetch_optional(c)
    .await)?;
    Ok(text
        .and_then(|t| Weights::from_text(&t).ok())
        .unwrap_or_default())
}

pub async fn set_weights(tx: &mut Tx, agency_id: AgencyId, w: &Weights) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO perf_unit_settings (agency_id, weights, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (agency_id) DO UPDATE SET weights = EXCLUDED.weights, updated_at = EXCLUDED.updated_at"
    )
    .bind(agency_id)
    .bind(w.to_text())
    .bind(balai_core::db::now())
    .execute(&mut *c)
    .await
    .map(|_| ())
    })
}

/// Entered service users of the months `from..=to` (`YYYY-MM`), if any month was entered.
pub async fn service_users(
    db: &Db,
    agency_id: AgencyId,
    from_month: &str,
    to_month: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let (n, sum): (i64, Option<i64>) = with_db!(db, |c| sqlx::query_as(
        "SELECT COUNT(*), CAST(SUM(users) AS BIGINT) FROM perf_service_users
         WHERE agency_id = $1 AND month >= $2 AND month <= $3"
    )
    .bind(agency_id)
    .bind(from_month)
    .bind(to_month)
    .fetch_one(c)
    .await)?;
    Ok((n > 0).then_some(sum.unwrap_or(0)))
}

pub async fn set_service_users(
    tx: &mut Tx,
    agency_id: AgencyId,
    month: &str,
    users: i64,
) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO perf_service_users (agency_id, month, users, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (agency_id, month) DO UPDATE SET users = EXCLUDED.users, updated_at = EXCLUDED.updated_at"
    )
    .bind(agency_id)
    .bind(month)
    .bind(users)
    .bind(balai_core::db::now())
    .execute(&mut *c)
    .await
    .map(|_| ())
    })
}
