//! A write transaction on either backend, and what plugs into its commit from above.
//!
//! Storage knows nothing of what the layers above keep with a transaction (audit events, a
//! calendar read once, a request's Idempotency-Key claim). They keep it in a [`TxPart`] of the
//! transaction: a part may write at the commit (before `COMMIT`, in the same transaction), be
//! told that the commit happened, and return to an earlier state when a savepoint is rolled
//! back. Dropping a transaction without a commit drops its parts.

use std::any::Any;

use sqlx::{Postgres, Sqlite};

use crate::live::Live;
use crate::{direct_error, Backend, TxFuture};

/// Something kept with a transaction by a layer above storage.
///
/// Parts run their commit work in the order they were added. The audit chain takes its head's
/// lock in its commit work, so it is added by the first audit event and nothing added later
/// may write at the commit after it (a part with commit work is added before any event).
pub trait TxPart: Any + Send {
    /// The part as `Any`, to find it again by type ([`Tx::part`]).
    fn as_any(&mut self) -> &mut dyn Any;

    /// A position to return to when a savepoint taken now is rolled back.
    fn mark(&self) -> usize {
        0
    }

    /// Return to `mark` after `ROLLBACK TO SAVEPOINT`.
    fn rewind(&mut self, _mark: usize) {}

    /// SQLite: write, on the connection directly, just before `COMMIT` (in the same call).
    fn before_commit_sqlite(&mut self, _c: &rusqlite::Connection) -> rusqlite::Result<()> {
        Ok(())
    }

    /// PostgreSQL: write just before `COMMIT`.
    fn before_commit_pg<'a>(
        &'a mut self,
        _c: &'a mut sqlx::PgConnection,
    ) -> TxFuture<'a, Result<(), sqlx::Error>> {
        Box::pin(async { Ok(()) })
    }

    /// The transaction committed.
    fn committed(self: Box<Self>) {}
}

/// An open write transaction on either backend, with the parts the layers above keep with it.
pub struct Tx {
    pub(crate) conn: TxConn,
    parts: Vec<Box<dyn TxPart>>,
    /// Keys of work done once per transaction (see [`Tx::first_time`]).
    done: Vec<&'static str>,
}

/// The backend's connection inside a [`Tx`], with its transaction open; reach it through
/// [`with_tx!`](crate::with_tx).
pub enum TxConn {
    Sqlite(Live<Sqlite>),
    Postgres(Live<Postgres>),
}

/// A write connection kept between transactions (see [`Live`]); it goes back to the pool
/// when dropped.
pub struct WriteConn(pub(crate) TxConn);

/// Where a transaction stood when a savepoint was taken ([`Tx::mark`]).
#[derive(Clone, Debug)]
pub struct TxMark {
    parts: Vec<usize>,
    done: usize,
}

impl Tx {
    pub(crate) fn new(conn: TxConn) -> Tx {
        Tx {
            conn,
            parts: Vec::new(),
            done: Vec::new(),
        }
    }

    /// Write what the parts keep (audit events), then commit.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.commit_keep().await.map(drop)
    }

    /// Commit, and keep the connection for the next transaction ([`crate::Db::begin_on`]).
    pub async fn commit_keep(mut self) -> Result<WriteConn, sqlx::Error> {
        let parts = &mut self.parts;
        match &mut self.conn {
            // SQLite: the parts' writes and the commit in one call on the connection.
            TxConn::Sqlite(live) => {
                live.commit_after(|c| {
                    for p in parts.iter_mut() {
                        p.before_commit_sqlite(c).map_err(direct_error)?;
                    }
                    Ok::<(), sqlx::Error>(())
                })
                .await?
            }
            TxConn::Postgres(live) => {
                for p in parts.iter_mut() {
                    p.before_commit_pg(live).await?;
                }
                live.commit().await?;
            }
        }
        for p in self.parts.drain(..) {
            p.committed();
        }
        Ok(WriteConn(self.conn))
    }

    /// The part of type `P`, if one was added.
    pub fn part<P: TxPart>(&mut self) -> Option<&mut P> {
        self.parts
            .iter_mut()
            .find_map(|p| p.as_any().downcast_mut::<P>())
    }

    /// The part of type `P`, added (made by `make`) if there is none yet.
    pub fn part_or_insert_with<P: TxPart>(
        &mut self,
        make: impl FnOnce() -> P,
    ) -> Result<&mut P, sqlx::Error> {
        if !self.parts.iter_mut().any(|p| p.as_any().is::<P>()) {
            self.parts.push(Box::new(make()));
        }
        self.part::<P>()
            .ok_or_else(|| sqlx::Error::Protocol("transaction part of another type".into()))
    }

    /// Add a part (after those already there).
    pub fn add_part(&mut self, part: Box<dyn TxPart>) {
        self.parts.push(part);
    }

    /// Remember where the transaction stands before a `SAVEPOINT`.
    pub fn mark(&self) -> TxMark {
        TxMark {
            parts: self.parts.iter().map(|p| p.mark()).collect(),
            done: self.done.len(),
        }
    }

    /// After `ROLLBACK TO SAVEPOINT`: parts added since the mark are dropped, the others
    /// return to their mark, and the once-per-transaction keys added since are forgotten.
    pub fn rewind(&mut self, mark: TxMark) {
        self.parts.truncate(mark.parts.len());
        for (p, m) in self.parts.iter_mut().zip(mark.parts) {
            p.rewind(m);
        }
        self.done.truncate(mark.done);
    }

    /// The backend's transaction, for [`with_tx!`](crate::with_tx).
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
    /// (arrays, data-modifying `WITH`); `None` on SQLite. Fenced: only store modules that
    /// own a PostgreSQL fast path may call it (clippy `disallowed-methods`).
    pub fn postgres(&mut self) -> Option<&mut sqlx::PgConnection> {
        match &mut self.conn {
            TxConn::Postgres(t) => Some(&mut **t),
            TxConn::Sqlite(_) => None,
        }
    }

    /// Run `work` on this transaction's SQLite connection directly (rusqlite on the raw
    /// handle), on this thread; `None` on PostgreSQL. sqlx runs each SQLite statement on the
    /// connection's own worker thread and hands every command and batch of rows across
    /// threads; here `work`'s statements cost no hand-over (see [`Live`]), and the statements
    /// it prepares stay prepared while the connection is held. Fenced: only store modules
    /// that own a SQLite fast path may call it (clippy `disallowed-methods`).
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
        live.run_direct(work).await.map(Some)
    }

    pub fn backend(&self) -> Backend {
        match self.conn {
            TxConn::Sqlite(_) => Backend::Sqlite,
            TxConn::Postgres(_) => Backend::Postgres,
        }
    }
}
