//! Group commit: many small writes share one transaction and one flush to disk.
//!
//! With `synchronous = FULL` (SQLite) or `synchronous_commit = on` (PostgreSQL) every commit
//! waits for the disk, so a server that commits once per request is bounded by the disk's flush
//! rate, and on SQLite by its single writer. Here one writer task takes whatever requests are
//! queued, runs each inside its own `SAVEPOINT` of one transaction (a failing request is rolled
//! back alone and gets its own error), commits once, and only then answers every caller: an
//! acknowledged write is on disk, and a request that fails changes nothing.
//!
//! The requests of one batch run one after another, so each sees the writes of the requests
//! before it, exactly as if they had been committed one by one.
//!
//! On PostgreSQL there are [`POSTGRES_LANES`] writers (lanes), each with its own connection and
//! transactions; a caller whose writes touch one partition of the data (one election's forms)
//! names a lane by that partition ([`GroupCommit::run_batched_on`]), everything else goes to
//! lane 0. Two lanes are two writers like two app instances: row locks order what they share
//! (an election's row, the audit head, which is taken last, at the commit), and while one
//! waits for the disk or runs its statements the other works. SQLite has one write connection,
//! so one lane.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, oneshot};

use crate::{with_tx, Db, Tx, WriteConn};

mod batched;
mod claim;
pub use crate::TxFuture;
pub use batched::{BatchWrite, MAX_BATCH_ITEMS};
pub use claim::{NoClaim, WriteClaim};

/// Answer one caller once the batch's commit is known (`None` = committed).
type Deliver = Box<dyn FnOnce(Option<&sqlx::Error>) + Send>;

/// A queued write, type-erased: run it in the transaction, learn whether it succeeded, and
/// keep the answer until the commit.
type Job = Box<dyn for<'a> FnOnce(&'a mut Tx) -> TxFuture<'a, (bool, Deliver)> + Send>;

/// Handle to the writer task. Cloning is cheap; the task ends when every handle is dropped.
#[derive(Clone, Debug)]
pub struct GroupCommit {
    lanes: Arc<[mpsc::Sender<Job>]>,
    counts: Arc<Counts>,
    batchers: Arc<Mutex<Batchers>>,
}

/// The batcher of each item type and lane, type-erased.
type Batchers = HashMap<(TypeId, usize), Arc<dyn Any + Send + Sync>>;

/// How much work went through, for `/metrics` and tests, and how the writers are doing, for
/// `/readyz`.
#[derive(Debug, Default)]
struct Counts {
    jobs: AtomicU64,
    commits: AtomicU64,
    /// Writer tasks that ended while handles were still held (a panic): see [`LaneGuard`].
    stopped: AtomicUsize,
    /// The outcome of the last transaction a writer tried to commit ([`CommitState`]).
    last_commit: AtomicU8,
}

impl Counts {
    fn record_commit(&self, state: CommitState) {
        self.last_commit.store(state as u8, Ordering::Relaxed);
    }
}

/// How the writers' last attempt to begin or commit a transaction ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum CommitState {
    /// Committed (or nothing tried yet).
    Ok = 0,
    /// Failed for a reason that is not one below.
    Failed = 1,
    /// Failed: the disk is full.
    DiskFull = 2,
    /// Failed: the database or its filesystem is read-only.
    ReadOnly = 3,
    /// Failed: the database could not be reached.
    Unreachable = 4,
}

impl CommitState {
    fn of_error(e: &sqlx::Error) -> Self {
        use crate::fault::Fault;
        match crate::fault::classify(e) {
            Some(Fault::DiskFull) => CommitState::DiskFull,
            Some(Fault::ReadOnly | Fault::Io) => CommitState::ReadOnly,
            Some(Fault::Unreachable | Fault::WriterStopped) => CommitState::Unreachable,
            None => CommitState::Failed,
        }
    }

    fn from_u8(n: u8) -> Self {
        match n {
            0 => CommitState::Ok,
            2 => CommitState::DiskFull,
            3 => CommitState::ReadOnly,
            4 => CommitState::Unreachable,
            _ => CommitState::Failed,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CommitState::Ok => "ok",
            CommitState::Failed => "failed",
            CommitState::DiskFull => "disk_full",
            CommitState::ReadOnly => "read_only",
            CommitState::Unreachable => "unreachable",
        }
    }
}

