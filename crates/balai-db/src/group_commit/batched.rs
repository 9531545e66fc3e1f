//! Batched writes: items of one kind queued together are written by one job of the writer,
//! in a few multi-row statements ([`GroupCommit::run_batched`]).

use std::any::{Any, TypeId};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::{mpsc, oneshot};

use super::claim::{settled_of, store_settled};
use super::{copy_error, Deliver, GroupCommit, Job, NoClaim, TxFuture, WriteClaim};
use crate::Tx;

/// Writes many items of one kind in a few multi-row statements: `(tx, items)` → one outcome per
/// item, in order. An item refused on its own (`Err` in the vector) must have written nothing;
/// an `Err` for the whole call rolls back everything it wrote.
pub type BatchWrite<I, T, E> =
    for<'a> fn(&'a mut Tx, &'a [I]) -> TxFuture<'a, Result<Vec<Result<T, E>>, E>>;

/// An item, the claim it takes first (see [`WriteClaim`]), and where to answer.
type Queued<I, T, E, C> = (I, Option<Arc<C>>, oneshot::Sender<Result<T, E>>);

/// Items waiting for the next write of their kind.
struct Batcher<I, T, E, C> {
    pending: Mutex<Vec<Queued<I, T, E, C>>>,
    /// A job that will take the pending items is queued with the writer (set by the item that
    /// queues it, cleared by the job when it takes them, under `pending`'s lock).
    queued: AtomicBool,
}

impl GroupCommit {
    /// Write `item` together with every other item of its type queued meanwhile: one job of
    /// the writer runs `write` over all of them, so a hundred submissions cost a few
    /// statements instead of a few hundred (each statement is a round trip to the database).
    /// Answers after the commit, like [`GroupCommit::run`]. If the batch fails as a whole,
    /// each item is written again on its own, so one item's trouble is not the others' answer.
    ///
    /// One item type has one `write` function (batches are kept per item type).
    pub async fn run_batched<I, T, E>(&self, item: I, write: BatchWrite<I, T, E>) -> Result<T, E>
    where
        I: Send + Sync + 'static,
        T: Send + 'static,
        E: From<sqlx::Error> + Send + 'static,
    {
        self.run_batched_claimed_on::<NoClaim, I, T, E>(0, None, item, write)
            .await
    }

    /// [`GroupCommit::run_batched`] on the lane of partition `key`: items of one partition are
    /// written by one lane, in order; those of partitions on different lanes side by side.
    ///
    /// The first item queued while no job of its kind is waiting queues one with the writer;
    /// that job takes every item queued by the time the writer runs it (not by the time it
    /// was queued), and the writer answers each item itself after the commit: no task stands
    /// between the writer and the callers.
    pub async fn run_batched_on<I, T, E>(
        &self,
        key: u64,
        item: I,
        write: BatchWrite<I, T, E>,
    ) -> Result<T, E>
    where
        I: Send + Sync + 'static,
        T: Send + 'static,
        E: From<sqlx::Error> + Send + 'static,
    {
        self.run_batched_claimed_on::<NoClaim, I, T, E>(key, None, item, write)
            .await
    }

    /// [`GroupCommit::run_batched_on`] for an item that takes `claim` first (see
    /// [`WriteClaim`]): the claims of a batch are taken in one statement before its write, an
    /// item whose claim is not free is not written and fails with [`WriteClaim::lost`], and
    /// what each claim settles of its item's outcome is stored in the same transaction.
    pub async fn run_batched_claimed_on<C, I, T, E>(
        &self,
        key: u64,
        claim: Option<Arc<C>>,
        item: I,
        write: BatchWrite<I, T, E>,
    ) -> Result<T, E>
    where
        C: WriteClaim,
        I: Send + Sync + 'static,
        T: Send + 'static,
        E: From<sqlx::Error> + Send + 'static,
    {
        let lane = self.lane_of(key);
        let batcher: Arc<Batcher<I, T, E, C>> = {
            let mut all = self.batchers.lock().unwrap_or_else(PoisonError::into_inner);
            let any = all
                .entry((TypeId::of::<(I, T, E, C)>(), lane))
                .or_insert_with(|| {
                    Arc::new(Batcher::<I, T, E, C> {
                        pending: Mutex::new(Vec::new()),
                        queued: AtomicBool::new(false),
                    })
                })
                .clone();
            any.downcast::<Batcher<I, T, E, C>>()
                .map_err(|_| E::from(sqlx::Error::Protocol("batcher type mismatch".into())))?
        };
        let (answer, wait) = oneshot::channel();
        batcher
            .pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((item, claim, answer));
        if !batcher.queued.swap(true, Ordering::SeqCst) {
            self.queue_batch(lane, batcher, write)?;
        }
        wait.await.map_err(|_| E::from(self.why_dropped()))?
    }

