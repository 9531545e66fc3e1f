//! A background job queue in the database.
//!
//! A worker claims a job by taking a lease (`lease_owner`, `lease_until`). On PostgreSQL the
//! claim uses `FOR UPDATE SKIP LOCKED`, so several app instances share one queue and never run
//! a job twice; on SQLite writes are serialised anyway. A job whose worker died is picked up
//! again when its lease expires. Failures retry with exponential backoff up to `max_attempts`.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use time::{Duration, OffsetDateTime};

use crate::config::JobSettings;
use crate::db::{Db, Tx};
use crate::{with_db, with_tx};

pub type JobFuture = Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;
pub type JobHandler = Arc<dyn Fn(Db, serde_json::Value) -> JobFuture + Send + Sync>;
/// Records what a job's run means for the job's own subject (a notification's status, say),
/// in the transaction that records the outcomes of the worker's batch: the subject and the
/// job change together, and a handler that only talks to the outside world needs no commit
/// of its own.
pub type OutcomeHook = Arc<
    dyn for<'a> Fn(
            &'a mut Tx,
            &'a [Outcome<'a>],
        ) -> crate::group_commit::TxFuture<'a, Result<(), sqlx::Error>>
        + Send
        + Sync,
>;
/// One run of a job: its payload and how it ended.
pub type Outcome<'a> = (&'a serde_json::Value, &'a Result<(), String>);
/// Records that the runs of a worker's batch are about to start (a notification's "sending"),
/// in the transaction that claims the batch, so the mark is on disk before the handlers talk
/// to the outside world; it may add to each payload what the handler must know (a run found
/// half-done by a worker that died). Given the payloads of its kind.
pub type StartHook = Arc<
    dyn for<'a> Fn(
            &'a mut Tx,
            &'a mut [&'a mut serde_json::Value],
        ) -> crate::group_commit::TxFuture<'a, Result<(), sqlx::Error>>
        + Send
        + Sync,
>;

/// Handlers by job kind; features register theirs at startup.
#[derive(Clone, Default)]
pub struct JobRegistry {
    handlers: HashMap<String, JobHandler>,
    on_outcome: HashMap<String, OutcomeHook>,
    on_start: HashMap<String, StartHook>,
}

impl JobRegistry {
    /// Register `f` for `kind`, with `hook` writing the outcome of each run (see
    /// [`OutcomeHook`]). `f` must not write to the database: the runs of a worker's batch of
    /// such a kind go side by side.
    pub fn register_with_outcome<F, Fut>(&mut self, kind: &str, f: F, hook: OutcomeHook)
    where
        F: Fn(Db, serde_json::Value) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), String>> + Send + 'static,
    {
        self.register(kind, f);
        self.on_outcome.insert(kind.to_string(), hook);
    }

    /// Run `hook` before the runs of `kind` in a worker's batch (see [`StartHook`]).
    pub fn on_start(&mut self, kind: &str, hook: StartHook) {
        self.on_start.insert(kind.to_string(), hook);
    }

    pub fn register<F, Fut>(&mut self, kind: &str, f: F)
    where
        F: Fn(Db, serde_json::Value) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), String>> + Send + 'static,
    {
        self.handlers
            .insert(kind.to_string(), Arc::new(move |db, v| Box::pin(f(db, v))));
    }

    pub fn kinds(&self) -> Vec<&str> {
        self.handlers.keys().map(String::as_str).collect()
    }
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub attempts: i64,
    pub max_attempts: i64,
}

/// Queue a job inside the caller's transaction, so it exists if and only if the change does.
pub async fn enqueue(
    tx: &mut Tx,
    kind: &str,
    payload: &serde_json::Value,
    max_attempts: i64,
) -> Result<i64, sqlx::Error> {
    enqueue_at(tx, kind, payload, max_attempts, crate::db::now()).await
}

