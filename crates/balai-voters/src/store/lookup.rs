//! The check's one read: every registration under a NIK's keyed hash, with its TPS. The same
//! query runs whether the NIK is listed or not, and whether the name then matches or not.
//! The village's name is a correlated look-up by key, so no plan ever reads the whole regions
//! table for one voter.

use balai_core::{with_db, Db};

/// One registration under a NIK hash.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Registration {
    pub name_hash: Vec<u8>,
    pub name_masked: String,
    pub election_id: i64,
    pub election_name: String,
    pub tps_number: i64,
    pub village_code: String,
    pub village_name: String,
    pub address: String,
}

pub async fn by_nik_hash(db: &Db, nik_hash: &[u8]) -> Result<Vec<Registration>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, Registration>(
        "SELECT i.name_hash, i.name_masked, CAST(i.election_id AS BIGINT) AS election_id,
                e.name AS election_name, t.number AS tps_number, t.village_code,
                COALESCE((SELECT r.name FROM regions r WHERE r.code = t.village_code),
                  t.village_code) AS village_name, t.address
         FROM voter_index i
         JOIN voter_tps t ON t.id = i.tps_id
         JOIN elections e ON e.id = i.election_id
         WHERE i.nik_hash = $1 ORDER BY i.election_id"
    )
    .bind(nik_hash)
    .fetch_all(c)
    .await)
}
