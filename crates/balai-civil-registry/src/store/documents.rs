//! Uploaded documents (table `cr_documents`).

use balai_core::ids::ApplicationId;
use balai_core::{with_db, with_tx, Db, Tx};
use serde::Serialize;
use time::OffsetDateTime;

pub async fn insert_document(
    tx: &mut Tx,
    application_id: ApplicationId,
    key: &str,
    filename: &str,
    content_type: &str,
    data: &[u8],
) -> Result<i64, sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO cr_documents (application_id, requirement_key, filename, content_type, size_bytes,
           data, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"
    )
    .bind(application_id)
    .bind(key)
    .bind(filename)
    .bind(content_type)
    .bind(i64::try_from(data.len()).unwrap_or(i64::MAX))
    .bind(data)
    .bind(balai_core::db::now())
    .fetch_one(&mut *c)
    .await
    })
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct DocumentMeta {
    pub id: i64,
    pub requirement_key: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_at: OffsetDateTime,
}

pub async fn documents(
    db: &Db,
    application_id: impl Into<ApplicationId>,
) -> Result<Vec<DocumentMeta>, sqlx::Error> {
    let application_id: ApplicationId = application_id.into();
    with_db!(db, |c| sqlx::query_as::<_, DocumentMeta>(
        "SELECT id, requirement_key, filename, content_type, size_bytes, uploaded_at
         FROM cr_documents WHERE application_id = $1 ORDER BY id"
    )
    .bind(application_id)
    .fetch_all(c)
    .await)
}

pub async fn document_data(
    db: &Db,
    application_id: ApplicationId,
    doc_id: i64,
) -> Result<Option<(DocumentMeta, Vec<u8>)>, sqlx::Error> {
    let meta: Option<DocumentMeta> = with_db!(db, |c| sqlx::query_as::<_, DocumentMeta>(
        "SELECT id, requirement_key, filename, content_type, size_bytes, uploaded_at
         FROM cr_documents WHERE application_id = $1 AND id = $2"
    )
    .bind(application_id)
    .bind(doc_id)
    .fetch_optional(c)
    .await)?;
    let Some(meta) = meta else { return Ok(None) };
    let data: Vec<u8> = with_db!(db, |c| sqlx::query_scalar(
        "SELECT data FROM cr_documents WHERE id = $1"
    )
    .bind(doc_id)
    .fetch_one(c)
    .await)?;
    Ok(Some((meta, data)))
}
