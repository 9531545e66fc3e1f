//! The `voter_records` table: voters' full records, sealed in blocks by their position in
//! their province's import (or, imported before blocks, one per row); found through the
//! look-up index and read one at a time.

use balai_core::{with_db, Db};

use crate::domain::block::Place;

/// The sealed row holding a NIK hash's record in an election, where in it the record is, and
/// the record's village.
pub async fn sealed(
    db: &Db,
    election_id: i64,
    nik_hash: &[u8],
) -> Result<Option<(String, Vec<u8>, Place)>, sqlx::Error> {
    let hash: [u8; 16] = nik_hash.try_into().unwrap_or([0; 16]);
    let found = super::index::entries(db, &hash).await?;
    let Some(at) = found.into_iter().find(|l| l.election_id == election_id) else {
        return Ok(None);
    };
    let place = Place::of(at.found.n);
    let row: Option<(String, Vec<u8>)> = with_db!(db, |c| sqlx::query_as(
        "SELECT t.village_code, r.sealed FROM voter_records r, voter_tps t
         WHERE r.election_id = $1 AND r.province = $2 AND r.n = $3 AND t.id = $4"
    )
    .bind(i32::try_from(election_id).unwrap_or(i32::MAX))
    .bind(i16::from(at.province))
    .bind(i32::try_from(place.row()).unwrap_or(i32::MAX))
    .bind(i64::from(at.found.tps_id))
    .fetch_optional(c)
    .await)?;
    Ok(row.map(|(village, sealed)| (village, sealed, place)))
}
