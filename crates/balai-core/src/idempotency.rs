//! `Idempotency-Key` for API POSTs: a retried request gets the stored response instead of
//! acting twice. Same key and payload → the stored response; same key with another payload →
//! 422; the first request still running → 409. A 5xx is not stored, so it may be retried.
//! Keys are scoped to the caller (its bearer token, or "public" for anonymous endpoints).
//!
//! This module holds the claim and its storage; the HTTP middleware that reads the header is
//! [`crate::web::idempotency`]. A request's [`Slot`] reaches its write as an argument: the
//! handler takes [`crate::web::Keyed`], whose [`crate::web::AppCtx::begin`] and
//! `run_batched…` take the claim in the write's own transaction, so a claim never commits
//! without its work.

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::any::Any;
use std::sync::{Arc, Mutex, PoisonError};

use crate::db::group_commit::WriteClaim;
use crate::db::{Db, Tx, TxFuture, TxPart};
use crate::with_tx;

pub const HEADER: &str = "idempotency-key";

/// A key to claim: queued with other requests' claims and inserted in one statement.
#[derive(Clone, Debug)]
pub struct Claim {
    pub(crate) scope: String,
    pub(crate) key: String,
    pub(crate) hash: String,
}

/// Insert claims; `Ok(true)` for each one that was free.
fn claim_many<'a>(
    tx: &'a mut Tx,
    claims: &'a [Claim],
) -> TxFuture<'a, Result<Vec<Result<bool, sqlx::Error>>, sqlx::Error>> {
    Box::pin(async move {
        let now = crate::db::now();
        let fresh: Vec<(String, String)> = with_tx!(tx, |c| {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO idempotency_keys (scope, idem_key, request_hash, status, created_at) ",
            );
            q.push_values(claims, |mut b, k| {
                b.push_bind(&k.scope)
                    .push_bind(&k.key)
                    .push_bind(&k.hash)
                    .push_bind("running")
                    .push_bind(now);
            });
            q.push(" ON CONFLICT (scope, idem_key) DO NOTHING RETURNING scope, idem_key");
            q.build_query_as().fetch_all(&mut *c).await
        })?;
        // The same key twice in one batch: only its first claim is fresh.
        let mut fresh: std::collections::HashSet<(String, String)> = fresh.into_iter().collect();
        Ok(claims
            .iter()
            .map(|k| Ok(fresh.remove(&(k.scope.clone(), k.key.clone()))))
            .collect())
    })
}

/// A request's Idempotency-Key, claimed by the request's first write: inside the same
/// transaction as that write (no separate commit), so a concurrent request with the same key
/// either waits for it or finds the key taken, and never acts twice.
pub struct Slot {
    claim: Claim,
    state: Mutex<SlotState>,
    /// How the handler will answer, given its write's outcome ([`respond_with`]).
    render: Mutex<Option<Renderer>>,
    /// The status and body stored as the answer inside the write's transaction.
    answered: Mutex<Option<(i64, Bytes)>>,
    /// The handler took the slot to pass it to its writes ([`crate::web::Keyed`]).
    taken_by_handler: std::sync::atomic::AtomicBool,
    /// The handler only reads ([`crate::web::ReadPost`]): its answer is never kept.
    read: std::sync::atomic::AtomicBool,
}

/// A response rendered from a write's outcome before the write commits.
///
/// A handler whose answer follows from what its write returned renders it with one function,
/// registered with [`respond_with`] before the write and called again for the response: the
/// writer stores the same bytes as the Idempotency-Key's answer in the write's own transaction,
/// so a keyed request costs one commit, and a crash can never leave its key "running" with the
/// work committed.
#[derive(Clone, Debug)]
pub struct Rendered {
    pub status: StatusCode,
    pub content_type: &'static str,
    pub body: Bytes,
}

impl Rendered {
    /// `value` as a JSON response with `status`.
    pub fn json<T: serde::Serialize>(status: StatusCode, value: &T) -> Self {
        Rendered {
            status,
            content_type: "application/json",
            // Serialising plain data structs cannot fail; an empty body would be visible.
            body: serde_json::to_vec(value).unwrap_or_default().into(),
        }
    }
}

