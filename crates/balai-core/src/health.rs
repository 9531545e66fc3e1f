//! What `/readyz` reports: the parts of the process that must work for it to serve writes,
//! each reporting here (the job workers, the disk monitor) or asked when the check runs (the
//! database, the group-commit writer).
//!
//! Ready means: the database answers, every writer lane runs, the last transaction the writer
//! tried committed, every job worker runs, and the disk is neither full nor read-only. After a
//! failed commit a check queues a small probe write, so an instance that a load balancer took
//! out of rotation (and that gets no writes) learns when writing works again.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::db::Db;
use crate::group_commit::{CommitState, GroupCommit};
use crate::with_tx;

pub use crate::disk::DiskState;

/// The process's health registry; cheap to clone, shared by every part that reports into it.
#[derive(Clone, Debug, Default)]
pub struct Health(Arc<Inner>);

#[derive(Debug, Default)]
struct Inner {
    workers: AtomicUsize,
    workers_stopped: AtomicUsize,
    probing: AtomicBool,
}

/// The answer of a check: ready or not, and the state of each part by name.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Report {
    pub ready: bool,
    pub checks: BTreeMap<&'static str, &'static str>,
}

/// How long the database may take to answer the check's round trip.
const PING_TIMEOUT: Duration = Duration::from_secs(2);

impl Health {
    /// Set the disk state (the disk monitor, [`crate::disk`], keeps it up to date).
    pub fn set_disk(&self, state: DiskState) {
        crate::disk::set_state(state);
    }

    /// The disk monitor's latest finding (process-wide).
    pub fn disk(&self) -> DiskState {
        crate::disk::state()
    }

    /// `n` job workers were started.
    pub fn workers_started(&self, n: usize) {
        self.0.workers.fetch_add(n, Ordering::Relaxed);
    }

    /// A job worker ended before the shutdown (it panicked).
    pub fn worker_stopped(&self) {
        self.0.workers_stopped.fetch_add(1, Ordering::Relaxed);
    }

    fn workers(&self) -> &'static str {
        if self.0.workers_stopped.load(Ordering::Relaxed) > 0 {
            "stopped"
        } else if self.0.workers.load(Ordering::Relaxed) == 0 {
            "none"
        } else {
            "ok"
        }
    }

    /// Check every part (see the module).
    pub async fn report(&self, db: &Db, writer: &GroupCommit) -> Report {
        let database = match tokio::time::timeout(PING_TIMEOUT, db.ping()).await {
            Ok(Ok(())) => "ok",
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "readiness: database unreachable");
                "unreachable"
            }
            Err(_) => "unreachable",
        };
        let writer_state = if writer.stopped_lanes() > 0 {
            "stopped"
        } else {
            "ok"
        };
        let last_commit = writer.last_commit();
        if last_commit != CommitState::Ok && writer_state == "ok" {
            self.probe(writer.clone());
        }
        let disk = self.disk();
        let workers = self.workers();
        let checks = BTreeMap::from([
            ("database", database),
            ("writer", writer_state),
            ("last_commit", last_commit.as_str()),
            ("workers", workers),
            ("disk", disk.as_str()),
        ]);
        let ready = database == "ok"
            && writer_state == "ok"
            && last_commit == CommitState::Ok
            && workers != "stopped"
            && disk.writable();
        Report { ready, checks }
    }

    /// Queue one small write through the writer (one at a time): its commit sets the writer's
    /// last-commit state, whichever way it goes.
    fn probe(&self, writer: GroupCommit) {
        if self.0.probing.swap(true, Ordering::SeqCst) {
            return;
        }
        let health = self.clone();
        tokio::spawn(async move {
            let probe = writer.run(|tx| {
                Box::pin(async move {
                    with_tx!(tx, |c| sqlx::query(
                        "UPDATE write_probe SET checked_at = $1 WHERE id = 1"
                    )
                    .bind(crate::db::now())
                    .execute(&mut *c)
                    .await
                    .map(|_| ()))
                })
            });
            if let Ok(Err(e)) = tokio::time::timeout(Duration::from_secs(10), probe).await {
                tracing::warn!(error = %e, "readiness: the probe write failed");
            }
            health.0.probing.store(false, Ordering::SeqCst);
        });
    }
}
