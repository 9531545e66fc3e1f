//! Reading the packed look-up index: the one bucket of a NIK hash, in every election and
//! province, and the entries under the hash ([`crate::domain::pack`]). SQLite keys a bucket row
//! by `bucket << 32 | election << 8 | province`, so a bucket is one short range; PostgreSQL reads
//! the bucket's row in each province's partition by primary key.

use balai_core::db::Backend;
use balai_core::{with_db, Db};

use crate::domain::pack::{self, Found};

/// An entry under a NIK hash, with where it is kept.
#[derive(Clone, Debug)]
pub struct Located {
    pub election_id: i64,
    pub province: u8,
    pub found: Found,
}

/// Every entry under `hash`, in election order. The whole bucket is read and scanned either
/// way, so an unknown NIK costs the same as a listed one.
pub async fn entries(db: &Db, hash: &[u8; 16]) -> Result<Vec<Located>, sqlx::Error> {
    let bucket = pack::bucket(hash);
    let rows: Vec<(i64, i64, Vec<u8>)> = if db.backend() == Backend::Sqlite {
        let lo = i64::from(bucket) << 32;
        with_db!(db, |c| sqlx::query_as(
            "SELECT (key >> 8) & 16777215, key & 255, entries FROM voter_index
             WHERE key BETWEEN $1 AND $2"
        )
        .bind(lo)
        .bind(lo | 0xFFFF_FFFF)
        .fetch_all(c)
        .await)?
    } else {
        with_db!(db, |c| sqlx::query_as(
            "SELECT CAST(election_id AS BIGINT), CAST(province AS BIGINT), entries
             FROM voter_index WHERE bucket = $1"
        )
        .bind(i32::from(bucket))
        .fetch_all(c)
        .await)?
    };
    let mut out: Vec<Located> = rows
        .into_iter()
        .flat_map(|(election_id, province, packed)| {
            pack::find(&packed, hash)
                .into_iter()
                .map(move |found| Located {
                    election_id,
                    province: u8::try_from(province).unwrap_or(0),
                    found,
                })
        })
        .collect();
    out.sort_by_key(|l| l.election_id);
    Ok(out)
}
