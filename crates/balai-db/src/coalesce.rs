//! PostgreSQL look-ups by key that arrive together are answered by one statement.
//!
//! Every API request starts with its token's look-up. On PostgreSQL a look-up on its own takes
//! a pooled connection for a tiny query and gives it back (sqlx pings it on return): two round
//! trips, each a wake-up of a server process on cores shared with that server. The
//! measurements are in `bench/journal/2026-12-04-elections-token-lookups.md`.
//!
//! A [`Coalescer`] is one task that keeps one connection while there is work: it takes every
//! look-up queued while its last statement ran and answers them all from one statement
//! (`… = ANY($1)`). Nothing is cached: each answer is read after its request arrived, so a
//! token revoked a moment ago is refused by the next statement. A failed statement answers
//! every look-up of its batch with the error, and the next batch gets a connection afresh.
//!
//! SQLite reads are calls into the process itself; they run directly.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::hash::Hash;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::pool::PoolConnection;
use sqlx::postgres::PgPool;
use sqlx::{PgConnection, Postgres};
use tokio::sync::{mpsc, oneshot};

use crate::group_commit::recv_keeping;

/// The future of a [`Fetch`]; it borrows the connection.
pub type FetchFuture<'c, K, V> =
    Pin<Box<dyn Future<Output = Result<Vec<(K, V)>, sqlx::Error>> + Send + 'c>>;

/// One statement for many keys: the rows found, each with its key (keys not found are absent).
pub type Fetch<K, V> = for<'c> fn(&'c mut PgConnection, Vec<K>) -> FetchFuture<'c, K, V>;

/// Most keys one statement takes.
pub const MAX_KEYS: usize = 256;
/// How long the task keeps its connection after its last statement, waiting for more.
const KEEP_IDLE: Duration = Duration::from_millis(5);
/// How long the task keeps one connection at most (sqlx checks a connection's age and the
/// server's health when it goes back to the pool).
const KEEP_MAX: Duration = Duration::from_secs(1);

type Answer<V> = oneshot::Sender<Result<Option<V>, sqlx::Error>>;

/// Handle to the look-up task; cloning is cheap, the task ends with the last handle.
pub struct Coalescer<K, V> {
    queue: mpsc::Sender<(K, Answer<V>)>,
    statements: Arc<AtomicU64>,
}

impl<K, V> Clone for Coalescer<K, V> {
    fn clone(&self) -> Self {
        Coalescer {
            queue: self.queue.clone(),
            statements: self.statements.clone(),
        }
    }
}

impl<K, V> std::fmt::Debug for Coalescer<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Coalescer")
            .field("statements", &self.statements.load(Ordering::Relaxed))
            .finish()
    }
}

impl<K, V> Coalescer<K, V>
where
    K: Eq + Hash + Clone + Send + 'static,
    V: Clone + Send + 'static,
{
    /// Start the task on the current Tokio runtime.
    pub fn start(pool: PgPool, fetch: Fetch<K, V>) -> Self {
        let (queue, rx) = mpsc::channel(MAX_KEYS * 4);
        let statements = Arc::new(AtomicU64::new(0));
        tokio::spawn(run(pool, rx, fetch, statements.clone()));
        Coalescer { queue, statements }
    }

    /// The value of `key`, read by a statement that started after this call.
    pub async fn get(&self, key: K) -> Result<Option<V>, sqlx::Error> {
        let (answer, wait) = oneshot::channel();
        self.queue
            .send((key, answer))
            .await
            .map_err(|_| sqlx::Error::PoolClosed)?;
        wait.await.map_err(|_| sqlx::Error::PoolClosed)?
    }

    /// Statements run so far (for tests and `/metrics`).
    pub fn statements(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }
}

async fn run<K, V>(
    pool: PgPool,
    mut rx: mpsc::Receiver<(K, Answer<V>)>,
    fetch: Fetch<K, V>,
    statements: Arc<AtomicU64>,
) where
    K: Eq + Hash + Clone + Send + 'static,
    V: Clone + Send + 'static,
{
    let mut kept: Option<(PoolConnection<Postgres>, Instant)> = None;
    let mut batch: Vec<(K, Answer<V>)> = Vec::with_capacity(MAX_KEYS);
    loop {
        let first = recv_keeping(&mut kept, &mut rx, KEEP_IDLE, KEEP_MAX).await;
        let Some(first) = first else { break };
        batch.push(first);
        while batch.len() < MAX_KEYS {
            match rx.try_recv() {
                Ok(ask) => batch.push(ask),
                Err(_) => break,
            }
        }
        let (mut conn, since) = match kept.take() {
            Some(k) => k,
            None => match pool.acquire().await {
                Ok(conn) => (conn, Instant::now()),
                Err(e) => {
                    answer_error(&mut batch, &e);
                    continue;
                }
            },
        };
        // Each key once (one token in several requests of the batch).
        let keys: Vec<K> = {
            let mut seen: HashSet<&K> = HashSet::with_capacity(batch.len());
            batch
                .iter()
                .map(|(k, _)| k)
                .filter(|k| seen.insert(*k))
                .cloned()
                .collect()
        };
        statements.fetch_add(1, Ordering::Relaxed);
        metrics::histogram!("balai_coalesced_lookup_keys").record(keys.len() as f64);
        match fetch(&mut conn, keys).await {
            Ok(rows) => {
                let found: HashMap<K, V> = rows.into_iter().collect();
                for (k, answer) in batch.drain(..) {
                    // The asker may have gone away.
                    let _ = answer.send(Ok(found.get(&k).cloned()));
                }
                kept = Some((conn, since));
            }
            Err(e) => {
                tracing::warn!(error = %e, keys = batch.len(), "coalesced look-up failed");
                answer_error(&mut batch, &e);
                // Back to the pool, which pings it and drops it if it is broken.
                drop(conn);
            }
        }
    }
}

fn answer_error<K, V>(batch: &mut Vec<(K, Answer<V>)>, e: &sqlx::Error) {
    for (_, answer) in batch.drain(..) {
        let _ = answer.send(Err(sqlx::Error::Protocol(format!("look-up failed: {e}"))));
    }
}
