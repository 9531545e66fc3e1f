//! One database handle for both backends.
//!
//! SQLite is the embedded default and PostgreSQL the production backend. We do not use sqlx's
//! `Any` driver (it loses the time and JSON types); instead store code is written once with the
//! [`with_db!`] / [`with_tx!`] macros, which expand the same body for each backend. Portable SQL
//! uses `$1`-style placeholders, which both drivers accept.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Postgres, Sqlite, TransactionManager};

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database URL must start with sqlite: or postgres:// (got {0:?})")]
    BadUrl(String),
    #[error("cannot open the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
}

/// A fingerprint of the migrations compiled into this binary (both backends), so caches of
/// prepared databases (the test harness's templates) never outlive a schema change.
pub fn migrations_fingerprint() -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    for m in SQLITE_MIGRATIONS.iter().chain(POSTGRES_MIGRATIONS.iter()) {
        h.update(m.version.to_le_bytes());
        h.update(&m.checksum);
    }
    hex::encode(&h.finalize()[..8])
}

/// Which SQL dialect a handle speaks, for the few statements that differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A pooled database handle. For SQLite, writes go through a single-connection pool so that
/// writers queue in-process instead of failing with `SQLITE_BUSY`; reads use a wider pool.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite { write: SqlitePool, read: SqlitePool },
    Postgres(PgPool),
}

/// An open write transaction on either backend, with the audit events it has recorded and
/// not yet written (they are written in one statement when it commits; see [`crate::audit`]).
pub struct Tx {
    pub(crate) conn: TxConn,
    pub(crate) audit: crate::audit::Pending,
    /// The holiday calendar as read in this transaction (dropped when holidays change).
    pub(crate) calendar: Option<std::sync::Arc<crate::calendar::Calendar>>,
    /// Keys of work done once per transaction (see [`Tx::first_time`]).
    pub(crate) done: Vec<&'static str>,
    /// The request's Idempotency-Key, if this transaction claimed it: given back to the
    /// request (to be claimed by its next write) unless the transaction commits.
    pub(crate) claim: Option<crate::idempotency::ClaimGuard>,
}

/// The backend's connection inside a [`Tx`], with its transaction open; reach it through
/// [`with_tx!`].
pub enum TxConn {
    Sqlite(Live<Sqlite>),
    Postgres(Live<Postgres>),
}

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
    fn new(conn: PoolConnection<DB>) -> Self {
        Live {
            direct: None,
            conn,
            open: false,
        }
    }
}

impl Live<Postgres> {
    async fn begin(mut self) -> Result<Self, sqlx::Error> {
        <Postgres as sqlx::Database>::TransactionManager::begin(&mut self.conn, None).await?;
        self.open = true;
        Ok(self)
    }

