//! The services catalogue (table `cr_services`).

use balai_core::{with_db, with_tx, Db, Tx};
use serde::Serialize;

use crate::domain::service::Requirement;

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct ServiceRow {
    pub code: String,
    pub position: i64,
    pub name_id: String,
    pub name_en: String,
    pub event_kind: Option<String>,
    pub late_after_days: Option<i64>,
    pub standard_days: i64,
    pub fee_rupiah: i64,
    pub requirements: String,
    pub active: bool,
}

impl ServiceRow {
    pub fn checklist(&self) -> Vec<Requirement> {
        serde_json::from_str(&self.requirements).unwrap_or_default()
    }
}

const SERVICE_COLS: &str = "code, position, name_id, name_en, event_kind, late_after_days, standard_days, fee_rupiah, requirements, active";

pub async fn list_services(db: &Db) -> Result<Vec<ServiceRow>, sqlx::Error> {
    let sql = format!("SELECT {SERVICE_COLS} FROM cr_services ORDER BY position, code");
    with_db!(db, |c| sqlx::query_as::<_, ServiceRow>(&sql)
        .fetch_all(c)
        .await)
}

pub async fn service(db: &Db, code: &str) -> Result<Option<ServiceRow>, sqlx::Error> {
    let sql = format!("SELECT {SERVICE_COLS} FROM cr_services WHERE code = $1");
    with_db!(db, |c| sqlx::query_as::<_, ServiceRow>(&sql)
        .bind(code)
        .fetch_optional(c)
        .await)
}

pub struct ServiceUpdate<'a> {
    pub standard_days: i64,
    pub fee_rupiah: i64,
    pub late_after_days: Option<i64>,
    pub requirements_json: &'a str,
    pub active: bool,
}

pub async fn update_service(
    tx: &mut Tx,
    code: &str,
    u: &ServiceUpdate<'_>,
) -> Result<u64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE cr_services SET standard_days = $1, fee_rupiah = $2, late_after_days = $3,
           requirements = $4, active = $5, updated_at = $6 WHERE code = $7"
    )
    .bind(u.standard_days)
    .bind(u.fee_rupiah)
    .bind(u.late_after_days)
    .bind(u.requirements_json)
    .bind(u.active)
    .bind(balai_core::db::now())
    .bind(code)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))
}
