//! SQL for the publication logs as chains to checkpoint: their heads, and the hash at a seq.

use balai_core::checkpoints::{election_chain, Head};
use balai_core::db::Db;
use balai_core::with_db;

/// The head of every election's publication log that has entries.
pub async fn heads(db: &Db) -> Result<Vec<Head>, sqlx::Error> {
    let rows: Vec<(i64, i64, String)> = with_db!(db, |c| sqlx::query_as(
        "SELECT id, log_seq, log_head FROM elections WHERE log_seq > 0 ORDER BY id"
    )
    .fetch_all(c)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(id, seq, hash)| Head {
            chain: election_chain(id),
            seq,
            hash,
        })
        .collect())
}

/// The head of one election's publication log.
pub async fn head(db: &Db, election_id: i64) -> Result<Option<Head>, sqlx::Error> {
    let row: Option<(i64, String)> = with_db!(db, |c| sqlx::query_as(
        "SELECT log_seq, log_head FROM elections WHERE id = $1"
    )
    .bind(election_id)
    .fetch_optional(c)
    .await)?;
    Ok(row.map(|(seq, hash)| Head {
        chain: election_chain(election_id),
        seq,
        hash,
    }))
}

/// The hash of entry `seq` of an election's publication log, if there is one.
pub async fn hash_at(db: &Db, election_id: i64, seq: i64) -> Result<Option<String>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_scalar(
        "SELECT hash FROM election_log WHERE election_id = $1 AND seq = $2"
    )
    .bind(election_id)
    .bind(seq)
    .fetch_optional(c)
    .await)
}
