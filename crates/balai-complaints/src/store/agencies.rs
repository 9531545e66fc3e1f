//! Agencies and their staff as complaint handling sees them: routing targets, re-routing
//! choices, assignees and escalation recipients.

use std::collections::HashMap;

use balai_core::accounts::Agency;
use balai_core::db::{Db, Tx};
use balai_core::{with_db, with_tx};

/// The agency of kind `$1` nearest above village `$2`.
const NEAREST_AGENCY_SQL: &str = "SELECT id, kind, name, region_code FROM agencies
         WHERE kind = $1 AND (region_code = $2 OR $2 LIKE region_code || '.%')
         ORDER BY length(region_code) DESC, id LIMIT 1";
const AGENCY_SQL: &str = "SELECT id, kind, name, region_code FROM agencies WHERE id = $1";

/// The agency of `kind` nearest above the village (the city's before the province's).
pub async fn nearest_agency_in_tx(
    tx: &mut Tx,
    kind: &str,
    village: &str,
) -> Result<Option<Agency>, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_as::<_, Agency>(NEAREST_AGENCY_SQL)
        .bind(kind)
        .bind(village)
        .fetch_optional(&mut *c)
        .await)
}

pub async fn agency_in_tx(tx: &mut Tx, id: i64) -> Result<Option<Agency>, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_as::<_, Agency>(AGENCY_SQL)
        .bind(id)
        .fetch_optional(&mut *c)
        .await)
}

/// Agencies a report in `village` may be re-routed to: those whose region covers the village
/// (BKN's regional office among them: ASN-neutrality cases go from Bawaslu to BKN). The action
/// checks the same rule (`commands::authorize::serves`).
pub async fn agencies_for_reroute(
    db: &Db,
    village: Option<&str>,
) -> Result<Vec<Agency>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, Agency>(
        "SELECT id, kind, name, region_code FROM agencies
         WHERE region_code = $1 OR $1 LIKE region_code || '.%'
         ORDER BY region_code, kind, name LIMIT 200"
    )
    .bind(village.unwrap_or("-"))
    .fetch_all(c)
    .await)
}

/// Email addresses of an agency's supervisors (admins when it has none), for escalation.
pub async fn supervisor_emails(tx: &mut Tx, agency_id: i64) -> Result<Vec<String>, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT email FROM users WHERE agency_id = $1 AND disabled = FALSE AND email IS NOT NULL
           AND role = (SELECT CASE WHEN EXISTS (SELECT 1 FROM users WHERE agency_id = $1
                 AND role = 'supervisor' AND disabled = FALSE AND email IS NOT NULL)
               THEN 'supervisor' ELSE 'admin' END)
         ORDER BY id"
    )
    .bind(agency_id)
    .fetch_all(&mut *c)
    .await)
}

/// Is a user a member of the agency (for assignment)?
pub async fn user_in_agency(
    tx: &mut Tx,
    user_id: i64,
    agency_id: i64,
) -> Result<bool, sqlx::Error> {
    let n: i64 = with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM users WHERE id = $1 AND agency_id = $2 AND disabled = FALSE"
    )
    .bind(user_id)
    .bind(agency_id)
    .fetch_one(&mut *c)
    .await)?;
    Ok(n > 0)
}

/// The active officials of an agency who can handle reports (for a supervisor's assignment):
/// (id, display name), by name.
pub async fn colleagues(db: &Db, agency_id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, (i64, String)>(
        "SELECT id, display_name FROM users
          WHERE agency_id = $1 AND disabled = FALSE AND role IN ('officer', 'supervisor', 'admin')
          ORDER BY display_name, id"
    )
    .bind(agency_id)
    .fetch_all(c)
    .await)
}

/// The names of agencies `ids`, in one query (lists).
pub async fn agency_names(db: &Db, ids: &[i64]) -> Result<HashMap<i64, String>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, String)> = with_db!(db, |c| {
        let mut q = sqlx::QueryBuilder::new("SELECT id, name FROM agencies WHERE id IN (");
        let mut list = q.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        q.push(")");
        q.build_query_as().fetch_all(c).await
    })?;
    Ok(rows.into_iter().collect())
}