    /// Queue a job that writes a batcher's pending items, without waiting: a caller that
    /// stops waiting never stops the others' writes (with the lane's queue full, a task of
    /// its own waits for room).
    fn queue_batch<I, T, E, C>(
        &self,
        lane: usize,
        b: Arc<Batcher<I, T, E, C>>,
        write: BatchWrite<I, T, E>,
    ) -> Result<(), sqlx::Error>
    where
        C: WriteClaim,
        I: Send + Sync + 'static,
        T: Send + 'static,
        E: From<sqlx::Error> + Send + 'static,
    {
        let job = batch_job(self.clone(), lane, b, write);
        match self.lanes[lane].try_send(job) {
            Ok(()) => Ok(()),
            Err(mpsc::error::TrySendError::Full(job)) => {
                let queue = self.lanes[lane].clone();
                tokio::spawn(async move {
                    // Closed: the writer is gone, and dropping the job drops the answers.
                    let _ = queue.send(job).await;
                });
                Ok(())
            }
            Err(mpsc::error::TrySendError::Closed(_)) => Err(super::writer_stopped()),
        }
    }
}

/// Most items one batched write takes (bounds the statement's parameters).
pub const MAX_BATCH_ITEMS: usize = 256;

/// The writer's job for a batcher: take the items pending when it runs (at most
/// [`MAX_BATCH_ITEMS`]; the rest get a job of their own), write them in one call of `write`,
/// and answer each after the commit.
fn batch_job<I, T, E, C>(
    gc: GroupCommit,
    lane: usize,
    b: Arc<Batcher<I, T, E, C>>,
    write: BatchWrite<I, T, E>,
) -> Job
where
    C: WriteClaim,
    I: Send + Sync + 'static,
    T: Send + 'static,
    E: From<sqlx::Error> + Send + 'static,
{
    let mut unrun = Unrun { b, ran: false };
    Box::new(move |tx: &mut Tx| {
        Box::pin(async move {
            unrun.ran = true;
            let b = &unrun.b;
            let (group, more) = {
                let mut p = b.pending.lock().unwrap_or_else(PoisonError::into_inner);
                let n = p.len().min(MAX_BATCH_ITEMS);
                let group: Vec<Queued<I, T, E, C>> = p.drain(..n).collect();
                // From now on a new item queues a new job; items left over need one now.
                b.queued.store(false, Ordering::SeqCst);
                (
                    group,
                    !p.is_empty() && !b.queued.swap(true, Ordering::SeqCst),
                )
            };
            if more {
                if let Err(e) = gc.queue_batch(lane, b.clone(), write) {
                    tracing::error!(error = %e, "group commit: cannot queue the rest");
                }
            }
            let mut items = Vec::with_capacity(group.len());
            let mut slots = Vec::with_capacity(group.len());
            let mut answers = Vec::with_capacity(group.len());
            for (item, slot, answer) in group {
                items.push(item);
                slots.push(slot);
                answers.push(answer);
            }
            if items.is_empty() {
                let nothing: Deliver = Box::new(|_| ());
                return (true, nothing);
            }
            let outcome = write_claimed(tx, &items, &slots, write).await;
            let ok = outcome.is_ok();
            let deliver: Deliver = match outcome {
                Ok(results) => Box::new(move |commit: Option<&sqlx::Error>| {
                    for (a, r) in answers.into_iter().zip(results) {
                        let r = match (r, commit) {
                            (Ok(_), Some(e)) => Err(E::from(copy_error(e))),
                            (r, _) => r,
                        };
                        // The caller may have gone away; the write stands either way.
                        let _ = a.send(r);
                    }
                }),
                Err(e) if answers.len() == 1 => Box::new(move |_| {
                    if let Some(a) = answers.into_iter().next() {
                        let _ = a.send(Err(e));
                    }
                }),
                // The whole batch was rolled back: every item alone, in its own savepoint of
                // the writer's next transaction.
                Err(_) => Box::new(move |_| {
                    tokio::spawn(alone(gc, lane, items, slots, answers, write));
                }),
            };
            (ok, deliver)
        })
    })
}

