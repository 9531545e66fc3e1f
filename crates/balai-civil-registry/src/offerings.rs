//! Which services each Disdukcapil offers (table `cr_service_offerings`).
//!
//! Rule: a row is an agency's override of the default. A Disdukcapil with no row for a service
//! offers it whenever the service is active in the catalogue, so new agencies and new services
//! need no seeding; a row with `active = FALSE` withdraws the service at that agency. Kelurahan
//! counters offer what their covering Disdukcapil offers: applications are always routed to a
//! Disdukcapil (see [`crate::store::disdukcapil_for`]) and checked against its offerings.

use balai_core::accounts::Agency;
use balai_core::regions::{self, Level, RegionCode};
use balai_core::web::actor::Actor;
use balai_core::{with_db, with_tx, AppError, AppResult, Db, Tx};

use crate::store::{self, ServiceRow};

/// Services withdrawn at an agency (rows with `active = FALSE`).
pub async fn withdrawn(db: &Db, agency_id: i64) -> Result<Vec<String>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_scalar::<_, String>(
        "SELECT service_code FROM cr_service_offerings WHERE agency_id = $1 AND active = FALSE
         ORDER BY service_code"
    )
    .bind(agency_id)
    .fetch_all(c)
    .await)
}

/// Does the agency offer this (catalogue-active) service? No row means yes.
pub async fn offered_tx(tx: &mut Tx, agency_id: i64, service: &str) -> Result<bool, sqlx::Error> {
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
pub async fn set(
    tx: &mut Tx,
    agency_id: i64,
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

/// Disdukcapil agencies, in id order.
pub async fn disdukcapil_agencies(db: &Db) -> Result<Vec<Agency>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, Agency>(
        "SELECT id, kind, name, region_code FROM agencies WHERE kind = 'disdukcapil' ORDER BY id"
    )
    .fetch_all(c)
    .await)
}

/// May this official switch services on/off for the agency? A super-admin for any Disdukcapil,
/// an agency admin for their own Disdukcapil only.
pub fn may_manage(actor: &Actor, agency: &Agency) -> bool {
    if agency.kind != "disdukcapil" {
        return false;
    }
    actor.is_superadmin()
        || (actor.role == balai_core::accounts::Role::Admin
            && actor.agency.as_ref().is_some_and(|a| a.id == agency.id))
}

/// The Disdukcapil serving a kelurahan and the services it offers there (catalogue order).
/// A bad, unknown or unserved kelurahan is a 422 with a message for the applicant.
pub async fn offered_at(db: &Db, kelurahan: &str) -> AppResult<(Agency, Vec<String>)> {
    let bad = |id: &str, en: &str| AppError::unprocessable("bad_kelurahan", id, en);
    let code = RegionCode::parse(kelurahan.trim())
        .ok()
        .filter(|c| c.level() == Level::Village)
        .ok_or_else(|| {
            bad(
                "Kode kelurahan/desa tidak sah (PP.KK.CC.NNNN).",
                "Invalid kelurahan/desa code (PP.KK.CC.NNNN).",
            )
        })?;
    if regions::get(db, &code).await?.is_none() {
        return Err(bad(
            "Kode kelurahan/desa tidak dikenal.",
            "Unknown kelurahan/desa code.",
        ));
    }
    let Some(dinas) = store::serving(disdukcapil_agencies(db).await?, code.as_str()) else {
        return Err(AppError::unprocessable(
            "no_disdukcapil",
            "Belum ada Disdukcapil yang melayani wilayah ini di Balai.",
            "No Disdukcapil serves this region in Balai yet.",
        ));
    };
    let off = withdrawn(db, dinas.id).await?;
    let codes = store::list_services(db)
        .await?
        .into_iter()
        .filter(|s| s.active && !off.contains(&s.code))
        .map(|s| s.code)
        .collect();
    Ok((dinas, codes))
}

/// The refusal when the routed Disdukcapil does not offer the service.
pub fn not_offered(service: &ServiceRow, agency: &Agency) -> AppError {
    AppError::unprocessable(
        "service_not_offered",
        format!(
            "Layanan {} tidak dibuka oleh {} untuk wilayah ini. Silakan tanyakan ke kantor Disdukcapil atau loket kelurahan.",
            service.name_id, agency.name
        ),
        format!(
            "The service {} is not offered by {} for this region. Please ask the Disdukcapil office or the kelurahan counter.",
            service.name_en, agency.name
        ),
    )
}
