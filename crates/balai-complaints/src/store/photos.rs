//! The `complaint_photos` table.

use std::collections::HashMap;

use balai_core::db::{Db, Tx};
use balai_core::ids::ComplaintId;
use balai_core::{with_db, with_tx};

pub async fn insert_photo(
    tx: &mut Tx,
    complaint_id: ComplaintId,
    p: &crate::photo::CleanPhoto,
) -> Result<i64, sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO complaint_photos (complaint_id, content_type, width, height, bytes, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
    )
    .bind(complaint_id)
    .bind(p.content_type)
    .bind(i64::from(p.width))
    .bind(i64::from(p.height))
    .bind(&p.bytes)
    .bind(balai_core::db::now())
    .fetch_one(&mut *c)
    .await
    })
}

pub async fn photo_ids(db: &Db, complaint_id: ComplaintId) -> Result<Vec<i64>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_scalar(
        "SELECT id FROM complaint_photos WHERE complaint_id = $1 AND hidden = FALSE ORDER BY id"
    )
    .bind(complaint_id)
    .fetch_all(c)
    .await)
}

pub async fn photo(
    db: &Db,
    complaint_id: ComplaintId,
    photo_id: i64,
) -> Result<Option<(String, Vec<u8>)>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as(
        "SELECT content_type, bytes FROM complaint_photos
         WHERE id = $1 AND complaint_id = $2 AND hidden = FALSE"
    )
    .bind(photo_id)
    .bind(complaint_id)
    .fetch_optional(c)
    .await)
}

/// Moderation: hide one photo of a report.
pub async fn hide_photo(
    tx: &mut Tx,
    complaint_id: ComplaintId,
    photo_id: i64,
) -> Result<u64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE complaint_photos SET hidden = TRUE WHERE id = $1 AND complaint_id = $2"
    )
    .bind(photo_id)
    .bind(complaint_id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))
}

/// The first visible photo of each of `ids`, in one query (lists).
pub async fn first_photo_ids(
    db: &Db,
    ids: &[ComplaintId],
) -> Result<HashMap<ComplaintId, i64>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(ComplaintId, i64)> = with_db!(db, |c| {
        let mut q = sqlx::QueryBuilder::new(
            "SELECT complaint_id, MIN(id) FROM complaint_photos WHERE hidden = FALSE AND complaint_id IN (",
        );
        let mut list = q.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        q.push(") GROUP BY complaint_id");
        q.build_query_as().fetch_all(c).await
    })?;
    Ok(rows.into_iter().collect())
}
