//! The signed documents, every version kept (the current one is the highest).

use balai_core::db::now;
use balai_core::{with_db, with_tx, Db, Tx};
use time::OffsetDateTime;

use super::By;
use crate::domain::document::{DocKind, FileType};

/// A stored version, without its bytes.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DocumentRow {
    pub owner_id: i64,
    pub version: i64,
    pub sha256: String,
    pub content_type: String,
    pub size: i64,
    pub uploaded_at: OffsetDateTime,
}

const COLUMNS: &str = "owner_id, version, sha256, content_type, size, uploaded_at";

/// Store a new version; returns its number.
pub async fn insert(
    tx: &mut Tx,
    kind: DocKind,
    owner_id: i64,
    (file_type, sha256, data): (FileType, &str, &[u8]),
    by: By,
) -> Result<i64, sqlx::Error> {
    let version: i64 = with_tx!(tx, |c| sqlx::query_scalar::<_, i64>(
        "SELECT COALESCE(MAX(version), 0) + 1 FROM collab_documents
         WHERE owner_kind = $1 AND owner_id = $2"
    )
    .bind(kind.as_str())
    .bind(owner_id)
    .fetch_one(&mut *c)
    .await)?;
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO collab_documents (owner_kind, owner_id, version, sha256, content_type, size,
           data, agency_id, uploaded_by, uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    )
    .bind(kind.as_str())
    .bind(owner_id)
    .bind(version)
    .bind(sha256)
    .bind(file_type.content_type())
    .bind(data.len() as i64)
    .bind(data)
    .bind(by.agency_id)
    .bind(by.user_id)
    .bind(now())
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(version)
}

/// Every version of one record's document, the newest first.
pub async fn versions(
    db: &Db,
    kind: DocKind,
    owner_id: i64,
) -> Result<Vec<DocumentRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM collab_documents WHERE owner_kind = $1 AND owner_id = $2
         ORDER BY version DESC"
    );
    with_db!(db, |c| sqlx::query_as::<_, DocumentRow>(&sql)
        .bind(kind.as_str())
        .bind(owner_id)
        .fetch_all(c)
        .await)
}

/// The current version of each record's document among `owner_ids` (for lists).
pub async fn current_of(
    db: &Db,
    kind: DocKind,
    owner_ids: &[i64],
) -> Result<Vec<DocumentRow>, sqlx::Error> {
    if owner_ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = owner_ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let sql = format!(
        "SELECT {COLUMNS} FROM collab_documents d WHERE owner_kind = $1 AND owner_id IN ({list})
           AND version = (SELECT MAX(version) FROM collab_documents m
                          WHERE m.owner_kind = d.owner_kind AND m.owner_id = d.owner_id)
         ORDER BY owner_id"
    );
    with_db!(db, |c| sqlx::query_as::<_, DocumentRow>(&sql)
        .bind(kind.as_str())
        .fetch_all(c)
        .await)
}

/// One version's content type and bytes.
pub async fn data(
    db: &Db,
    kind: DocKind,
    owner_id: i64,
    version: i64,
) -> Result<Option<(String, Vec<u8>)>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, (String, Vec<u8>)>(
        "SELECT content_type, data FROM collab_documents
         WHERE owner_kind = $1 AND owner_id = $2 AND version = $3"
    )
    .bind(kind.as_str())
    .bind(owner_id)
    .bind(version)
    .fetch_optional(c)
    .await)
}