/// A batcher's job that has not run yet. Dropped unrun (the writer could not begin its
/// transaction, or is gone), it answers the pending items with an error, as a dropped job of
/// [`GroupCommit::run`] does, and lets the next item queue a new job: otherwise the items
/// would wait for a job that never comes, and so would every later one.
struct Unrun<I, T, E, C> {
    b: Arc<Batcher<I, T, E, C>>,
    ran: bool,
}

impl<I, T, E, C> Drop for Unrun<I, T, E, C> {
    fn drop(&mut self) {
        if self.ran {
            return;
        }
        let dropped: Vec<Queued<I, T, E, C>> = {
            let mut p = self
                .b
                .pending
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            self.b.queued.store(false, Ordering::SeqCst);
            p.drain(..).collect()
        };
        // Their answer channels close: each caller gets the reason (`why_dropped`).
        drop(dropped);
    }
}

/// Write each item of a batch that failed as a whole on its own, and answer it.
async fn alone<I, T, E, C>(
    gc: GroupCommit,
    lane: usize,
    items: Vec<I>,
    slots: Vec<Option<Arc<C>>>,
    answers: Vec<oneshot::Sender<Result<T, E>>>,
    write: BatchWrite<I, T, E>,
) where
    C: WriteClaim,
    I: Send + Sync + 'static,
    T: Send + 'static,
    E: From<sqlx::Error> + Send + 'static,
{
    let (items, slots) = (Arc::new(items), Arc::new(slots));
    let mut each = tokio::task::JoinSet::new();
    for (i, a) in answers.into_iter().enumerate() {
        let (gc, items, slots) = (gc.clone(), items.clone(), slots.clone());
        each.spawn(async move {
            let r = gc
                .run_on(lane as u64, move |tx| {
                    Box::pin(async move {
                        let mut v = write_claimed(tx, &items[i..=i], &slots[i..=i], write).await?;
                        v.pop().unwrap_or_else(|| {
                            Err(E::from(sqlx::Error::Protocol("no outcome".into())))
                        })
                    })
                })
                .await;
            let _ = a.send(r);
        });
    }
    while each.join_next().await.is_some() {}
}
/// Take the batch's claims (one statement), then write the items whose claim was free, in
/// runs of neighbours; an item whose claim another holds gets [`WriteClaim::lost`] and writes
/// nothing.
async fn write_claimed<I, T, E, C>(
    tx: &mut Tx,
    items: &[I],
    claims: &[Option<Arc<C>>],
    write: BatchWrite<I, T, E>,
) -> Result<Vec<Result<T, E>>, E>
where
    C: WriteClaim,
    T: 'static,
    E: From<sqlx::Error>,
{
    let mut lost = vec![false; items.len()];
    let (at, taken): (Vec<usize>, Vec<Arc<C>>) = claims
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.as_ref().map(|c| (i, c.clone())))
        .unzip();
    if !taken.is_empty() {
        let fresh = C::take_all(tx, &taken).await?;
        for (i, fresh) in at.iter().zip(fresh) {
            lost[*i] = !fresh;
        }
    }
    let mut out = Vec::with_capacity(items.len());
    let mut i = 0;
    while i < items.len() {
        if lost[i] {
            out.push(Err(E::from(C::lost())));
            i += 1;
            continue;
        }
        let mut j = i;
        while j < items.len() && !lost[j] {
            j += 1;
        }
        let part = write(tx, &items[i..j]).await?;
        if part.len() != j - i {
            return Err(E::from(sqlx::Error::Protocol(
                "batched write returned the wrong number of outcomes".into(),
            )));
        }
        out.extend(part);
        i = j;
    }
    let settled =
        settled_of(
            claims
                .iter()
                .zip(&out)
                .filter_map(|(c, outcome)| match (c, outcome) {
                    (Some(c), Ok(t)) => Some((c, t as &dyn Any)),
                    _ => None,
                }),
        );
    store_settled(tx, settled).await?;
    Ok(out)
}
