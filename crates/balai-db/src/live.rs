//! A pooled connection that keeps its transaction state, and SQLite's connection as rusqlite
//! sees it (the one `unsafe` block of Balai).

use std::time::Duration;

use sqlx::pool::PoolConnection;
use sqlx::{Postgres, Sqlite, TransactionManager};

use crate::direct_error;

/// A pooled connection that knows whether it has a transaction open, and rolls that
/// transaction back (as sqlx's own `Transaction` does) when dropped with it still open.
/// Unlike sqlx's `Transaction` it outlives a commit, so the group-commit writer can run one
/// transaction after another on the same connection ([`Db::begin_on`], [`Tx::commit_keep`])
/// instead of giving it back to the pool and taking it again each time (each is a round trip
/// to the connection, and on PostgreSQL its prepared statements are per connection).
///
/// On SQLite the transaction is begun, committed and rolled back on the connection directly
/// (see [`Live::direct`]), not through sqlx: sqlx runs each command on the connection's own
/// worker thread, and its custom `BEGIN IMMEDIATE` is two commands, each a hand-over to that
/// thread and back. sqlx's statements run inside the transaction all the same (it is the
/// connection's); sqlx only does not count it, so this type must never let the connection go
/// back to the pool with it open (its `Drop` rolls back).
pub struct Live<DB: sqlx::Database> {
    /// SQLite: the connection as rusqlite sees it, with the statements prepared through it,
    /// kept while this connection is held (for a writer that keeps it, one transaction after
    /// another) instead of prepared again each time. Declared before `conn` and dropped first
    /// (its statements finalized) in `Drop`. Always `None` on PostgreSQL.
    direct: Option<rusqlite::Connection>,
    conn: PoolConnection<DB>,
    open: bool,
}

impl<DB: sqlx::Database> std::ops::Deref for Live<DB> {
    type Target = DB::Connection;
    fn deref(&self) -> &DB::Connection {
        &self.conn
    }
}

impl<DB: sqlx::Database> std::ops::DerefMut for Live<DB> {
    fn deref_mut(&mut self) -> &mut DB::Connection {
        &mut self.conn
    }
}

impl<DB: sqlx::Database> Drop for Live<DB> {
    fn drop(&mut self) {
        if let Some(direct) = self.direct.take() {
            // SQLite: roll back here, before the connection goes back to the pool (sqlx does
            // not know the transaction). A failure means there was none left to roll back.
            if self.open {
                self.open = false;
                let _ = direct.execute_batch("ROLLBACK");
            }
            drop(direct);
        }
        if self.open {
            // PostgreSQL: queued; it runs before the connection's next use, also in the
            // pool's hands.
            <DB::TransactionManager as TransactionManager>::start_rollback(&mut self.conn);
        }
    }
}

impl<DB: sqlx::Database> Live<DB> {
    pub(crate) fn new(conn: PoolConnection<DB>) -> Self {
        Live {
            direct: None,
            conn,
            open: false,
        }
    }
}

impl Live<Postgres> {
    pub(crate) async fn begin(mut self) -> Result<Self, sqlx::Error> {
        <Postgres as sqlx::Database>::TransactionManager::begin(&mut self.conn, None).await?;
        self.open = true;
        Ok(self)
    }

    pub(crate) async fn commit(&mut self) -> Result<(), sqlx::Error> {
        <Postgres as sqlx::Database>::TransactionManager::commit(&mut self.conn).await?;
        self.open = false;
        Ok(())
    }
}

