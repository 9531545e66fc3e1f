//! The `dip_entries` table: each PPID's Daftar Informasi Publik.

use balai_core::db::{Db, Tx};
use balai_core::ids::AgencyId;
use balai_core::{with_db, with_tx};
use time::Date;

use crate::domain::dip::{Document, Entry};

/// An entry as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EntryRow {
    pub id: i64,
    pub agency_id: i64,
    pub category: String,
    pub title: String,
    pub summary: Option<String>,
    pub legal_basis: String,
    pub exemption: Option<String>,
    /// A JSON list of [`Document`].
    pub documents: String,
    pub updated_on: Date,
}

impl EntryRow {
    pub fn documents(&self) -> Vec<Document> {
        serde_json::from_str(&self.documents).unwrap_or_default()
    }
}

fn documents_json(e: &Entry) -> String {
    serde_json::to_string(&e.documents).unwrap_or_else(|_| "[]".into())
}

pub async fn insert(tx: &mut Tx, agency: AgencyId, e: &Entry) -> Result<i64, sqlx::Error> {
    let now = balai_core::db::now();
    let docs = documents_json(e);
    with_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO dip_entries (agency_id, category, title, summary, legal_basis, exemption,
           documents, updated_on, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id"
    )
    .bind(agency)
    .bind(e.category.as_str())
    .bind(&e.title)
    .bind(&e.summary)
    .bind(&e.legal_basis)
    .bind(e.exemption.map(|x| x.code()))
    .bind(&docs)
    .bind(e.updated_on)
    .bind(now)
    .fetch_one(&mut *c)
    .await)
}

/// Replace an entry of `agency`; returns whether it was that agency's.
pub async fn update(
    tx: &mut Tx,
    agency: AgencyId,
    id: i64,
    e: &Entry,
) -> Result<bool, sqlx::Error> {
    let now = balai_core::db::now();
    let docs = documents_json(e);
    let n = with_tx!(tx, |c| sqlx::query(
        "UPDATE dip_entries SET category = $1, title = $2, summary = $3, legal_basis = $4,
           exemption = $5, documents = $6, updated_on = $7, updated_at = $8
         WHERE id = $9 AND agency_id = $10"
    )
    .bind(e.category.as_str())
    .bind(&e.title)
    .bind(&e.summary)
    .bind(&e.legal_basis)
    .bind(e.exemption.map(|x| x.code()))
    .bind(&docs)
    .bind(e.updated_on)
    .bind(now)
    .bind(id)
    .bind(agency)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

const COLUMNS: &str = "id, agency_id, category, title, summary, legal_basis, exemption, documents,
    updated_on";

/// An agency's entries, by class then as entered.
pub async fn of_agency(db: &Db, agency: AgencyId) -> Result<Vec<EntryRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM dip_entries WHERE agency_id = $1
         ORDER BY CASE category WHEN 'berkala' THEN 1 WHEN 'serta_merta' THEN 2
           WHEN 'setiap_saat' THEN 3 ELSE 4 END, id"
    );
    with_db!(db, |c| sqlx::query_as::<_, EntryRow>(&sql)
        .bind(agency)
        .fetch_all(c)
        .await)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<EntryRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM dip_entries WHERE id = $1");
    with_db!(db, |c| sqlx::query_as::<_, EntryRow>(&sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}
