//! The background job: every few minutes (`[checkpoints] every_seconds`), a checkpoint of each
//! chain whose head moved since its last checkpoint. Features add their chains as
//! [`HeadSource`]s (the elections' publication logs); the audit chain is always included.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::{store, CheckpointKey, Head, AUDIT};
use crate::db::Db;
use crate::with_db;

pub type HeadsFuture = Pin<Box<dyn Future<Output = Result<Vec<Head>, sqlx::Error>> + Send>>;
pub type HashFuture = Pin<Box<dyn Future<Output = Result<Option<String>, sqlx::Error>> + Send>>;

/// A feature's chains: their current heads, and the hash of entry `seq` of one of them (by
/// the chain's name), with which a new head is checked against the last checkpoint.
#[derive(Clone)]
pub struct HeadSource {
    pub heads: Arc<dyn Fn(Db) -> HeadsFuture + Send + Sync>,
    pub hash_at: Arc<dyn Fn(Db, String, i64) -> HashFuture + Send + Sync>,
}

/// What [`sign`] did with a head.
#[derive(Debug, PartialEq, Eq)]
pub enum Signed {
    Made,
    /// The last checkpoint already has this head (or the chain is empty).
    Unchanged,
    /// The head does not extend the last checkpoint: entries were removed or changed after
    /// it was signed. Nothing is signed; the reason says what was found.
    Refused(String),
}

/// Sign `head` if it extends the chain's last checkpoint: the entry that checkpoint signed
/// must still be in the chain with the same hash (`hash_at` reads it). A history rewritten
/// with every hash recomputed gets no new signature; `balai audit verify --checkpoint` and
/// `balai verify-log --checkpoint` then show the rewrite against the checkpoints published
/// before it.
pub async fn sign<F>(
    db: &Db,
    key: &CheckpointKey,
    head: &Head,
    hash_at: F,
) -> Result<Signed, sqlx::Error>
where
    F: FnOnce(i64) -> HashFuture,
{
    if let Some(last) = store::latest(db, &head.chain).await? {
        let refused = if head.seq < last.seq {
            Some(format!("the chain ends at #{}", head.seq))
        } else if head.seq == last.seq {
            (head.hash != last.head_hash)
                .then(|| format!("entry #{} now hashes to {}", head.seq, head.hash))
        } else {
            match hash_at(last.seq).await? {
                Some(h) if h == last.head_hash => None,
                Some(h) => Some(format!("entry #{} now hashes to {h}", last.seq)),
                None => Some(format!("entry #{} is gone", last.seq)),
            }
        };
        if let Some(found) = refused {
            let reason = format!(
                "checkpoint #{} of {} signed entry #{} with hash {}, but {found}: history was rewritten",
                last.number, last.chain, last.seq, last.head_hash
            );
            tracing::error!(chain = %head.chain, reason = %reason, "refusing to sign a checkpoint");
            return Ok(Signed::Refused(reason));
        }
    }
    Ok(match store::make(db, key, head).await? {
        Some(_) => Signed::Made,
        None => Signed::Unchanged,
    })
}

/// The audit chain's head.
pub async fn audit_head(db: &Db) -> Result<Head, sqlx::Error> {
    let (seq, hash): (i64, String) = with_db!(db, |c| sqlx::query_as(
        "SELECT seq, last_hash FROM audit_head WHERE id = 1"
    )
    .fetch_one(c)
    .await)?;
    Ok(Head {
        chain: AUDIT.into(),
        seq,
        hash,
    })
}

/// The hash of audit event `seq`, if there is one.
pub async fn audit_hash_at(db: &Db, seq: i64) -> Result<Option<String>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_scalar(
        "SELECT hash FROM audit_events WHERE seq = $1"
    )
    .bind(seq)
    .fetch_optional(c)
    .await)
}

/// [`sign`] the audit chain's current head.
pub async fn sign_audit(db: &Db, key: &CheckpointKey) -> Result<Signed, sqlx::Error> {
    let head = audit_head(db).await?;
    let d = db.clone();
    sign(db, key, &head, move |seq| {
        Box::pin(async move { audit_hash_at(&d, seq).await })
    })
    .await
}

/// One round: a checkpoint of every chain whose head moved on from its last checkpoint;
/// returns how many were made (a rewritten chain is refused, see [`sign`]).
pub async fn round(
    db: &Db,
    key: &CheckpointKey,
    sources: &[HeadSource],
) -> Result<usize, sqlx::Error> {
    let mut made = usize::from(sign_audit(db, key).await? == Signed::Made);
    for s in sources {
        for h in (s.heads)(db.clone()).await? {
            let (read, d, chain) = (s.hash_at.clone(), db.clone(), h.chain.clone());
            let signed = sign(db, key, &h, move |seq| read(d, chain, seq)).await?;
            made += usize::from(signed == Signed::Made);
        }
    }
    Ok(made)
}

/// Run [`round`] every `every` until `shutdown` flips.
pub fn spawn(
    db: Db,
    key: CheckpointKey,
    sources: Vec<HeadSource>,
    every: std::time::Duration,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => match round(&db, &key, &sources).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(checkpoints = n, key = key.id(), "checkpoints signed"),
                    Err(e) => tracing::warn!(error = %e, "checkpoint round failed"),
                },
                _ = shutdown.changed() => break,
            }
        }
    })
}
