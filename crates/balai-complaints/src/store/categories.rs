//! Complaint categories and routing: which category applies in a village and which agency a
//! report goes to (`complaint_categories`, `regions`, `agencies`).

use balai_core::accounts::Agency;
use balai_core::db::{Db, Tx};
use balai_core::{with_db, with_tx};
use serde::Serialize;

#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Category {
    pub region_code: String,
    pub code: String,
    pub name_id: String,
    pub name_en: String,
    pub report_type: String,
    pub agency_kind: String,
    pub agency_id: Option<i64>,
}

/// The categories that apply to a village: the most specific row per code wins.
pub async fn categories_for(db: &Db, village: Option<&str>) -> Result<Vec<Category>, sqlx::Error> {
    let v = village.unwrap_or("");
    let rows: Vec<Category> = with_db!(db, |c| {
        sqlx::query_as::<_, Category>(
        "SELECT region_code, code, name_id, name_en, report_type, agency_kind, agency_id
         FROM complaint_categories
         WHERE active = TRUE AND (region_code = '' OR region_code = $1 OR $1 LIKE region_code || '.%')
         ORDER BY sort, code, length(region_code) DESC"
    )
    .bind(v)
    .fetch_all(c)
    .await
    })?;
    let mut out: Vec<Category> = Vec::new();
    for r in rows {
        if !out.iter().any(|o| o.code == r.code) {
            out.push(r);
        }
    }
    Ok(out)
}

/// The most specific active category `$2` for village `$1` (a region's own before the
/// national one).
const CATEGORY_SQL: &str =
    "SELECT region_code, code, name_id, name_en, report_type, agency_kind, agency_id
         FROM complaint_categories
         WHERE active = TRUE AND code = $2
           AND (region_code = '' OR region_code = $1 OR $1 LIKE region_code || '.%')
         ORDER BY length(region_code) DESC LIMIT 1";
const VILLAGE_SQL: &str = "SELECT COUNT(*) FROM regions WHERE code = $1 AND level = 4";

/// Where a new report goes, looked up on a reader before the write: whether the village
/// exists, the category that applies there, and the agency responsible.
#[derive(Debug, Default)]
pub struct Route {
    pub village_known: bool,
    pub category: Option<Category>,
    pub agency: Option<Agency>,
}

/// The route in one statement (`$1` village or '', `$2` category code): whether the village
/// exists, the category that applies there, and its agency (the category's own, else the
/// nearest of its kind above the village).
const ROUTE_SQL: &str = "SELECT
       (SELECT COUNT(*) FROM regions WHERE code = $1 AND level = 4) AS village_known,
       c.region_code, c.code, c.name_id, c.name_en, c.report_type, c.agency_kind, c.agency_id,
       a.id, a.kind, a.name, a.region_code
     FROM (SELECT 1 AS one) AS one
     LEFT JOIN (SELECT region_code, code, name_id, name_en, report_type, agency_kind, agency_id
                FROM complaint_categories
                WHERE active = TRUE AND code = $2
                  AND (region_code = '' OR region_code = $1 OR $1 LIKE region_code || '.%')
                ORDER BY length(region_code) DESC LIMIT 1) AS c ON TRUE
     LEFT JOIN agencies a ON a.id = COALESCE(c.agency_id,
       (SELECT n.id FROM agencies n
        WHERE n.kind = c.agency_kind AND $1 <> ''
          AND (n.region_code = $1 OR $1 LIKE n.region_code || '.%')
        ORDER BY length(n.region_code) DESC, n.id LIMIT 1))";

type RouteRow = (
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Resolve the route of a report (`village` None: an unstructured SMS, category "lainnya").
pub async fn route(db: &Db, village: Option<&str>, code: &str) -> Result<Route, sqlx::Error> {
    let v = village.unwrap_or("");
    let code = if v.is_empty() { "lainnya" } else { code };
    let row: RouteRow = with_db!(db, |c| sqlx::query_as(ROUTE_SQL)
        .bind(v)
        .bind(code)
        .fetch_one(c)
        .await)?;
    let (known, rc, cc, nid, nen, rt, ak, aid, agid, agk, agn, agr) = row;
    if village.is_some() && known == 0 {
        return Ok(Route::default());
    }
    let category = match (rc, cc, nid, nen, rt, ak) {
        (
            Some(region_code),
            Some(code),
            Some(name_id),
            Some(name_en),
            Some(report_type),
            Some(agency_kind),
        ) => Some(Category {
            region_code,
            code,
            name_id,
            name_en,
            report_type,
            agency_kind,
            agency_id: aid,
        }),
        _ => None,
    };
    let agency = Agency::joined(agid, agk, agn, agr);
    Ok(Route {
        village_known: village.is_some(),
        category,
        agency,
    })
}

pub async fn category_in_tx(
    tx: &mut Tx,
    village: &str,
    code: &str,
) -> Result<Option<Category>, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_as::<_, Category>(CATEGORY_SQL)
        .bind(village)
        .bind(code)
        .fetch_optional(&mut *c)
        .await)
}

pub async fn village_exists_in_tx(tx: &mut Tx, code: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = with_tx!(tx, |c| sqlx::query_scalar(VILLAGE_SQL)
        .bind(code)
        .fetch_one(&mut *c)
        .await)?;
    Ok(n > 0)
}

/// Villages whose name is exactly `name` (case-insensitive), at most `limit`.
pub async fn villages_named(db: &Db, name: &str, limit: i64) -> Result<Vec<String>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_scalar(
        "SELECT code FROM regions WHERE level = 4 AND name_search = $1 ORDER BY code LIMIT $2"
    )
    .bind(name.to_lowercase())
    .bind(limit)
    .fetch_all(c)
    .await)
}
