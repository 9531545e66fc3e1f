//! Periodic clean-up of short-lived rows: expired sessions, old failed-login records,
//! idempotency keys past their retry window, and finished jobs past their retention.

use time::Duration;

use crate::db::Db;
use crate::with_tx;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub sessions: u64,
    pub login_failures: u64,
    pub idempotency_keys: u64,
    pub jobs: u64,
}

/// Delete what is no longer needed as of `now`.
pub async fn purge(db: &Db, now: time::OffsetDateTime) -> Result<Purged, sqlx::Error> {
    let mut tx = db.begin().await?;
    let mut p = Purged::default();
    with_tx!(&mut tx, |c| {
        p.sessions = sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(now)
            .execute(&mut *c)
            .await?
            .rows_affected();
        p.login_failures = sqlx::query("DELETE FROM login_failures WHERE at < $1")
            .bind(now - Duration::days(1))
            .execute(&mut *c)
            .await?
            .rows_affected();
        p.idempotency_keys = sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
            .bind(now - Duration::days(2))
            .execute(&mut *c)
            .await?
            .rows_affected();
        p.jobs = sqlx::query("DELETE FROM jobs WHERE status = 'done' AND finished_at < $1")
            .bind(now - Duration::days(30))
            .execute(&mut *c)
            .await?
            .rows_affected();
    });
    tx.commit().await?;
    Ok(p)
}

/// A passive checkpoint, and a truncating one when the WAL has grown past
/// [`crate::db::WAL_TRUNCATE_PAGES`] (a full disk is handled by `crate::disk`).
async fn checkpoint(db: &Db) {
    match db.checkpoint().await {
        Ok(Some((log, _))) if log > crate::db::WAL_TRUNCATE_PAGES => {
            if let Err(e) = db.checkpoint_truncate().await {
                tracing::warn!(error = %e, "WAL checkpoint (truncate) failed");
            }
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "WAL checkpoint failed"),
    }
}

/// How often the SQLite WAL is checkpointed beside the writer ([`Db::checkpoint`]).
pub const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(200);

/// Run [`purge`] every hour, and on SQLite a WAL checkpoint every [`CHECKPOINT_EVERY`], until
/// `shutdown` flips.
pub fn spawn(
    db: Db,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        let mut wal = tokio::time::interval(CHECKPOINT_EVERY);
        wal.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let sqlite = db.backend() == crate::db::Backend::Sqlite;
        loop {
            tokio::select! {
                _ = tick.tick() => {
                    match purge(&db, crate::db::now()).await {
                        Ok(p) => tracing::info!(?p, "maintenance purge"),
                        Err(e) => tracing::warn!(error = %e, "maintenance purge failed"),
                    }
                }
                _ = wal.tick(), if sqlite => checkpoint(&db).await,
                _ = shutdown.changed() => break,
            }
        }
    })
}