/// Held by a writer task: when the task ends while callers can still queue work (it panicked),
/// the handles learn it ([`GroupCommit::stopped_lanes`]) and answer with [`writer_stopped`].
struct LaneGuard {
    counts: Arc<Counts>,
    finished: bool,
}

impl Drop for LaneGuard {
    fn drop(&mut self) {
        if !self.finished {
            self.counts.stopped.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// The error a write gets when the group-commit writer has stopped: nothing is written until
/// the process restarts.
pub fn writer_stopped() -> sqlx::Error {
    sqlx::Error::Protocol(
        "the group-commit writer has stopped; no write succeeds until a restart".into(),
    )
}

/// The error a write gets when its batch could not be committed (the transaction could not
/// begin, or a savepoint failed): the cause the writer met, as text.
fn not_committed(cause: &str) -> sqlx::Error {
    sqlx::Error::Protocol(format!("group commit: not committed: {cause}"))
}

/// Most requests one transaction takes; bounds the time a failing commit can waste.
pub const DEFAULT_MAX_BATCH: usize = 256;

/// Writer lanes on PostgreSQL: two cores, and a lane's transaction spends much of its time in
/// round trips and the commit's flush, when the other lane can run.
pub const POSTGRES_LANES: usize = 2;

impl GroupCommit {
    /// Start the writer tasks on the current Tokio runtime: one lane on SQLite,
    /// [`POSTGRES_LANES`] on PostgreSQL.
    pub fn start(db: Db, max_batch: usize) -> Self {
        let lanes = match db {
            Db::Postgres(_) => POSTGRES_LANES,
            Db::Sqlite { .. } => 1,
        };
        Self::start_lanes(db, max_batch, lanes)
    }

    /// Start `lanes` writer tasks (at least one), each with its own connection.
    fn start_lanes(db: Db, max_batch: usize, lanes: usize) -> Self {
        let counts = Arc::new(Counts::default());
        let senders: Vec<mpsc::Sender<Job>> = (0..lanes.max(1))
            .map(|_| {
                let (queue, rx) = mpsc::channel::<Job>(max_batch.max(1) * 4);
                let guard = LaneGuard {
                    counts: counts.clone(),
                    finished: false,
                };
                tokio::spawn(writer(
                    db.clone(),
                    rx,
                    max_batch.max(1),
                    counts.clone(),
                    guard,
                ));
                queue
            })
            .collect();
        GroupCommit {
            lanes: senders.into(),
            counts,
            batchers: Arc::default(),
        }
    }

    /// How many writer lanes there are.
    pub fn lanes(&self) -> usize {
        self.lanes.len()
    }

    /// The lane that writes partition `key` (lane `i` for any `i` below [`Self::lanes`]).
    fn lane_of(&self, key: u64) -> usize {
        // The remainder is below the number of lanes, a usize.
        usize::try_from(key % self.lanes.len() as u64).unwrap_or(0)
    }

    /// Writer lanes whose task has ended (it panicked): their writes fail until a restart.
    pub fn stopped_lanes(&self) -> usize {
        self.counts.stopped.load(Ordering::Relaxed)
    }

    /// How the last attempt to begin or commit a transaction ended.
    pub fn last_commit(&self) -> CommitState {
        CommitState::from_u8(self.counts.last_commit.load(Ordering::Relaxed))
    }

    /// Jobs run and transactions committed so far by this writer.
    pub fn counts(&self) -> (u64, u64) {
        (
            self.counts.jobs.load(Ordering::Relaxed),
            self.counts.commits.load(Ordering::Relaxed),
        )
    }

    /// Run `work` inside a shared transaction and return its result once that transaction is
    /// committed. If `work` fails, its own changes are rolled back (the others' are not) and
    /// its error is returned; if the commit fails, every caller gets the commit's error.
    ///
    /// The work runs on the writer task even if the caller stops waiting, so a write that was
    /// queued is either committed whole or not at all.
    pub async fn run<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<sqlx::Error> + Send + 'static,
        F: for<'a> FnOnce(&'a mut Tx) -> TxFuture<'a, Result<T, E>> + Send + 'static,
    {
        self.run_on(0, work).await
    }

    /// [`GroupCommit::run`] on the lane of partition `key`.
    pub async fn run_on<T, E, F>(&self, key: u64, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<sqlx::Error> + Send + 'static,
        F: for<'a> FnOnce(&'a mut Tx) -> TxFuture<'a, Result<T, E>> + Send + 'static,
    {
        let (answer, wait) = oneshot::channel::<Result<T, E>>();
        let job: Job = Box::new(move |tx: &mut Tx| {
            Box::pin(async move {
                let result = work(tx).await;
                let ok = result.is_ok();
                let deliver: Deliver = Box::new(move |commit: Option<&sqlx::Error>| {
                    let result = match (result, commit) {
                        (Ok(_), Some(e)) => Err(E::from(copy_error(e))),
                        (result, _) => result,
                    };
                    // The caller may have gone away; the write stands either way.
                    let _ = answer.send(result);
                });
                (ok, deliver)
            })
        });
        self.lanes[self.lane_of(key)]
            .send(job)
            .await
            .map_err(|_| E::from(writer_stopped()))?;
        // A dropped answer means the batch never reached its commit (logged by the writer):
        // the writer died with it, or it could not begin or keep its transaction.
        wait.await.map_err(|_| E::from(self.why_dropped()))?
    }

    /// Why a queued write was dropped without an answer.
    pub(crate) fn why_dropped(&self) -> sqlx::Error {
        if self.stopped_lanes() > 0 {
            return writer_stopped();
        }
        match self.last_commit() {
            CommitState::Ok => writer_stopped(),
            state => not_committed(state.as_str()),
        }
    }
}

/// `sqlx::Error` is not `Clone`; every caller of a failed commit gets the same message.
fn copy_error(e: &sqlx::Error) -> sqlx::Error {
    sqlx::Error::Protocol(format!("group commit failed: {e}"))
}

/// How long the writer keeps its connection waiting for the next batch: a caller that writes
/// batch after batch (the batched single forms) queues the next one right after its answer.
const KEEP_IDLE: Duration = Duration::from_millis(5);
/// How long the writer keeps one connection at most, so that other writers (on SQLite there is
/// one write connection) get their turn while it is busy.
const KEEP_MAX: Duration = Duration::from_millis(50);

async fn writer(
    db: Db,
    mut rx: mpsc::Receiver<Job>,
    max_batch: usize,
    counts: Arc<Counts>,
    mut guard: LaneGuard,
) {
    let mut batch: Vec<Job> = Vec::with_capacity(max_batch);
    // The connection of the last commit, and since when the writer has held it.
    let mut kept: Option<(WriteConn, Instant)> = None;
    loop {
        let next = recv_keeping(&mut kept, &mut rx, KEEP_IDLE, KEEP_MAX).await;
        let Some(first) = next else { break };
        batch.push(first);
        // Take what queued up while the previous batch was committing; never wait for more.
        while batch.len() < max_batch {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        metrics::histogram!("balai_group_commit_batch_size").record(batch.len() as f64);
        counts.jobs.fetch_add(batch.len() as u64, Ordering::Relaxed);
        let since = kept.as_ref().map_or_else(Instant::now, |(_, since)| *since);
        let conn = kept.take().map(|(c, _)| c);
        if let Some(conn) = run_batch(&db, &mut batch, conn, &counts).await {
            kept = Some((conn, since));
        }
        batch.clear();
    }
    // Every handle is gone: the end of the writer is expected.
    guard.finished = true;
}

/// The next message of `rx`, keeping the connection in `kept` (with the time it was taken)
/// while messages come within `idle` of each other, for `max` at most; otherwise the
/// connection goes back to its pool before the wait, not after.
pub(crate) async fn recv_keeping<C, T>(
    kept: &mut Option<(C, Instant)>,
    rx: &mut mpsc::Receiver<T>,
    idle: Duration,
    max: Duration,
) -> Option<T> {
    match kept.take() {
        Some((conn, since)) if since.elapsed() < max => {
            match tokio::time::timeout(idle, rx.recv()).await {
                Ok(next) => {
                    *kept = Some((conn, since));
                    next
                }
                Err(_) => {
                    drop(conn);
                    rx.recv().await
                }
            }
        }
        held => {
            drop(held);
            rx.recv().await
        }
    }
}

async fn savepoint(tx: &mut Tx, sql: &'static str) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(sql).execute(&mut *c).await.map(|_| ()))
}

/// Run one batch, on the connection kept from the last one if there is one; the connection
/// when a transaction was committed. The commit is counted before any caller is answered, so
/// a caller that reads [`GroupCommit::counts`] after its answer sees its own commit.
async fn run_batch(
    db: &Db,
    batch: &mut Vec<Job>,
    kept: Option<WriteConn>,
    counts: &Counts,
) -> Option<WriteConn> {
    let mut tx = match db.begin_on(kept).await {
        Ok(tx) => tx,
        Err(e) => {
            // Dropping the jobs answers their callers with an error; nothing was written.
            counts.record_commit(CommitState::of_error(&e));
            log_storage_error(&e, batch.len(), "group commit: cannot begin a transaction");
            batch.clear();
            return None;
        }
    };
    let mut delivers: Vec<Deliver> = Vec::with_capacity(batch.len());
    if batch.len() == 1 {
        // Alone in the transaction: no savepoint needed, a failure rolls back everything.
        if let Some(job) = batch.pop() {
            let (ok, deliver) = job(&mut tx).await;
            if !ok {
                drop(tx);
                deliver(None);
                return None;
            }
            delivers.push(deliver);
        }
    } else {
        for job in batch.drain(..) {
            let mark = tx.mark();
            if let Err(e) = savepoint(&mut tx, "SAVEPOINT balai_gc").await {
                counts.record_commit(CommitState::of_error(&e));
                log_storage_error(&e, delivers.len() + 1, "group commit: savepoint failed");
                for d in delivers {
                    d(Some(&e));
                }
                return None;
            }
            let (ok, deliver) = job(&mut tx).await;
            let closed = if ok {
                savepoint(&mut tx, "RELEASE SAVEPOINT balai_gc").await
            } else {
                match savepoint(&mut tx, "ROLLBACK TO SAVEPOINT balai_gc").await {
                    Ok(()) => {
                        tx.rewind(mark);
                        savepoint(&mut tx, "RELEASE SAVEPOINT balai_gc").await
                    }
                    Err(e) => Err(e),
                }
            };
            if let Err(e) = closed {
                counts.record_commit(CommitState::of_error(&e));
                log_storage_error(&e, delivers.len() + 1, "group commit: savepoint failed");
                deliver(Some(&e));
                for d in delivers {
                    d(Some(&e));
                }
                return None;
            }
            if ok {
                delivers.push(deliver);
            } else {
                // Its changes are gone; its error can be answered now.
                deliver(None);
            }
        }
    }
    match tx.commit_keep().await {
        Ok(conn) => {
            counts.commits.fetch_add(1, Ordering::Relaxed);
            counts.record_commit(CommitState::Ok);
            for d in delivers {
                d(None);
            }
            Some(conn)
        }
        Err(e) => {
            counts.record_commit(CommitState::of_error(&e));
            log_storage_error(&e, delivers.len(), "group commit: commit failed");
            for d in delivers {
                d(Some(&e));
            }
            None
        }
    }
}

/// Log a failed begin, savepoint or commit: a database that cannot be reached (restarting,
/// say) at WARN, since the callers get an error they can retry, anything else at ERROR, and
/// each with the kind of fault it is.
fn log_storage_error(e: &sqlx::Error, jobs: usize, what: &str) {
    match crate::fault::classify(e) {
        Some(crate::fault::Fault::Unreachable) => {
            tracing::warn!(error = %e, jobs, fault = "unreachable", "{what}: database unreachable");
        }
        Some(f) => tracing::error!(error = %e, jobs, fault = f.as_str(), "{what}"),
        None => tracing::error!(error = %e, jobs, "{what}"),
    }
}
