//! SQL for the checkpoints (both backends).

use time::OffsetDateTime;

use super::{format_time, sha256_hex, Checkpoint, CheckpointKey, Head, NO_PREV};
use crate::db::{Db, Tx};
use crate::{with_db, with_tx};

const COLS: &str =
    "id, chain, number, seq, head_hash, made_at, key_id, public_key, prev, signature";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    chain: String,
    number: i64,
    seq: i64,
    head_hash: String,
    made_at: OffsetDateTime,
    key_id: String,
    public_key: String,
    prev: String,
    signature: String,
}

impl Row {
    fn into_checkpoint(self) -> (i64, Checkpoint) {
        let mut c = Checkpoint {
            chain: self.chain,
            number: self.number,
            seq: self.seq,
            head_hash: self.head_hash,
            made_at: format_time(self.made_at),
            key_id: self.key_id,
            public_key: self.public_key,
            prev: self.prev,
            statement: String::new(),
            signature: self.signature,
            digest: String::new(),
        };
        c.statement = c.expected_statement();
        c.digest = sha256_hex(c.statement.as_bytes());
        (self.id, c)
    }
}

async fn latest_in(tx: &mut Tx, chain: &str) -> Result<Option<Checkpoint>, sqlx::Error> {
    let row: Option<Row> = with_tx!(tx, |c| sqlx::query_as(&format!(
        "SELECT {COLS} FROM checkpoints WHERE chain = $1 ORDER BY number DESC LIMIT 1"
    ))
    .bind(chain)
    .fetch_optional(&mut *c)
    .await)?;
    Ok(row.map(|r| r.into_checkpoint().1))
}

/// Sign and store a checkpoint of `head` unless the chain's latest checkpoint already has this
/// head (or `head` is an empty chain); `Some` is the checkpoint made. Two makers racing for the
/// same chain keep one checkpoint: the loser's insert hits `(chain, number)` and is dropped.
pub async fn make(
    db: &Db,
    key: &CheckpointKey,
    head: &Head,
) -> Result<Option<Checkpoint>, sqlx::Error> {
    if head.seq <= 0 {
        return Ok(None);
    }
    let mut tx = db.begin().await?;
    let last = latest_in(&mut tx, &head.chain).await?;
    if let Some(l) = &last {
        if l.seq == head.seq && l.head_hash == head.hash {
            return Ok(None);
        }
    }
    let (number, prev) = match &last {
        Some(l) => (l.number + 1, l.digest.clone()),
        None => (1, NO_PREV.to_string()),
    };
    let now = crate::db::now();
    let at = now.replace_nanosecond(0).unwrap_or(now);
    let cp = key.sign(head, number, &prev, at);
    let inserted = with_tx!(&mut tx, |c| {
        sqlx::query(
        "INSERT INTO checkpoints (chain, number, seq, head_hash, made_at, key_id, public_key, prev,
           signature) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (chain, number) DO NOTHING"
    )
    .bind(&cp.chain)
    .bind(cp.number)
    .bind(cp.seq)
    .bind(&cp.head_hash)
    .bind(at)
    .bind(&cp.key_id)
    .bind(&cp.public_key)
    .bind(&cp.prev)
    .bind(&cp.signature)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected())
    })?;
    tx.commit().await?;
    Ok((inserted == 1).then_some(cp))
}

/// A page of checkpoints, newest first, with their ids (the cursor of the next page):
/// those of `chain` only when given, below id `before` when given.
pub async fn list(
    db: &Db,
    chain: Option<&str>,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<(i64, Checkpoint)>, sqlx::Error> {
    let before = before.unwrap_or(i64::MAX);
    let rows: Vec<Row> = match chain {
        Some(chain) => with_db!(db, |c| sqlx::query_as(&format!(
            "SELECT {COLS} FROM checkpoints WHERE chain = $1 AND id < $2 ORDER BY id DESC LIMIT $3"
        ))
        .bind(chain)
        .bind(before)
        .bind(limit)
        .fetch_all(c)
        .await)?,
        None => with_db!(db, |c| sqlx::query_as(&format!(
            "SELECT {COLS} FROM checkpoints WHERE id < $1 ORDER BY id DESC LIMIT $2"
        ))
        .bind(before)
        .bind(limit)
        .fetch_all(c)
        .await)?,
    };
    Ok(rows.into_iter().map(Row::into_checkpoint).collect())
}

/// The latest checkpoint of `chain`.
pub async fn latest(db: &Db, chain: &str) -> Result<Option<Checkpoint>, sqlx::Error> {
    Ok(list(db, Some(chain), None, 1).await?.pop().map(|(_, c)| c))
}