pub async fn enqueue_at(
    tx: &mut Tx,
    kind: &str,
    payload: &serde_json::Value,
    max_attempts: i64,
    run_at: OffsetDateTime,
) -> Result<i64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO jobs (kind, payload, status, attempts, max_attempts, run_at, created_at)
         VALUES ($1, $2, 'queued', 0, $3, $4, $5) RETURNING id"
    )
    .bind(kind)
    .bind(payload.to_string())
    .bind(max_attempts)
    .bind(run_at)
    .bind(crate::db::now())
    .fetch_one(&mut *c)
    .await)
}

/// Queue one job per payload, to run now, in one statement.
pub async fn enqueue_many(
    tx: &mut Tx,
    kind: &str,
    payloads: &[serde_json::Value],
    max_attempts: i64,
) -> Result<(), sqlx::Error> {
    let now = crate::db::now();
    for chunk in payloads.chunks(500) {
        with_tx!(tx, |c| {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO jobs (kind, payload, status, attempts, max_attempts, run_at, created_at) ",
            );
            q.push_values(chunk, |mut b, p| {
                b.push_bind(kind)
                    .push_bind(p.to_string())
                    .push_bind("queued")
                    .push_bind(0i64)
                    .push_bind(max_attempts)
                    .push_bind(now)
                    .push_bind(now);
            });
            q.build().execute(&mut *c).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// Claim the next runnable job for `owner`, if any (see [`claim_many`]).
pub async fn claim(db: &Db, owner: &str, lease: Duration) -> Result<Option<Job>, sqlx::Error> {
    Ok(claim_many(db, owner, lease, 1).await?.pop())
}

/// Claim up to `limit` runnable jobs for `owner`: jobs whose lease ran out (their worker died)
/// first, then the queued jobs due longest. Each look-up walks an index in order and stops
/// after `limit` rows (an OR of both made the database collect and sort every queued job on
/// each claim, which grew with the queue).
pub async fn claim_many(
    db: &Db,
    owner: &str,
    lease: Duration,
    limit: i64,
) -> Result<Vec<Job>, sqlx::Error> {
    let mut tx = db.begin().await?;
    let jobs = claim_in(&mut tx, db, owner, lease, limit).await?;
    tx.commit().await?;
    Ok(jobs)
}

/// [`claim_many`] inside `tx` (a transaction of `db`).
async fn claim_in(
    tx: &mut Tx,
    db: &Db,
    owner: &str,
    lease: Duration,
    limit: i64,
) -> Result<Vec<Job>, sqlx::Error> {
    let now = crate::db::now();
    let until = now + lease;
    // PostgreSQL: rows another worker is claiming are skipped, not waited for.
    let lock = match db {
        Db::Postgres(_) => " FOR UPDATE SKIP LOCKED",
        Db::Sqlite { .. } => "",
    };
    let sql = format!(
        "UPDATE jobs SET status = 'running', lease_owner = $1, lease_until = $2,
           attempts = attempts + 1
         WHERE id IN (SELECT id FROM (
             SELECT id FROM (SELECT id FROM jobs WHERE status = 'running' AND lease_until < $3
                             ORDER BY lease_until, id LIMIT $4{lock}) AS expired
             UNION ALL
             SELECT id FROM (SELECT id FROM jobs WHERE status = 'queued' AND run_at <= $3
                             ORDER BY run_at, id LIMIT $4{lock}) AS due) AS runnable
           LIMIT $4)
         RETURNING id, kind, payload, attempts, max_attempts"
    );
    let mut jobs: Vec<Job> = with_tx!(tx, |c| sqlx::query_as::<_, Job>(&sql)
        .bind(owner)
        .bind(until)
        .bind(now)
        .bind(limit)
        .fetch_all(&mut *c)
        .await)?;
    jobs.sort_by_key(|j| j.id);
    Ok(jobs)
}

/// Claim a batch and run the start hooks of its kinds (see [`StartHook`]) in one transaction;
/// the jobs with the payloads their handlers get.
async fn claim_and_start(
    db: &Db,
    registry: &JobRegistry,
    owner: &str,
    settings: &JobSettings,
    limit: i64,
) -> Result<(Vec<Job>, Vec<serde_json::Value>), sqlx::Error> {
    let mut tx = db.begin().await?;
    let lease = Duration::seconds(settings.lease_seconds);
    let jobs = claim_in(&mut tx, db, owner, lease, limit).await?;
    if jobs.is_empty() {
        return Ok((jobs, Vec::new()));
    }
    let mut payloads: Vec<serde_json::Value> = jobs
        .iter()
        .map(|j| serde_json::from_str(&j.payload).unwrap_or(serde_json::Value::Null))
        .collect();
    for (kind, hook) in &registry.on_start {
        let mut of_kind: Vec<&mut serde_json::Value> = jobs
            .iter()
            .zip(payloads.iter_mut())
            .filter(|(j, _)| &j.kind == kind)
            .map(|(_, p)| p)
            .collect();
        if !of_kind.is_empty() {
            hook(&mut tx, &mut of_kind).await?;
        }
    }
    tx.commit().await?;
    Ok((jobs, payloads))
}

/// Mark a job done, only if `owner` still holds its lease.
pub async fn complete(db: &Db, id: i64, owner: &str) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let done = complete_in(&mut tx, id, owner).await?;
    tx.commit().await?;
    Ok(done)
}

async fn complete_in(tx: &mut Tx, id: i64, owner: &str) -> Result<bool, sqlx::Error> {
    Ok(mark_done(tx, owner, &[id]).await? == 1)
}

/// Mark jobs done, those whose lease `owner` still holds; returns how many.
async fn mark_done(tx: &mut Tx, owner: &str, ids: &[i64]) -> Result<u64, sqlx::Error> {
    let now = crate::db::now();
    with_tx!(tx, |c| {
        let mut q = sqlx::QueryBuilder::new("UPDATE jobs SET status = 'done', finished_at = ");
        q.push_bind(now)
            .push(", lease_owner = NULL, lease_until = NULL WHERE status = 'running' AND lease_owner = ")
            .push_bind(owner)
            .push(" AND id");
        crate::db::push_in_list(&mut q, ids);
        q.build().execute(&mut *c).await.map(|r| r.rows_affected())
    })
}

/// Jobs that failed alike after `attempts` attempts: retry them after the backoff, or give up
/// (`give_up`) and keep them as failed.
struct Failure<'a> {
    give_up: bool,
    attempts: i64,
    error: &'a str,
}

/// Record `f` for the jobs `ids` whose lease `owner` still holds.
async fn mark_failed(
    tx: &mut Tx,
    owner: &str,
    ids: &[i64],
    f: &Failure<'_>,
    settings: &JobSettings,
) -> Result<(), sqlx::Error> {
    let now = crate::db::now();
    let run_at = now + backoff(settings, f.attempts);
    let error: String = f.error.chars().take(2000).collect();
    with_tx!(tx, |c| {
        let mut q = sqlx::QueryBuilder::new("UPDATE jobs SET status = ");
        q.push_bind(if f.give_up { "failed" } else { "queued" })
            .push(", run_at = ")
            .push_bind(run_at)
            .push(", last_error = ")
            .push_bind(&error)
            .push(", lease_owner = NULL, lease_until = NULL, finished_at = ")
            .push_bind(f.give_up.then_some(now))
            .push(" WHERE lease_owner = ")
            .push_bind(owner)
            .push(" AND id");
        crate::db::push_in_list(&mut q, ids);
        q.build().execute(&mut *c).await.map(|_| ())
    })
}

/// Record the outcomes of a worker's batch: one statement for the jobs that succeeded and one
/// per group of failures that share their retry time and error (usually all of them: a
/// gateway that is down fails every delivery alike).
async fn record_outcomes(
    tx: &mut Tx,
    jobs: &[Job],
    results: &[Result<(), String>],
    owner: &str,
    settings: &JobSettings,
) -> Result<(), sqlx::Error> {
    let done: Vec<i64> = jobs
        .iter()
        .zip(results)
        .filter(|(_, r)| r.is_ok())
        .map(|(j, _)| j.id)
        .collect();
    if !done.is_empty() {
        mark_done(tx, owner, &done).await?;
    }
    let mut failed: HashMap<(bool, i64, &str), Vec<i64>> = HashMap::new();
    for (job, result) in jobs.iter().zip(results) {
        if let Err(e) = result {
            failed
                .entry((job.attempts >= job.max_attempts, job.attempts, e.as_str()))
                .or_default()
                .push(job.id);
        }
    }
    for ((give_up, attempts, error), ids) in failed {
        let f = Failure {
            give_up,
            attempts,
            error,
        };
        mark_failed(tx, owner, &ids, &f, settings).await?;
    }
    Ok(())
}

/// How long to wait before the next attempt after `attempts` attempts.
fn backoff(settings: &JobSettings, attempts: i64) -> Duration {
    let exp = u32::try_from(attempts.clamp(0, 16)).unwrap_or(16);
    Duration::seconds(
        settings
            .backoff_base_seconds
            .saturating_mul(1i64 << exp)
            .min(6 * 3600),
    )
}

/// Record a failure: retry later with backoff, or give up after `max_attempts`.
pub async fn fail(
    db: &Db,
    job: &Job,
    owner: &str,
    error: &str,
    settings: &JobSettings,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    fail_in(&mut tx, job, owner, error, settings).await?;
    tx.commit().await
}

async fn fail_in(
    tx: &mut Tx,
    job: &Job,
    owner: &str,
    error: &str,
    settings: &JobSettings,
) -> Result<(), sqlx::Error> {
    let f = Failure {
        give_up: job.attempts >= job.max_attempts,
        attempts: job.attempts,
        error,
    };
    mark_failed(tx, owner, &[job.id], &f, settings).await
}

/// Run one claimed job through its handler. Returns false when the queue was empty.
pub async fn run_one(
    db: &Db,
    registry: &JobRegistry,
    owner: &str,
    settings: &JobSettings,
) -> Result<bool, sqlx::Error> {
    Ok(run_some(db, registry, owner, settings, 1).await? > 0)
}

/// Claim up to `limit` jobs, run their handlers, and record every outcome in one transaction
/// (one claim and one commit for the lot instead of two per job). Returns how many ran.
pub async fn run_some(
    db: &Db,
    registry: &JobRegistry,
    owner: &str,
    settings: &JobSettings,
    limit: i64,
) -> Result<usize, sqlx::Error> {
    let (jobs, payloads) = claim_and_start(db, registry, owner, settings, limit).await?;
    if jobs.is_empty() {
        return Ok(0);
    }
    // Handlers that write run one after another: side by side they crowd out the requests'
    // writes (on SQLite every write shares one connection). A kind with an outcome hook writes
    // nothing itself (its hook does, below), so its runs go side by side: a batch of
    // deliveries waits for the slowest gateway answer, not for the sum of them.
    let mut results: Vec<Result<(), String>> = vec![Ok(()); jobs.len()];
    let mut side_by_side = tokio::task::JoinSet::new();
    let mut task_of: HashMap<tokio::task::Id, usize> = HashMap::new();
    for (i, (job, payload)) in jobs.iter().zip(&payloads).enumerate() {
        match registry.handlers.get(&job.kind) {
            Some(h) if registry.on_outcome.contains_key(&job.kind) => {
                let run = h(db.clone(), payload.clone());
                let task = side_by_side.spawn(async move { (i, run.await) });
                task_of.insert(task.id(), i);
                // Until its task reports (a task that never does counts as failed).
                results[i] = Err("job handler did not finish".into());
            }
            Some(h) => results[i] = h(db.clone(), payload.clone()).await,
            None => results[i] = Err(format!("no handler for job kind {:?}", job.kind)),
        }
    }
    while let Some(done) = side_by_side.join_next().await {
        match done {
            Ok((i, r)) => results[i] = r,
            Err(e) => {
                if let Some(i) = task_of.get(&e.id()) {
                    results[*i] = Err(format!("job handler failed: {e}"));
                }
            }
        }
    }
    let mut tx = db.begin().await?;
    let mut by_kind: HashMap<&str, Vec<Outcome<'_>>> = HashMap::new();
    for ((job, result), payload) in jobs.iter().zip(&results).zip(&payloads) {
        by_kind
            .entry(job.kind.as_str())
            .or_default()
            .push((payload, result));
        if let Err(e) = result {
            tracing::warn!(job_id = job.id, kind = %job.kind, attempt = job.attempts, error = %e, "job failed");
        }
    }
    for (kind, outcomes) in &by_kind {
        if let Some(hook) = registry.on_outcome.get(*kind) {
            hook(&mut tx, outcomes).await?;
        }
    }
    record_outcomes(&mut tx, &jobs, &results, owner, settings).await?;
    tx.commit().await?;
    for (job, result) in jobs.iter().zip(&results) {
        let outcome = if result.is_ok() { "done" } else { "failed" };
        metrics::counter!("balai_jobs_total", "kind" => job.kind.clone(), "outcome" => outcome)
            .increment(1);
    }
    Ok(jobs.len())
}

/// Spawn `settings.workers` polling workers that stop when `shutdown` flips to true; a job in
/// progress is finished first.
pub fn spawn_workers(
    db: Db,
    registry: Arc<JobRegistry>,
    settings: JobSettings,
    instance: &str,
    shutdown: tokio::sync::watch::Receiver<bool>,
) -> Vec<tokio::task::JoinHandle<()>> {
    (0..settings.workers)
        .map(|i| {
            let db = db.clone();
            let registry = registry.clone();
            let settings = settings.clone();
            let owner = format!("{instance}/{i}");
            let mut shutdown = shutdown.clone();
            tokio::spawn(async move {
                loop {
                    if *shutdown.borrow() {
                        break;
                    }
                    let claim = settings.claim_batch.max(1);
                    let worked = match run_some(&db, &registry, &owner, &settings, claim).await {
                        Ok(n) => n > 0,
                        Err(e) => {
                            log_queue_error(&e);
                            false
                        }
                    };
                    if !worked {
                        let wait = tokio::time::sleep(std::time::Duration::from_millis(
                            settings.poll_millis,
                        ));
                        tokio::select! {
                            _ = wait => {}
                            _ = shutdown.changed() => {}
                        }
                    }
                }
            })
        })
        .collect()
}

/// A worker's claim or record failed: a database that is restarting is a warning (the worker
/// tries again), anything else an error.
fn log_queue_error(e: &sqlx::Error) {
    match crate::db::fault::classify(e) {
        Some(crate::db::fault::Fault::Unreachable) => {
            tracing::warn!(error = %e, "job queue: the database cannot be reached; retrying");
        }
        Some(f) => tracing::error!(error = %e, fault = f.as_str(), "job queue unavailable"),
        None => tracing::error!(error = %e, "job queue unavailable"),
    }
}

#[derive(Debug, sqlx::FromRow, serde::Serialize)]
pub struct JobStatus {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub attempts: i64,
    pub lease_owner: Option<String>,
    pub last_error: Option<String>,
}

pub async fn status(db: &Db, id: i64) -> Result<Option<JobStatus>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, JobStatus>(
        "SELECT id, kind, status, attempts, lease_owner, last_error FROM jobs WHERE id = $1"
    )
    .bind(id)
    .fetch_optional(c)
    .await)
}

pub async fn counts(db: &Db) -> Result<Vec<(String, i64)>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as(
        "SELECT status, COUNT(*) FROM jobs GROUP BY status ORDER BY status"
    )
    .fetch_all(c)
    .await)
}
