//! Reading the packed look-up index: the one bucket of a NIK hash in every part (election and
//! province) of a list, and the entries under the hash ([`crate::domain::pack`]). Each part
//! numbers its buckets by its own bits (`voter_index_parts.bits`), so the statements join the
//! parts and take each one's bucket from the hash's first 32 bits, `$1 >> (32 - bits)`: one key
//! probe per part. SQLite keys a bucket row by `bucket << 32 | election << 8 | province`;
//! PostgreSQL reads the bucket's row by primary key in the partition of each province that
//! holds a part of a list, named in the statement: planning a read of the partitioned table
//! would consider all 39 partitions on every look-up (a NIK does not say where its holder
//! votes, so nothing prunes them), while one statement per set of provinces is prepared once
//! per connection and its plan reused.

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
    let prefix = i64::from(pack::prefix(hash));
    let rows: Vec<(i64, i64, Vec<u8>)> = if db.backend() == Backend::Sqlite {
        with_db!(db, |c| sqlx::query_as(
            "SELECT p.election_id, p.province, i.entries
             FROM voter_index_parts p JOIN voter_index i
               ON i.key = ((($1 >> (32 - p.bits)) << 32)
                           | ((p.election_id & 16777215) << 8) | p.province)"
        )
        .bind(prefix)
        .fetch_all(c)
        .await)?
    } else {
        let provinces: Vec<i16> = with_db!(db, |c| sqlx::query_scalar(
            "SELECT DISTINCT province FROM voter_index_parts ORDER BY province"
        )
        .fetch_all(c)
        .await)?;
        if provinces.is_empty() {
            Vec::new()
        } else {
            let sql = partitions_read(&provinces, "");
            with_db!(db, |c| sqlx::query_as(sql.as_str())
                .bind(prefix)
                .fetch_all(c)
                .await)?
        }
    };
    Ok(locate(rows, hash))
}

/// The entries under `hash` in the bucket rows `(election, province, packed)`, in election
/// order.
fn locate(rows: Vec<(i64, i64, Vec<u8>)>, hash: &[u8; 16]) -> Vec<Located> {
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
    out
}

/// The provinces whose partitions the PostgreSQL look-up last named (one set per app
/// instance); [`lookup`] corrects it from the database in the same statement.
#[derive(Debug, Default)]
pub struct Parts(std::sync::Mutex<Vec<i16>>);

impl Parts {
    fn get(&self) -> Vec<i16> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn set(&self, provinces: Vec<i16>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = provinces;
    }
}

/// What the check reads for one NIK: whether its regency exists, and its entries.
#[derive(Clone, Debug, Default)]
pub struct Read {
    pub regency_known: bool,
    pub entries: Vec<Located>,
}

/// The check's read of a NIK hash and its regency prefix (`PP.KK`). PostgreSQL: one round
/// trip, a statement that reads the bucket from the partitions of `parts`, the regency, and
/// the provinces that hold a list now (`voter_index_parts`, a few rows); when those differ
/// from `parts` (an import since), `parts` is corrected and the statement run again, so an
/// answer is never from a stale set. SQLite (in-process): the regency, then [`entries`].
pub async fn lookup(
    db: &Db,
    parts: &Parts,
    hash: &[u8; 16],
    regency: &str,
) -> Result<Read, sqlx::Error> {
    if db.backend() == Backend::Sqlite {
        if !super::elections::regency_exists(db, regency).await? {
            return Ok(Read::default());
        }
        return Ok(Read {
            regency_known: true,
            entries: entries(db, hash).await?,
        });
    }
    let prefix = i64::from(pack::prefix(hash));
    let mut named = parts.get();
    for _ in 0..4 {
        let sql = lookup_statement(&named);
        let rows: Vec<(i64, i64, i64, Option<Vec<u8>>)> =
            with_db!(db, |c| sqlx::query_as(sql.as_str())
                .bind(prefix)
                .bind(regency)
                .fetch_all(c)
                .await)?;
        let mut buckets = Vec::new();
        let mut now = Vec::new();
        let mut regency_known = false;
        for (kind, a, b, packed) in rows {
            match kind {
                0 => buckets.push((a, b, packed.unwrap_or_default())),
                1 => regency_known = a > 0,
                _ => now.push(i16::try_from(a).unwrap_or(0)),
            }
        }
        now.sort_unstable();
        if now == named {
            return Ok(Read {
                regency_known,
                entries: locate(buckets, hash),
            });
        }
        parts.set(now.clone());
        named = now;
    }
    // Imports kept changing the set under this look-up: read it the two-statement way.
    Ok(Read {
        regency_known: super::elections::regency_exists(db, regency).await?,
        entries: entries(db, hash).await?,
    })
}

