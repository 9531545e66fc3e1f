//! SQL for form photos, with reuse detection by hash.

use balai_core::db::{now, Db, Tx};
use balai_core::{with_db, with_tx};
use serde::Serialize;
use time::OffsetDateTime;

#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Photo {
    pub id: i64,
    pub tps_id: i64,
    pub sha256: String,
    pub content_type: String,
    pub size: i64,
    pub reused: bool,
    pub uploaded_label: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String)]
    pub uploaded_at: OffsetDateTime,
}

const PHOTO_COLS: &str =
    "id, tps_id, sha256, content_type, size, reused, uploaded_label, uploaded_at";

/// Other TPS of the election that already have a photo with this hash.
pub async fn tps_with_hash(
    tx: &mut Tx,
    election_id: i64,
    sha256: &str,
) -> Result<Vec<i64>, sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query_scalar(
        "SELECT DISTINCT tps_id FROM result_photos WHERE election_id = $1 AND sha256 = $2 ORDER BY tps_id"
    )
    .bind(election_id)
    .bind(sha256)
    .fetch_all(&mut *c)
    .await
    })
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_photo(
    tx: &mut Tx,
    election_id: i64,
    tps_id: i64,
    sha256: &str,
    content_type: &str,
    data: &[u8],
    reused: bool,
    user_id: i64,
    label: &str,
) -> Result<i64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO result_photos (election_id, tps_id, sha256, content_type, size, data, reused,
           uploaded_by, uploaded_label, uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id"
    )
    .bind(election_id)
    .bind(tps_id)
    .bind(sha256)
    .bind(content_type)
    .bind(data.len() as i64)
    .bind(data)
    .bind(reused)
    .bind(user_id)
    .bind(label)
    .bind(now())
    .fetch_one(&mut *c)
    .await)
}

/// Flag the TPS within `region_prefix` (all with `None`) that hold the photo `sha256`, and
/// mark their copies reused; returns the villages of the TPS newly flagged. TPS outside the
/// uploader's region are never flagged by the upload (someone could otherwise flag an
/// opponent's strongholds by re-uploading their public photos); the audit event of the upload
/// names them for a supervisor to look at.
pub async fn mark_reused(
    tx: &mut Tx,
    election_id: i64,
    sha256: &str,
    region_prefix: Option<&str>,
) -> Result<Vec<String>, sqlx::Error> {
    // The TPS of this election holding the photo, within the region (`$3` NULL: anywhere).
    const HOLDERS: &str = "SELECT p.tps_id FROM result_photos p JOIN tps t ON t.id = p.tps_id
         WHERE p.election_id = $1 AND p.sha256 = $2
           AND ($3 IS NULL OR t.village_code = $3 OR t.village_code LIKE $4)";
    let like = region_prefix.map(|p| format!("{p}.%"));
    with_tx!(tx, |c| {
        sqlx::query(&format!(
            "UPDATE result_photos SET reused = TRUE WHERE election_id = $1 AND sha256 = $2
               AND tps_id IN ({HOLDERS})"
        ))
        .bind(election_id)
        .bind(sha256)
        .bind(region_prefix)
        .bind(like.as_deref())
        .execute(&mut *c)
        .await?;
        let newly: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT village_code FROM tps_results WHERE NOT flagged AND tps_id IN ({HOLDERS})"
        ))
        .bind(election_id)
        .bind(sha256)
        .bind(region_prefix)
        .bind(like.as_deref())
        .fetch_all(&mut *c)
        .await?;
        sqlx::query(&format!(
            "UPDATE tps_results SET photo_reused = TRUE, flagged = TRUE
             WHERE tps_id IN ({HOLDERS})"
        ))
        .bind(election_id)
        .bind(sha256)
        .bind(region_prefix)
        .bind(like.as_deref())
        .execute(&mut *c)
        .await?;
        Ok(newly)
    })
}

pub async fn photos(db: &Db, tps_id: i64) -> Result<Vec<Photo>, sqlx::Error> {
    let sql = format!("SELECT {PHOTO_COLS} FROM result_photos WHERE tps_id = $1 ORDER BY id");
    with_db!(db, |c| sqlx::query_as::<_, Photo>(&sql)
        .bind(tps_id)
        .fetch_all(c)
        .await)
}

pub async fn photo_data(
    db: &Db,
    election_id: i64,
    id: i64,
) -> Result<Option<(String, Vec<u8>)>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as(
        "SELECT content_type, data FROM result_photos WHERE id = $1 AND election_id = $2"
    )
    .bind(id)
    .bind(election_id)
    .fetch_optional(c)
    .await)
}
