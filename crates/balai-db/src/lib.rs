//! Balai's storage: one database handle for both backends, write transactions with parts
//! that layers above plug in ([`TxPart`]: audit events, caches, an Idempotency-Key claim),
//! the group-commit writer and coalesced look-ups. It knows nothing of audit, calendars or
//! HTTP; those live in `balai-core` and plug in from above.
//!
//! SQLite is the embedded default and PostgreSQL the production backend. We do not use sqlx's
//! `Any` driver (it loses the time and JSON types); instead store code is written once with the
//! [`with_db!`] / [`with_tx!`] macros, which expand the same body for each backend. Portable SQL
//! uses `$1`-style placeholders, which both drivers accept.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use std::future::Future;
use std::pin::Pin;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

pub mod coalesce;
pub mod fault;
pub mod group_commit;
mod live;
mod tx;

pub use live::Live;
use live::BUSY_TIMEOUT;
pub use tx::{Tx, TxConn, TxMark, TxPart, WriteConn};

/// The future of work done in a transaction; it borrows the transaction.
pub type TxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

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

/// Run `$body` with `$conn` bound to a reader (`&Pool`) of whichever backend `$db` is.
#[macro_export]
macro_rules! with_db {
    ($db:expr, |$conn:ident| $body:expr) => {
        match $db {
            $crate::Db::Sqlite { read: $conn, .. } => $body,
            $crate::Db::Postgres($conn) => $body,
        }
    };
}

/// Run `$body` with `$conn` bound to the transaction's connection (`&mut *tx`).
#[macro_export]
macro_rules! with_tx {
    ($tx:expr, |$conn:ident| $body:expr) => {
        match ($tx).conn_mut() {
            $crate::TxConn::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::TxConn::Postgres(t) => {
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
pub const WAL_AUTOCHECKPOINT: u32 = 8_192;

/// WAL pages (4 KiB) past which the checkpoint beside the writer also truncates the WAL
/// ([`Db::checkpoint_truncate`]): with readers always about, a passive checkpoint seldom lets
/// the WAL start over, and it grew to 64 MB under load. A WAL this small can be checkpointed
/// into the room of the disk reserve (`balai_core::disk`) when the disk is full.
pub const WAL_TRUNCATE_PAGES: i64 = 4_096;

/// Bytes the WAL file is cut back to when it starts over (`journal_size_limit`).
pub const WAL_SIZE_LIMIT: u64 = 16 * 1024 * 1024;

/// A PostgreSQL connection idle longer than this is pinged before it is handed out.
pub const PG_PING_IDLE: Duration = Duration::from_secs(5);

/// PostgreSQL connections kept at most when not configured: two per core, at least 4. Each is
/// a server process on the same cores; beyond a few per core they only queue work there, and
/// the slowest answers grow (`bench/journal/2026-12-06-dpt-scale-6.md`).
pub fn default_pg_pool() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    u32::try_from(cores * 2).unwrap_or(u32::MAX).max(4)
}

impl Db {
    /// Open (creating if needed) the database named by `url` and run migrations.
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        Self::connect_with_pool(url, 0).await
    }

    /// [`Db::connect`] with at most `pool` PostgreSQL connections (0: [`default_pg_pool`]).
    pub async fn connect_with_pool(url: &str, pool: u32) -> Result<Db, DbError> {
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
                // e.g. during a command-line import (at SQLite's default of 1,000 pages the
                // writer thread spends much of its time checkpointing; see bench/journal/).
                .pragma("wal_autocheckpoint", WAL_AUTOCHECKPOINT.to_string())
                .pragma("journal_size_limit", WAL_SIZE_LIMIT.to_string());
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
            Self::connect_pg_sized(opts, pool).await?
        } else {
            return Err(DbError::BadUrl(url.to_string()));
        };
        Ok(db)
    }

    /// Connect to PostgreSQL with explicit options (tests use a schema per test).
    pub async fn connect_pg(opts: PgConnectOptions) -> Result<Db, DbError> {
        Self::connect_pg_sized(opts, 0).await
    }

    /// [`Db::connect_pg`] with at most `pool` connections (0: [`default_pg_pool`]).
    pub async fn connect_pg_sized(opts: PgConnectOptions, pool: u32) -> Result<Db, DbError> {
        // One direct connection first: a pool only reports "timed out", this says why.
        use sqlx::{ConnectOptions, Connection};
        let probe = tokio::time::timeout(Duration::from_secs(15), opts.connect())
            .await
            .map_err(|_| DbError::Connect(sqlx::Error::PoolTimedOut))?
            .map_err(DbError::Connect)?;
        let _ = probe.close().await;
        // sqlx pings a connection (a round trip, and a wake-up of its server process) before
        // handing it out and again when it goes back; the one on return already shows that a
        // connection is alive, so on hand-out only one idle for a while is pinged (each ping
        // is a wake-up of a server process on every request). A connection the server
        // dropped while it idled is discarded by the failed ping and the caller gets a fresh
        // one, as with sqlx's default.
        let pool = PgPoolOptions::new()
            .max_connections(if pool == 0 { default_pg_pool() } else { pool })
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
        Ok(Tx::new(conn))
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
        Ok(self
            .wal_checkpoint("PRAGMA wal_checkpoint(PASSIVE)")
            .await?
            .map(|(_busy, log, done)| (log, done)))
    }

    /// Copy the whole SQLite WAL into the database file and truncate it to nothing
    /// (`PRAGMA wal_checkpoint(TRUNCATE)`): it waits for the writer and the readers in turn
    /// (within the busy timeout), so it runs only when the WAL has grown past
    /// [`WAL_TRUNCATE_PAGES`] or the disk is full. Returns whether it completed.
    pub async fn checkpoint_truncate(&self) -> Result<bool, sqlx::Error> {
        let done = self
            .wal_checkpoint("PRAGMA wal_checkpoint(TRUNCATE)")
            .await?;
        Ok(done.is_none_or(|(busy, _, _)| busy == 0))
    }

    /// A `wal_checkpoint` pragma on a read connection: (busy, WAL frames, frames copied).
    async fn wal_checkpoint(
        &self,
        pragma: &'static str,
    ) -> Result<Option<(i64, i64, i64)>, sqlx::Error> {
        match self {
            Db::Sqlite { read, .. } => Ok(Some(sqlx::query_as(pragma).fetch_one(read).await?)),
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
