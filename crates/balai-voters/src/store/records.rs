//! The `voter_records` table: a voter's full record, sealed; read one at a time.

use balai_core::{with_db, Db};

/// The sealed record and village of a NIK hash in an election.
pub async fn sealed(
    db: &Db,
    election_id: i64,
    nik_hash: &[u8],
) -> Result<Option<(String, Vec<u8>)>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, (String, Vec<u8>)>(
        "SELECT village_code, sealed FROM voter_records WHERE election_id = $1 AND nik_hash = $2"
    )
    .bind(election_id)
    .bind(nik_hash)
    .fetch_optional(c)
    .await)
}
