//! KPI targets (table `perf_kpi_targets`): hundredths, as text.

use std::collections::HashMap;

use balai_core::ids::AgencyId;
use balai_core::{with_db, with_tx, Db, Tx};

/// A unit's targets by KPI key.
pub async fn of_unit(db: &Db, agency_id: AgencyId) -> Result<HashMap<String, i64>, sqlx::Error> {
    let rows: Vec<(String, String)> = with_db!(db, |c| sqlx::query_as(
        "SELECT kpi, target FROM perf_kpi_targets WHERE agency_id = $1"
    )
    .bind(agency_id)
    .fetch_all(c)
    .await)?;
    Ok(rows
        .into_iter()
        .filter_map(|(k, t)| t.parse().ok().map(|v| (k, v)))
        .collect())
}

pub async fn set(
    tx: &mut Tx,
    agency_id: AgencyId,
    kpi: &str,
    hundredths: i64,
) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO perf_kpi_targets (agency_id, kpi, target, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (agency_id, kpi) DO UPDATE SET target = EXCLUDED.target, updated_at = EXCLUDED.updated_at"
    )
    .bind(agency_id)
    .bind(kpi)
    .bind(hundredths.to_string())
    .bind(balai_core::db::now())
    .execute(&mut *c)
    .await
    .map(|_| ())
    })
}

/// The regions a league table can be asked for: every region where a unit (agency) sits, and
/// its province, as (code, name, level), by code (a province before its regencies).
pub async fn unit_regions(db: &Db) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as(
        "SELECT code, name, level FROM regions
         WHERE code IN (SELECT region_code FROM agencies)
            OR code IN (SELECT SUBSTR(region_code, 1, 2) FROM agencies)
         ORDER BY code"
    )
    .fetch_all(c)
    .await)
}

/// Units (agencies) in a region subtree, for the league table: (id, name, region).
pub async fn units_in(
    db: &Db,
    region: &str,
) -> Result<Vec<balai_core::accounts::Agency>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, balai_core::accounts::Agency>(
        "SELECT id, kind, name, region_code FROM agencies
         WHERE region_code = $1 OR region_code LIKE $2 ORDER BY name"
    )
    .bind(region)
    .bind(format!("{region}.%"))
    .fetch_all(c)
    .await)
}