    async fn commit(&mut self) -> Result<(), sqlx::Error> {
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
    /// write connection is opened with `SQLITE_OPEN_FULLMUTEX` ([`Db::connect`]).
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
    async fn begin(mut self) -> Result<Self, sqlx::Error> {
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
    async fn commit_after<E: From<sqlx::Error>>(
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
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Statements rusqlite keeps prepared per connection ([`Live::direct`]).
const DIRECT_STATEMENTS: usize = 64;

/// A write connection kept between transactions (see [`Live`]); it goes back to the pool
/// when dropped.
pub struct WriteConn(TxConn);

/// Run `$body` with `$conn` bound to a reader (`&Pool`) of whichever backend `$db` is.
#[macro_export]
macro_rules! with_db {
    ($db:expr, |$conn:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite { read: $conn, .. } => $body,
            $crate::db::Db::Postgres($conn) => $body,
        }
    };
}

/// Run `$body` with `$conn` bound to the transaction's connection (`&mut *tx`).
#[macro_export]
macro_rules! with_tx {
    ($tx:expr, |$conn:ident| $body:expr) => {
        match ($tx).conn_mut() {
            $crate::db::TxConn::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::db::TxConn::Postgres(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}

/// An error of work run through [`Tx::sqlite_direct`], as the sqlx error the rest of the
/// code handles (with SQLite's message).
pub fn direct_error(e: rusqlite::Error) -> sqlx::Error {
    sqlx::Error::Protocol(format!("sqlite: {e}"))
}

/// A time as sqlx writes it to SQLite (RFC 3339 text), for work run through
/// [`Tx::sqlite_direct`], so that sqlx reads it back as it reads its own.
pub fn sqlite_time(t: time::OffsetDateTime) -> rusqlite::Result<String> {
    t.format(&time::format_description::well_known::Rfc3339)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

/// WAL pages after which a SQLite commit checkpoints by itself (see [`Db::checkpoint`]).
pub const WAL_AUTOCHECKPOINT: u32 = 16_384;

/// A PostgreSQL connection idle longer than this is pinged before it is handed out.
pub const PG_PING_IDLE: Duration = Duration::from_secs(5);

impl Db {
    /// Open (creating if needed) the database named by `url` and run migrations.
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        let db = if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)
                .map_err(DbError::Connect)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // FULL: a commit is on disk before we answer (NORMAL in WAL mode can lose the
                // last commits on power loss, and an acknowledged report must never be lost).
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(BUSY_TIMEOUT)
                .pragma("temp_store", "memory")
                // Checkpoints (copying the WAL back into the database file, with its fsync)
                // run beside the writer, from a read connection ([`Db::checkpoint`], every
                // 200 ms while serving); the writer's own commit checkpoints only when the
                // WAL has grown past WAL_AUTOCHECKPOINT pages (4 KiB each) without them,
                // e.g. during a command-line import. At 1,000 pages (SQLite's default) a
                // sixth of the writer thread's time went into checkpoints.
                .pragma("wal_autocheckpoint", WAL_AUTOCHECKPOINT.to_string());
            // No ping before handing out a connection: it is a local file, and the ping is
            // one more round trip to the connection's thread for every transaction and read.
            // The write connection is serialized (SQLite's own mutex around every call): the
            // statements `Tx::sqlite_direct` keeps prepared on it are finalized from whichever
            // thread drops them (see `Live`).
            let write = SqlitePoolOptions::new()
                .max_connections(1)
                .test_before_acquire(false)
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(opts.clone().serialized(true))
                .await
                .map_err(DbError::Connect)?;
            let read = SqlitePoolOptions::new()
                .max_connections(8)
                .test_before_acquire(false)
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(opts.read_only(false))
                .await
                .map_err(DbError::Connect)?;
            Db::Sqlite { write, read }
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(url).map_err(DbError::Connect)?;
            Self::connect_pg(opts).await?
        } else {
            return Err(DbError::BadUrl(url.to_string()));
        };
        Ok(db)
    }

    /// Connect to PostgreSQL with explicit options (tests use a schema per test).
    pub async fn connect_pg(opts: PgConnectOptions) -> Result<Db, DbError> {
        // One direct connection first: a pool only reports "timed out", this says why.
        use sqlx::{ConnectOptions, Connection};
        let probe = tokio::time::timeout(Duration::from_secs(15), opts.connect())
            .await
            .map_err(|_| DbError::Connect(sqlx::Error::PoolTimedOut))?
            .map_err(DbError::Connect)?;
        let _ = probe.close().await;
        // sqlx pings a connection (a round trip, and a wake-up of its server process) before
        // handing it out and again when it goes back; the one on return already shows that a
        // connection is alive, so on hand-out only one idle for a while is pinged (a profile
        // of one form per request had 16 % of balai's time in that ping, for the token
        // look-up alone). A connection the server dropped while it idled is discarded by the
        // failed ping and the caller gets a fresh one, as with sqlx's default.
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .test_before_acquire(false)
            .before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for > PG_PING_IDLE {
                        conn.ping().await?;
                    }
                    Ok(true)
                })
            })
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(opts)
            .await
            .map_err(DbError::Connect)?;
        Ok(Db::Postgres(pool))
    }

    /// Open the SQLite database in a data directory (`DIR/balai.sqlite3`).
    pub async fn open_data_dir(dir: &Path) -> Result<Db, DbError> {
        std::fs::create_dir_all(dir).map_err(|e| DbError::Connect(sqlx::Error::Io(e)))?;
        let path = dir.join("balai.sqlite3");
        Self::connect(&format!("sqlite://{}", path.display())).await
    }

