//! Claims that a queued write takes first, in its own transaction.

use std::any::Any;
use std::sync::Arc;

use crate::{Tx, TxFuture};

/// Something a write takes first, inside the write's own transaction (its savepoint in a
/// group commit), so that it commits with the write or not at all: a request's
/// Idempotency-Key claim is one (`balai_core::idempotency`). Storage only runs it; the caller
/// passes the claim with its write ([`super::GroupCommit::run_batched_claimed_on`]); a plain
/// transaction takes it as a [`crate::TxPart`] instead.
pub trait WriteClaim: Send + Sync + Sized + 'static {
    /// What a claim records of its write's outcome (the stored answer).
    type Settled: Send + Sync;

    /// Take `claims` in `tx` (one statement for many); for each, whether it was free. A write
    /// whose claim was not free must not run.
    fn take_all<'a>(
        tx: &'a mut Tx,
        claims: &'a [Arc<Self>],
    ) -> TxFuture<'a, Result<Vec<bool>, sqlx::Error>>;

    /// The error of a write whose claim someone else holds.
    fn lost() -> sqlx::Error;

    /// What to record for the write's outcome `out`, if anything.
    fn settle(&self, out: &dyn Any) -> Option<Self::Settled>;

    /// Record the settled outcomes in `tx`, after the writes (one statement for many).
    fn store_all<'a>(
        tx: &'a mut Tx,
        settled: &'a [(Arc<Self>, Self::Settled)],
    ) -> TxFuture<'a, Result<(), sqlx::Error>>;
}

/// The claim of writes that carry none.
pub enum NoClaim {}

impl WriteClaim for NoClaim {
    type Settled = ();

    fn take_all<'a>(
        _tx: &'a mut Tx,
        claims: &'a [Arc<Self>],
    ) -> TxFuture<'a, Result<Vec<bool>, sqlx::Error>> {
        Box::pin(async move { Ok(vec![true; claims.len()]) })
    }

    fn lost() -> sqlx::Error {
        sqlx::Error::Protocol("no claim to lose".into())
    }

    fn settle(&self, _out: &dyn Any) -> Option<()> {
        match *self {}
    }

    fn store_all<'a>(
        _tx: &'a mut Tx,
        _settled: &'a [(Arc<Self>, ())],
    ) -> TxFuture<'a, Result<(), sqlx::Error>> {
        Box::pin(async { Ok(()) })
    }
}

/// What the claims of the writes that succeeded record (computed before any await: the
/// outcomes are borrowed as `Any`).
pub(super) fn settled_of<'s, C: WriteClaim>(
    done: impl IntoIterator<Item = (&'s Arc<C>, &'s dyn Any)>,
) -> Vec<(Arc<C>, C::Settled)> {
    done.into_iter()
        .filter_map(|(claim, out)| claim.settle(out).map(|s| (claim.clone(), s)))
        .collect()
}

/// Store what the claims settled, in the writes' own transaction: no second commit.
pub(super) async fn store_settled<C: WriteClaim>(
    tx: &mut Tx,
    settled: Vec<(Arc<C>, C::Settled)>,
) -> Result<(), sqlx::Error> {
    if settled.is_empty() {
        return Ok(());
    }
    C::store_all(tx, &settled).await
}
