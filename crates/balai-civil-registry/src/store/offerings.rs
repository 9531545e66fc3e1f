//! Which services each Disdukcapil offers (table `cr_service_offerings`): a row is an agency's
//! override of the catalogue default (see `queries::offerings`).

use balai_core::ids::AgencyId;
use balai_core::{with_db, with_tx, Db, Tx};

/// Services withdrawn at an agency (rows with `active = FALSE`).
pub async fn withdrawn(db: &Db, agency_id: AgencyId) -> Result<Vec<String>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_scalar::<_, String>(
        "SELECT service_code FROM cr_service_offerings WHERE agency_id = $1 AND active = FALSE
         ORDER BY service_code"
    )
    .bind(agency_id)
    .fetch_all(c)
    .await)
}

/// Does the agency offer this (catalogue-active) service? No row means yes.
pub async fn offered_tx(
    tx: &mut Tx,
    agency_id: AgencyId,
    service: &str,
) -> Result<bool, sqlx::Error> {
    let row: Option<bool> = with_tx!(tx, |c| sqlx::query_scalar::<_, bool>(
        "SELECT active FROM cr_service_offerings WHERE agency_id = $1 AND service_code = $2"
    )
    .bind(agency_id)
    .bind(service)
    .fetch_optional(&mut *c)
    .await)?;
    Ok(row.unwrap_or(true))
}

/// Switch a service on or off at an agency.
pub async fn set_offered(
    tx: &mut Tx,
    agency_id: AgencyId,
    service: &str,
    active: bool,
) -> Result<u64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO cr_service_offerings (agency_id, service_code, active, updated_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (agency_id, service_code)
         DO UPDATE SET active = EXCLUDED.active, updated_at = EXCLUDED.updated_at"
    )
    .bind(agency_id)
    .bind(service)
    .bind(active)
    .bind(balai_core::db::now())
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))
}