    pub async fn migrate(&self) -> Result<(), DbError> {
        match self {
            Db::Sqlite { write, .. } => SQLITE_MIGRATIONS.run(write).await?,
            Db::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite { .. } => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Begin a write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`)
    /// so a read-then-write transaction never dead-locks against another process.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        self.begin_on(None).await
    }

    /// [`Db::begin`] on a connection kept from an earlier transaction ([`Tx::commit_keep`]),
    /// or on one from the pool.
    pub async fn begin_on(&self, kept: Option<WriteConn>) -> Result<Tx, sqlx::Error> {
        let conn = match (self, kept.map(|k| k.0)) {
            (Db::Sqlite { .. }, Some(TxConn::Sqlite(live))) => TxConn::Sqlite(live.begin().await?),
            (Db::Sqlite { write, .. }, _) => {
                TxConn::Sqlite(Live::new(write.acquire().await?).begin().await?)
            }
            (Db::Postgres(_), Some(TxConn::Postgres(live))) => {
                TxConn::Postgres(live.begin().await?)
            }
            (Db::Postgres(pool), _) => {
                TxConn::Postgres(Live::new(pool.acquire().await?).begin().await?)
            }
        };
        let mut tx = Tx {
            conn,
            audit: crate::audit::Pending::default(),
            calendar: None,
            done: Vec::new(),
            claim: None,
        };
        // A request with an Idempotency-Key claims it in its first write transaction.
        if let Some(slot) = crate::idempotency::take_claim() {
            let guard = crate::idempotency::ClaimGuard::new(slot.clone());
            if !slot.claim_in(&mut tx).await? {
                guard.keep();
                return Err(crate::idempotency::lost_claim());
            }
            tx.claim = Some(guard);
        }
        Ok(tx)
    }

    /// A cheap round trip, for `/readyz`.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        with_db!(self, |c| sqlx::query("SELECT 1")
            .execute(c)
            .await
            .map(|_| ()))
    }

    /// Copy what the SQLite WAL holds into the database file without blocking the writer
    /// (`PRAGMA wal_checkpoint(PASSIVE)` on a read connection); returns the frames in the
    /// WAL and those now in the database file. Nothing to do on PostgreSQL.
    pub async fn checkpoint(&self) -> Result<Option<(i64, i64)>, sqlx::Error> {
        match self {
            Db::Sqlite { read, .. } => {
                let (_busy, log, done): (i64, i64, i64) =
                    sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
                        .fetch_one(read)
                        .await?;
                Ok(Some((log, done)))
            }
            Db::Postgres(_) => Ok(None),
        }
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite { write, read } => {
                read.close().await;
                write.close().await;
            }
            Db::Postgres(pool) => pool.close().await,
        }
    }
}

impl Tx {
    /// Write the audit events recorded in this transaction, then commit.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.commit_keep().await.map(drop)
    }

    /// Commit, and keep the connection for the next transaction ([`Db::begin_on`]).
    pub async fn commit_keep(mut self) -> Result<WriteConn, sqlx::Error> {
        match &mut self.conn {
            // SQLite: the audit events and the commit in one call on the connection.
            TxConn::Sqlite(live) => {
                let mut rows = self.audit.take();
                live.commit_after(|c| {
                    crate::audit::flush_sqlite(c, &mut rows).map_err(direct_error)
                })
                .await?
            }
            TxConn::Postgres(_) => {
                crate::audit::flush_pg(&mut self).await?;
                if let TxConn::Postgres(live) = &mut self.conn {
                    live.commit().await?;
                }
            }
        }
        if let Some(claim) = self.claim.take() {
            claim.keep();
        }
        Ok(WriteConn(self.conn))
    }

    /// The backend's transaction, for [`with_tx!`].
    #[doc(hidden)]
    pub fn conn_mut(&mut self) -> &mut TxConn {
        &mut self.conn
    }

    /// True the first time it is asked for `key` in this transaction: for work that one
    /// transaction needs once however many requests share it (a group commit), such as making
    /// sure a periodic job is queued. A rolled-back savepoint forgets the keys it added.
    pub fn first_time(&mut self, key: &'static str) -> bool {
        if self.done.contains(&key) {
            return false;
        }
        self.done.push(key);
        true
    }

    /// The PostgreSQL connection of the transaction, for statements only PostgreSQL has
    /// (arrays, data-modifying `WITH`); `None` on SQLite.
    pub fn postgres(&mut self) -> Option<&mut sqlx::PgConnection> {
        match &mut self.conn {
            TxConn::Postgres(t) => Some(&mut **t),
            TxConn::Sqlite(_) => None,
        }
    }

    /// Run `work` on this transaction's SQLite connection directly (rusqlite on the raw
    /// handle), on this thread; `None` on PostgreSQL. sqlx runs each SQLite statement on the
    /// connection's own worker thread and hands every command and every batch of rows across
    /// threads, each a wake-up; a group commit of result forms made ~40 of them, and on two
    /// busy cores each waited for its turn. Here `work`'s statements cost no hand-over (see
    /// [`Live::direct`]), and the statements it prepares stay prepared while the connection
    /// is held.
    ///
    /// `work` runs inside this transaction (and its savepoint, if any): it must not begin,
    /// commit or roll back. It holds its thread for its whole length, so on a multi-threaded
    /// runtime it runs in `block_in_place` (the worker's other tasks move on meanwhile).
    pub async fn sqlite_direct<R>(
        &mut self,
        work: impl FnOnce(&rusqlite::Connection) -> R,
    ) -> Result<Option<R>, sqlx::Error> {
        let TxConn::Sqlite(live) = &mut self.conn else {
            return Ok(None);
        };
        let conn = live.direct().await?;
        Ok(Some(blocking(|| work(conn))))
    }

    pub fn backend(&self) -> Backend {
        match self.conn {
            TxConn::Sqlite(_) => Backend::Sqlite,
            TxConn::Postgres(_) => Backend::Postgres,
        }
    }
}

/// One column of `rows`, for binding as a PostgreSQL array (`UNNEST($1::bigint[], …)`): a
/// statement whose text does not change with the number of rows.
pub fn column<'r, T, U>(rows: &'r [T], f: impl Fn(&'r T) -> U) -> Vec<U> {
    rows.iter().map(f).collect()
}

/// Append ` IN (…)` with one bound parameter per id, for statements over a batch of rows.
pub fn push_in_list<'a, DB: sqlx::Database>(q: &mut sqlx::QueryBuilder<'a, DB>, ids: &'a [i64])
where
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    q.push(" IN (");
    let mut sep = q.separated(", ");
    for id in ids {
        sep.push_bind(*id);
    }
    q.push(")");
}

/// The current time in UTC, truncated to microseconds so that it survives a round trip through
/// PostgreSQL unchanged (audit hashes depend on it).
pub fn now() -> time::OffsetDateTime {
    let t = time::OffsetDateTime::now_utc();
    let micros = t.microsecond();
    t.replace_microsecond(micros).unwrap_or(t)
}
