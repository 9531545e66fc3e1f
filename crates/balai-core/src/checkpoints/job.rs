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
/// The current heads of a feature's chains.
pub type HeadSource = Arc<dyn Fn(Db) -> HeadsFuture + Send + Sync>;

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

/// One round: a checkpoint of every chain whose head moved; returns how many were made.
pub async fn round(
    db: &Db,
    key: &CheckpointKey,
    sources: &[HeadSource],
) -> Result<usize, sqlx::Error> {
    let mut heads = vec![audit_head(db).await?];
    for s in sources {
        heads.extend(s(db.clone()).await?);
    }
    let mut made = 0;
    for h in &heads {
        if store::make(db, key, h).await?.is_some() {
            made += 1;
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