impl IntoResponse for Rendered {
    fn into_response(self) -> Response {
        let mut res = Response::new(Body::from(self.body));
        *res.status_mut() = self.status;
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.content_type),
        );
        res
    }
}

type Renderer = Arc<dyn Fn(&dyn Any) -> Option<Rendered> + Send + Sync>;

/// Where a request's claim stands once its handler has answered.
#[derive(Clone, Debug)]
pub enum SlotOutcome {
    /// No write claimed the key.
    NotClaimed,
    /// Another request holds the key; this one did not act.
    Lost,
    /// A write claimed it; with the status and body stored in that write's transaction, if
    /// the handler declared its answer ([`Slot::respond_with`]).
    Claimed(Option<(i64, Bytes)>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SlotState {
    /// No write yet.
    Pending,
    /// A write claimed the key (its transaction may still roll back).
    Taken,
    /// Another request holds the key; this one must not act.
    Lost,
    /// A write claimed the key and stored the answer in its transaction ([`respond_with`]).
    Answered,
}

impl Slot {
    /// A request's key, not claimed yet.
    pub fn new(scope: String, key: String, hash: String) -> Self {
        Slot {
            claim: Claim { scope, key, hash },
            state: Mutex::new(SlotState::Pending),
            render: Mutex::new(None),
            answered: Mutex::new(None),
            taken_by_handler: std::sync::atomic::AtomicBool::new(false),
            read: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// The handler is a read sent as a POST (a NIK or a tracking code kept out of the URL):
    /// its answer is not stored under the key, so personal data never rests in the key's
    /// record, and a retry reads again (throttled and audited again).
    pub fn mark_read(&self) {
        self.read.store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Whether the handler only reads ([`Slot::mark_read`]).
    pub fn is_read(&self) -> bool {
        self.read.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The handler took this slot to pass it to its writes.
    pub fn mark_taken_by_handler(&self) {
        self.taken_by_handler
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Whether the handler took this slot ([`Slot::mark_taken_by_handler`]).
    pub fn taken_by_handler(&self) -> bool {
        self.taken_by_handler
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Declare how this request will answer once its write returns a `T`: `render` is called
    /// in the write's transaction and the result is stored as the key's answer there. The
    /// handler must answer with `render` of the same value (the middleware compares the bytes
    /// and stores the real answer if they differ).
    pub fn respond_with<T: 'static>(
        &self,
        render: impl Fn(&T) -> Rendered + Send + Sync + 'static,
    ) {
        let r: Renderer = Arc::new(move |out: &dyn Any| out.downcast_ref::<T>().map(&render));
        *self.render.lock().unwrap_or_else(PoisonError::into_inner) = Some(r);
    }

    /// The claim for this request's next write, if it has none yet (the slot is then taken;
    /// given back if that write's transaction does not commit).
    pub fn take(self: &Arc<Self>) -> Option<Arc<Slot>> {
        let mut st = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        (*st == SlotState::Pending).then(|| {
            *st = SlotState::Taken;
            self.clone()
        })
    }

    /// Where the request's claim stands, for the middleware.
    pub fn outcome(&self) -> SlotOutcome {
        match self.get() {
            SlotState::Pending => SlotOutcome::NotClaimed,
            SlotState::Lost => SlotOutcome::Lost,
            SlotState::Taken => SlotOutcome::Claimed(None),
            SlotState::Answered => SlotOutcome::Claimed(
                self.answered
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .clone(),
            ),
        }
    }

    fn set(&self, st: SlotState) {
        *self.state.lock().unwrap_or_else(PoisonError::into_inner) = st;
    }

    fn get(&self) -> SlotState {
        *self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn claim(&self) -> &Claim {
        &self.claim
    }

    /// Record the outcome of a claim made with others (see [`claim_many`]).
    fn mark(&self, fresh: bool) {
        self.set(if fresh {
            SlotState::Taken
        } else {
            SlotState::Lost
        });
    }

    /// The answer to store for this request's write outcome `out`, if the handler declared one
    /// with [`respond_with`] and the key is claimed.
    pub(crate) fn answer_for(&self, out: &dyn Any) -> Option<Answer> {
        if self.get() != SlotState::Taken {
            return None;
        }
        let render = self
            .render
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()?;
        let r = render(out)?;
        Some(Answer {
            scope: self.claim.scope.clone(),
            key: self.claim.key.clone(),
            hash: self.claim.hash.clone(),
            status: i64::from(r.status.as_u16()),
            content_type: Some(r.content_type.to_string()),
            body: r.body,
            claimed: true,
        })
    }

    /// The answer `a` was written in the transaction that claimed the key.
    pub(crate) fn mark_answered(&self, a: &Answer) {
        *self.answered.lock().unwrap_or_else(PoisonError::into_inner) =
            Some((a.status, a.body.clone()));
        self.set(SlotState::Answered);
    }

    /// Insert the claim in `tx`; false (and the request lost) when the key is taken.
    async fn claim_in(&self, tx: &mut Tx) -> Result<bool, sqlx::Error> {
        self.set(SlotState::Taken);
        let fresh = claim_many(tx, std::slice::from_ref(&self.claim))
            .await?
            .pop()
            .unwrap_or(Ok(false))?;
        if !fresh {
            self.set(SlotState::Lost);
        }
        Ok(fresh)
    }
}

/// Held by a transaction that claimed its request's key: if the transaction ends without a
/// commit (a read-only transaction dropped, or a failure), the claim went with it and the
/// request's next write must claim again.
pub struct ClaimGuard {
    slot: Option<Arc<Slot>>,
}

impl ClaimGuard {
    fn new(slot: Arc<Slot>) -> Self {
        ClaimGuard { slot: Some(slot) }
    }

    /// The transaction committed (or the key was lost): the slot's state stands.
    fn keep(mut self) {
        self.slot = None;
    }
}

impl TxPart for ClaimGuard {
    fn as_any(&mut self) -> &mut dyn Any {
        self
    }

    fn committed(self: Box<Self>) {
        self.keep();
    }
}

/// Begin a write transaction on `db` that takes the request's claim first, if the request
/// carries a key not claimed yet: the claim commits with this transaction or returns to the
/// request (for its next write) if it does not commit. A key held by another request fails
/// with [`lost_claim`].
pub async fn begin(db: &Db, slot: Option<&Arc<Slot>>) -> Result<Tx, sqlx::Error> {
    let mut tx = db.begin().await?;
    if let Some(slot) = slot.and_then(Slot::take) {
        let guard = ClaimGuard::new(slot.clone());
        if !slot.claim_in(&mut tx).await? {
            guard.keep();
            return Err(lost_claim());
        }
        tx.add_part(Box::new(guard));
    }
    Ok(tx)
}

/// A request's slot is the claim its group-committed write takes first, in the write's own
/// savepoint (see [`WriteClaim`]); what it settles is the answer declared with
/// [`Slot::respond_with`].
impl WriteClaim for Slot {
    type Settled = Answer;

    fn take_all<'a>(
        tx: &'a mut Tx,
        claims: &'a [Arc<Self>],
    ) -> TxFuture<'a, Result<Vec<bool>, sqlx::Error>> {
        // Each slot was taken (`Slot::take`) when its write was queued.
        Box::pin(async move {
            let keys: Vec<Claim> = claims.iter().map(|s| s.claim.clone()).collect();
            let fresh = claim_many(tx, &keys).await?;
            claims
                .iter()
                .zip(fresh)
                .map(|(slot, fresh)| {
                    let fresh = fresh?;
                    slot.mark(fresh);
                    Ok(fresh)
                })
                .collect()
        })
    }

    fn lost() -> sqlx::Error {
        lost_claim()
    }

    fn settle(&self, out: &dyn Any) -> Option<Answer> {
        self.answer_for(out)
    }

    fn store_all<'a>(
        tx: &'a mut Tx,
        settled: &'a [(Arc<Self>, Answer)],
    ) -> TxFuture<'a, Result<(), sqlx::Error>> {
        Box::pin(async move {
            let answers: Vec<&Answer> = settled.iter().map(|(_, a)| a).collect();
            insert_answers(tx, &answers).await?;
            for (slot, a) in settled {
                slot.mark_answered(a);
            }
            Ok(())
        })
    }
}

impl Drop for ClaimGuard {
    fn drop(&mut self) {
        if let Some(slot) = self.slot.take() {
            if matches!(slot.get(), SlotState::Taken | SlotState::Answered) {
                slot.set(SlotState::Pending);
            }
        }
    }
}

/// The error a write gets when its request's key is held by another request; the middleware
/// answers such a request from the key's record instead.
pub fn lost_claim() -> sqlx::Error {
    sqlx::Error::Protocol(LOST_CLAIM.into())
}

pub(crate) const LOST_CLAIM: &str = "Idempotency-Key held by another request";

/// True for the error of [`lost_claim`] (a replay, not a failure).
pub fn is_lost_claim(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Protocol(m) if m == LOST_CLAIM)
}

/// An answer to store for a key.
pub struct Answer {
    scope: String,
    key: String,
    hash: String,
    status: i64,
    content_type: Option<String>,
    body: Bytes,
    /// The request claimed the key: overwrite its row. Otherwise (it never wrote) store only
    /// if the key is still free, and report whether it was.
    claimed: bool,
}

impl Answer {
    /// The answer a request gives, to store for its key; `claimed` when the request claimed
    /// the key (its row is overwritten), otherwise it is stored only if the key is still free.
    pub(crate) fn new(
        claim: &Claim,
        claimed: bool,
        status: u16,
        ct: Option<&str>,
        body: &[u8],
    ) -> Self {
        Answer {
            scope: claim.scope.clone(),
            key: claim.key.clone(),
            hash: claim.hash.clone(),
            status: i64::from(status),
            content_type: ct.map(str::to_string),
            body: Bytes::copy_from_slice(body),
            claimed,
        }
    }
}

/// Store answers, a batch of the writer's: for each, whether it was stored.
pub(crate) fn answer_many<'a>(
    tx: &'a mut Tx,
    answers: &'a [Answer],
) -> TxFuture<'a, Result<Vec<Result<bool, sqlx::Error>>, sqlx::Error>> {
    Box::pin(async move {
        let all: Vec<&Answer> = answers.iter().collect();
        let mut stored = insert_answers(tx, &all).await?;
        Ok(answers
            .iter()
            .map(|a| Ok(stored.remove(&(a.scope.clone(), a.key.clone()))))
            .collect())
    })
}

/// Insert answers (a claimant's overwrites its claim); the keys stored.
async fn insert_answers(
    tx: &mut Tx,
    answers: &[&Answer],
) -> Result<std::collections::HashSet<(String, String)>, sqlx::Error> {
    let now = crate::db::now();
    let mut stored: std::collections::HashSet<(String, String)> = Default::default();
    for claimed in [true, false] {
        let rows: Vec<&Answer> = answers
            .iter()
            .copied()
            .filter(|a| a.claimed == claimed)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let got: Vec<(String, String)> = with_tx!(tx, |c| {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO idempotency_keys (scope, idem_key, request_hash, status,
                   response_status, response_type, response_body, created_at) ",
            );
            q.push_values(&rows, |mut b, a| {
                b.push_bind(&a.scope)
                    .push_bind(&a.key)
                    .push_bind(&a.hash)
                    .push_bind("done")
                    .push_bind(a.status)
                    .push_bind(&a.content_type)
                    .push_bind(a.body.as_ref())
                    .push_bind(now);
            });
            // A key is answered once by its claimant, so no row is updated twice.
            q.push(if claimed {
                " ON CONFLICT (scope, idem_key) DO UPDATE SET status = 'done',
                   response_status = excluded.response_status,
                   response_type = excluded.response_type,
                   response_body = excluded.response_body
                 RETURNING scope, idem_key"
            } else {
                " ON CONFLICT (scope, idem_key) DO NOTHING RETURNING scope, idem_key"
            });
            q.build_query_as().fetch_all(&mut *c).await
        })?;
        stored.extend(got);
    }
    Ok(stored)
}
