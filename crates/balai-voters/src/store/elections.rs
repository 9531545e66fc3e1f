//! The elections and regions the list is checked against, read by SQL so the feature does not
//! depend on the elections crate.

use std::collections::HashSet;

use balai_core::{with_db, with_tx, Db, Tx};

/// An election as the list needs it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ElectionHead {
    pub id: i64,
    pub name: String,
    pub region_code: String,
}

pub async fn get(db: &Db, id: i64) -> Result<Option<ElectionHead>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, ElectionHead>(
        "SELECT id, name, region_code FROM elections WHERE id = $1"
    )
    .bind(id)
    .fetch_optional(c)
    .await)
}

/// The elections in id order (for the response form's choice).
pub async fn all(db: &Db) -> Result<Vec<ElectionHead>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, ElectionHead>(
        "SELECT id, name, region_code FROM elections ORDER BY id"
    )
    .fetch_all(c)
    .await)
}

/// Hold the election's row for the import (PostgreSQL: two imports of one election queue;
/// SQLite's write transaction already holds the one write lock).
pub async fn lock(tx: &mut Tx, id: i64) -> Result<(), sqlx::Error> {
    if tx.backend() != balai_core::db::Backend::Postgres {
        return Ok(());
    }
    with_tx!(tx, |c| sqlx::query_scalar::<_, i64>(
        "SELECT id FROM elections WHERE id = $1 FOR UPDATE"
    )
    .bind(id)
    .fetch_optional(&mut *c)
    .await)?;
    Ok(())
}

/// The villages (level 4) inside `region`.
pub async fn villages_in(db: &Db, region: &str) -> Result<HashSet<String>, sqlx::Error> {
    let rows: Vec<String> = with_db!(db, |c| sqlx::query_scalar(
        "SELECT code FROM regions WHERE level = 4 AND code LIKE $1"
    )
    .bind(format!("{region}.%"))
    .fetch_all(c)
    .await)?;
    Ok(rows.into_iter().collect())
}

/// Every regency/city (level 2) code.
pub async fn regencies(db: &Db) -> Result<HashSet<String>, sqlx::Error> {
    let rows: Vec<String> = with_db!(db, |c| sqlx::query_scalar(
        "SELECT code FROM regions WHERE level = 2"
    )
    .fetch_all(c)
    .await)?;
    Ok(rows.into_iter().collect())
}

/// Does regency/city `code` exist?
pub async fn regency_exists(db: &Db, code: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = with_db!(db, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM regions WHERE level = 2 AND code = $1"
    )
    .bind(code)
    .fetch_one(c)
    .await)?;
    Ok(n > 0)
}