impl Live<Sqlite> {
    /// The connection as rusqlite sees it, made on first use and kept with this `Live`.
    ///
    /// No hand-over to sqlx's worker thread: sqlx's worker acts on this connection only for
    /// the commands sent through it, and it is held here (`&mut`), every command awaited
    /// before the next line runs. A command whose future was dropped early may still be
    /// running on the worker thread; SQLite itself serializes any such overlap, because the
    /// write connection is opened with `SQLITE_OPEN_FULLMUTEX` ([`crate::Db::connect`]).
    async fn direct(&mut self) -> Result<&rusqlite::Connection, sqlx::Error> {
        if self.direct.is_none() {
            // sqlx hands out the raw handle only locked (one round trip, once per `Live`).
            let raw = self.conn.lock_handle().await?.as_raw_handle().as_ptr();
            // SAFETY: `raw` is the open connection this `Live` holds, and the rusqlite
            // `Connection` made from it is dropped (in `Drop`, first) before the pooled
            // connection is. `from_handle` borrows the handle: dropping it finalizes its own
            // prepared statements and leaves the connection open for sqlx. Calls from two
            // threads at once are serialized by SQLite (see above).
            #[allow(unsafe_code)]
            let c = unsafe { rusqlite::Connection::from_handle(raw) }
                .map_err(|e| sqlx::Error::Protocol(format!("sqlite handle: {e}")))?;
            // A submission and the audit flush use ~20 statements (rusqlite keeps 16).
            c.set_prepared_statement_cache_capacity(DIRECT_STATEMENTS);
            self.direct = Some(c);
        }
        self.direct
            .as_ref()
            .ok_or_else(|| sqlx::Error::Protocol("sqlite handle".into()))
    }

    /// `BEGIN IMMEDIATE` (the write lock at once, so that a read-then-write transaction never
    /// dead-locks against another process). On this thread when the lock is free; when
    /// another connection holds it, through sqlx, whose worker thread waits for it (up to the
    /// busy timeout) while this task waits without holding its thread.
    pub(crate) async fn begin(mut self) -> Result<Self, sqlx::Error> {
        let first = {
            let c = self.direct().await?;
            c.busy_timeout(Duration::ZERO).map_err(direct_error)?;
            let first = c.execute_batch("BEGIN IMMEDIATE");
            c.busy_timeout(BUSY_TIMEOUT).map_err(direct_error)?;
            first
        };
        match first {
            Ok(()) => {}
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => {
                // A plain statement: sqlx does not count it as its transaction either.
                sqlx::query("BEGIN IMMEDIATE")
                    .execute(&mut *self.conn)
                    .await?;
            }
            Err(e) => return Err(direct_error(e)),
        }
        self.open = true;
        Ok(self)
    }

    /// Run `work` (it writes the audit events), then `COMMIT`: one call off the async worker.
    pub(crate) async fn commit_after<E: From<sqlx::Error>>(
        &mut self,
        work: impl FnOnce(&rusqlite::Connection) -> Result<(), E>,
    ) -> Result<(), E> {
        let c = self.direct().await?;
        blocking(|| {
            work(c)?;
            c.execute_batch("COMMIT").map_err(direct_error)?;
            Ok::<(), E>(())
        })?;
        self.open = false;
        Ok(())
    }
}

impl Live<Sqlite> {
    /// Run `work` on the connection directly, on this thread (see [`Live::direct`]).
    pub(crate) async fn run_direct<R>(
        &mut self,
        work: impl FnOnce(&rusqlite::Connection) -> R,
    ) -> Result<R, sqlx::Error> {
        let conn = self.direct().await?;
        Ok(blocking(|| work(conn)))
    }
}

/// Run `work`, which holds its thread (SQLite: an fsync, many statements), in
/// `block_in_place` on a multi-threaded runtime so the worker's other tasks move on meanwhile;
/// directly otherwise.
fn blocking<R>(work: impl FnOnce() -> R) -> R {
    let multi_thread = tokio::runtime::Handle::try_current()
        .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
    if multi_thread {
        tokio::task::block_in_place(work)
    } else {
        work()
    }
}

/// How long SQLite waits for a lock another connection holds.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Statements rusqlite keeps prepared per connection ([`Live::direct`]).
const DIRECT_STATEMENTS: usize = 64;
