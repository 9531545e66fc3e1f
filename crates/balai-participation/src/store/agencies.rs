//! The agencies a record names (core's `agencies` table, read only) and the e-mail addresses
//! of their admins, for the expiry reminders.

use balai_core::accounts::Agency;
use balai_core::{with_db, with_tx, Db, Tx};

/// The agencies with these ids that exist.
pub async fn by_ids_tx(tx: &mut Tx, ids: &[i64]) -> Result<Vec<Agency>, sqlx::Error> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let row: Option<Agency> = with_tx!(tx, |c| sqlx::query_as::<_, Agency>(
            "SELECT id, kind, name, region_code FROM agencies WHERE id = $1"
        )
        .bind(*id)
        .fetch_optional(&mut *c)
        .await)?;
        out.extend(row);
    }
    Ok(out)
}

/// Every agency, by name, for the officials' forms' choices (at most 2,000).
pub async fn all(db: &Db) -> Result<Vec<Agency>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, Agency>(
        "SELECT id, kind, name, region_code FROM agencies ORDER BY name, id LIMIT 2000"
    )
    .fetch_all(c)
    .await)
}

/// The e-mail addresses of the enabled admins of an agency.
pub async fn admin_emails(tx: &mut Tx, agency_id: i64) -> Result<Vec<String>, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_scalar::<_, String>(
        "SELECT email FROM users WHERE agency_id = $1 AND role = 'admin' AND disabled = FALSE
           AND email IS NOT NULL ORDER BY id"
    )
    .bind(agency_id)
    .fetch_all(&mut *c)
    .await)
}