/// The check's one statement on PostgreSQL: kind 0, the bucket of hash prefix `$1` in each
/// named partition; kind 1, whether regency `$2` exists; kind 2, each province that holds a
/// list now.
fn lookup_statement(provinces: &[i16]) -> String {
    let mut sql = String::new();
    if !provinces.is_empty() {
        sql.push_str(&partitions_read(provinces, "CAST(0 AS BIGINT), "));
        sql.push_str(" UNION ALL ");
    }
    sql.push_str(
        "SELECT CAST(1 AS BIGINT), COUNT(*), CAST(0 AS BIGINT), CAST(NULL AS BYTEA) \
         FROM regions WHERE level = 2 AND code = $2 \
         UNION ALL SELECT CAST(2 AS BIGINT), CAST(province AS BIGINT), CAST(0 AS BIGINT), \
         CAST(NULL AS BYTEA) FROM (SELECT DISTINCT province FROM voter_index_parts) AS p",
    );
    sql
}

/// The province partitions of migration 0048 (`voter_index_pPP`); any other code is kept in
/// the default partition `voter_index_px`.
const PARTITIONS: [u8; 38] = [
    11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65,
    71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96,
];

/// The table a province's buckets are kept in.
fn partition(province: i16) -> String {
    match u8::try_from(province) {
        Ok(p) if PARTITIONS.contains(&p) => format!("voter_index_p{p}"),
        _ => "voter_index_px".to_string(),
    }
}

/// One read, in each named partition, of every part's bucket of the hash prefix `$1`, each
/// row led by `lead` (the text depends only on the set of provinces, so the prepared
/// statement is reused).
fn partitions_read(provinces: &[i16], lead: &str) -> String {
    let mut tables: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for p in provinces {
        tables.entry(partition(*p)).or_default().push(p.to_string());
    }
    tables
        .iter()
        .map(|(t, ps)| {
            format!(
                "SELECT {lead}CAST(i.election_id AS BIGINT), CAST(i.province AS BIGINT), \
                 i.entries FROM voter_index_parts p JOIN {t} i \
                 ON i.election_id = p.election_id AND i.province = p.province \
                 AND i.bucket = ($1 >> (32 - p.bits)) WHERE p.province IN ({})",
                ps.join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_names_each_province_partition_once() {
        let sql = partitions_read(&[16, 32, 99, 100], "");
        assert!(sql.contains("JOIN voter_index_p16 i ON"));
        assert!(sql.contains("JOIN voter_index_p32 i ON"));
        assert!(sql.contains("i.bucket = ($1 >> (32 - p.bits)) WHERE p.province IN (16)"));
        assert_eq!(sql.matches("voter_index_px").count(), 1);
        assert!(sql.contains("WHERE p.province IN (99, 100)"));
        assert_eq!(sql.matches("UNION ALL").count(), 2);
    }

    #[test]
    fn the_lookup_statement_reads_bucket_regency_and_provinces_at_once() {
        let sql = lookup_statement(&[32]);
        assert!(sql.starts_with("SELECT CAST(0 AS BIGINT), CAST(i.election_id AS BIGINT)"));
        assert!(sql.contains("JOIN voter_index_p32 i ON"));
        assert!(sql.contains("AND i.bucket = ($1 >> (32 - p.bits)) WHERE p.province IN (32)"));
        assert!(sql.contains("code = $2"));
        assert!(sql.contains("FROM voter_index_parts"));
        // No list yet: the regency and the provinces only.
        let none = lookup_statement(&[]);
        assert!(!none.contains("i.bucket"));
        assert!(none.starts_with("SELECT CAST(1 AS BIGINT)"));
    }
}
