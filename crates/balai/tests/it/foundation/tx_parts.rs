//! What layers above storage keep with a transaction (`TxPart`): their commit work runs in
//! the transaction, once, and not at all when it rolls back; a rolled-back savepoint returns
//! them to their mark; an Idempotency-Key claim commits with its write or returns to the
//! request.

use crate::support::{fresh_db, Backend};

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use balai_core::db::{Tx, TxFuture, TxPart};
use balai_core::idempotency::{self, Slot};
use balai_core::{with_db, with_tx, Db};

/// A part that writes a `settings` row at the commit and counts its calls.
struct Marker {
    key: &'static str,
    wrote: Arc<AtomicUsize>,
    committed: Arc<AtomicUsize>,
    rows: Vec<&'static str>,
}

impl TxPart for Marker {
    fn as_any(&mut self) -> &mut dyn std::any::Any {
        self
    }

    fn mark(&self) -> usize {
        self.rows.len()
    }

    fn rewind(&mut self, mark: usize) {
        self.rows.truncate(mark);
    }

    fn before_commit_sqlite(&mut self, c: &rusqlite::Connection) -> rusqlite::Result<()> {
        self.wrote.fetch_add(1, Ordering::SeqCst);
        c.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)",
            rusqlite::params![self.key, self.rows.join(",")],
        )
        .map(drop)
    }

    fn before_commit_pg<'a>(
        &'a mut self,
        c: &'a mut sqlx::PgConnection,
    ) -> TxFuture<'a, Result<(), sqlx::Error>> {
        self.wrote.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move {
            sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2)")
                .bind(self.key)
                .bind(self.rows.join(","))
                .execute(c)
                .await
                .map(drop)
        })
    }

    fn committed(self: Box<Self>) {
        self.committed.fetch_add(1, Ordering::SeqCst);
    }
}

async fn setting(db: &Db, key: &str) -> Option<String> {
    with_db!(db, |c| sqlx::query_scalar(
        "SELECT value FROM settings WHERE key = $1"
    )
    .bind(key)
    .fetch_optional(c)
    .await)
    .unwrap()
}

fn marker(key: &'static str) -> (Marker, Arc<AtomicUsize>, Arc<AtomicUsize>) {
    let (wrote, committed) = (Arc::default(), Arc::default());
    let m = Marker {
        key,
        wrote: Arc::clone(&wrote),
        committed: Arc::clone(&committed),
        rows: Vec::new(),
    };
    (m, wrote, committed)
}

async fn savepoint(tx: &mut Tx, sql: &str) {
    with_tx!(tx, |c| sqlx::query(sql).execute(&mut *c).await.map(drop)).unwrap();
}

both_backends!(
    a_part_writes_at_the_commit_once_and_never_after_a_rollback,
    |b: Backend| async move {
        let (db, _url, _dir) = fresh_db(b).await;
        // Dropped without a commit: no write, no "committed".
        let (m, wrote, committed) = marker("part.dropped");
        let mut tx = db.begin().await.unwrap();
        tx.add_part(Box::new(m));
        drop(tx);
        assert_eq!(
            (
                wrote.load(Ordering::SeqCst),
                committed.load(Ordering::SeqCst)
            ),
            (0, 0)
        );
        assert_eq!(setting(&db, "part.dropped").await, None);
        // Committed: the part's row is in the same commit, written once.
        let (m, wrote, committed) = marker("part.kept");
        let mut tx = db.begin().await.unwrap();
        tx.add_part(Box::new(m));
        tx.part::<Marker>().unwrap().rows.push("a");
        tx.commit().await.unwrap();
        assert_eq!(
            (
                wrote.load(Ordering::SeqCst),
                committed.load(Ordering::SeqCst)
            ),
            (1, 1)
        );
        assert_eq!(setting(&db, "part.kept").await.as_deref(), Some("a"));
    }
);

both_backends!(
    a_rolled_back_savepoint_returns_parts_to_their_mark,
    |b: Backend| async move {
        let (db, _url, _dir) = fresh_db(b).await;
        let (m, _wrote, _committed) = marker("part.savepoint");
        let mut tx = db.begin().await.unwrap();
        tx.add_part(Box::new(m));
        tx.part::<Marker>().unwrap().rows.push("before");
        let mark = tx.mark();
        savepoint(&mut tx, "SAVEPOINT t").await;
        tx.part::<Marker>().unwrap().rows.push("inside");
        assert!(tx.first_time("once"));
        savepoint(&mut tx, "ROLLBACK TO SAVEPOINT t").await;
        tx.rewind(mark);
        savepoint(&mut tx, "RELEASE SAVEPOINT t").await;
        // The key added inside the savepoint is forgotten with it.
        assert!(tx.first_time("once"));
        tx.commit().await.unwrap();
        assert_eq!(
            setting(&db, "part.savepoint").await.as_deref(),
            Some("before")
        );
    }
);

async fn keys(db: &Db) -> i64 {
    with_db!(db, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM idempotency_keys"
    )
    .fetch_one(c)
    .await)
    .unwrap()
}

both_backends!(
    a_claim_commits_with_its_write_or_returns_to_the_request,
    |b: Backend| async move {
        let (db, _url, _dir) = fresh_db(b).await;
        let slot = Arc::new(Slot::new("public".into(), "k-1".into(), "h".into()));
        // A write that does not commit takes the claim with it: the request may claim again.
        let tx = idempotency::begin(&db, Some(&slot)).await.unwrap();
        drop(tx);
        assert_eq!(keys(&db).await, 0);
        assert!(slot.take().is_some(), "the claim is back with the request");
        let slot = Arc::new(Slot::new("public".into(), "k-1".into(), "h".into()));
        // Committed: claimed once, and a second write of the same request claims nothing more.
        let tx = idempotency::begin(&db, Some(&slot)).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(keys(&db).await, 1);
        assert!(slot.take().is_none());
        let tx = idempotency::begin(&db, Some(&slot)).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(keys(&db).await, 1);
        // Another request with the same key loses: its write does not begin.
        let other = Arc::new(Slot::new("public".into(), "k-1".into(), "h".into()));
        let lost = idempotency::begin(&db, Some(&other)).await;
        assert!(lost.is_err());
        assert!(matches!(other.outcome(), idempotency::SlotOutcome::Lost));
    }
);
