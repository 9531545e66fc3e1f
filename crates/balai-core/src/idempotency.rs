//! `Idempotency-Key` for API POSTs: a retried request gets the stored response instead of
//! acting twice. Same key and payload → the stored response; same key with another payload →
//! 422; the first request still running → 409. A 5xx is not stored, so it may be retried.
//! Keys are scoped to the caller (its bearer token, or "public" for anonymous endpoints).

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::any::Any;
use std::sync::{Arc, Mutex, PoisonError};

use crate::db::Tx;
use crate::error::AppError;
use crate::group_commit::TxFuture;
use crate::web::AppCtx;
use crate::{with_db, with_tx};

pub const HEADER: &str = "idempotency-key";

enum Begin {
    Replay {
        status: i64,
        content_type: Option<String>,
        body: Vec<u8>,
    },
    Mismatch,
    Running,
}

/// A key to claim: queued with other requests' claims and inserted in one statement.
#[derive(Clone, Debug)]
pub struct Claim {
    scope: String,
    key: String,
    hash: String,
}

/// Insert claims; `Ok(true)` for each one that was free.
pub fn claim_many<'a>(
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

/// What is stored for a key someone else claimed.
async fn existing(ctx: &AppCtx, scope: &str, key: &str, hash: &str) -> Result<Begin, sqlx::Error> {
    type Row = (String, String, Option<i64>, Option<String>, Option<Vec<u8>>);
    let row: Option<Row> = with_db!(&ctx.db, |c| sqlx::query_as(
        "SELECT request_hash, status, response_status, response_type, response_body
         FROM idempotency_keys WHERE scope = $1 AND idem_key = $2"
    )
    .bind(scope)
    .bind(key)
    .fetch_optional(c)
    .await)?;
    Ok(match row {
        None => Begin::Running,
        Some((h, _, _, _, _)) if h != hash => Begin::Mismatch,
        Some((_, s, Some(status), ct, body)) if s == "done" => Begin::Replay {
            status,
            content_type: ct,
            body: body.unwrap_or_default(),
        },
        Some(_) => Begin::Running,
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

/// Declare how this request will answer once its write returns a `T`: `render` is called in
/// the write's transaction and the result is stored as the key's answer there. The handler
/// must answer with `render` of the same value (the middleware compares the bytes and stores
/// the real answer if they differ). Does nothing for a request without an Idempotency-Key.
pub fn respond_with<T: 'static>(render: impl Fn(&T) -> Rendered + Send + Sync + 'static) {
    let _ = SLOT.try_with(|s| {
        let r: Renderer = Arc::new(move |out: &dyn Any| out.downcast_ref::<T>().map(&render));
        *s.render.lock().unwrap_or_else(PoisonError::into_inner) = Some(r);
    });
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

tokio::task_local! {
    static SLOT: Arc<Slot>;
}

impl Slot {
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
    pub fn mark(&self, fresh: bool) {
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
    pub async fn claim_in(&self, tx: &mut Tx) -> Result<bool, sqlx::Error> {
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
    pub(crate) fn new(slot: Arc<Slot>) -> Self {
        ClaimGuard { slot: Some(slot) }
    }

    /// The transaction committed (or the key was lost): the slot's state stands.
    pub(crate) fn keep(mut self) {
        self.slot = None;
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

/// The claim the current request still has to make with its first write, if any. Called by
/// [`crate::db::Db::begin`] and the group-commit writer; a write made elsewhere (a task of its
/// own) must take it and claim first with [`claim_now`].
pub fn take_claim() -> Option<Arc<Slot>> {
    SLOT.try_with(|s| {
        (s.get() == SlotState::Pending).then(|| {
            s.set(SlotState::Taken);
            s.clone()
        })
    })
    .ok()
    .flatten()
}

/// The error a write gets when its request's key is held by another request; the middleware
/// answers such a request from the key's record instead.
pub fn lost_claim() -> sqlx::Error {
    sqlx::Error::Protocol("Idempotency-Key held by another request".into())
}

/// Claim in a transaction of its own (through the writer), for writes that cannot take the
/// claim in their own transaction.
pub async fn claim_now(ctx: &AppCtx, slot: &Slot) -> Result<bool, sqlx::Error> {
    slot.set(SlotState::Taken);
    let claim = Claim {
        scope: slot.claim.scope.clone(),
        key: slot.claim.key.clone(),
        hash: slot.claim.hash.clone(),
    };
    let fresh = ctx.writer.run_batched(claim, claim_many).await?;
    if !fresh {
        slot.set(SlotState::Lost);
    }
    Ok(fresh)
}

/// An answer to store for a key.
pub(crate) struct Answer {
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

pub(crate) fn answer_many<'a>(
    tx: &'a mut Tx,
    answers: &'a [Answer],
) -> TxFuture<'a, Result<Vec<Result<bool, sqlx::Error>>, sqlx::Error>> {
    Box::pin(async move {
        let now = crate::db::now();
        let mut stored: std::collections::HashSet<(String, String)> = Default::default();
        for claimed in [true, false] {
            let rows: Vec<&Answer> = answers.iter().filter(|a| a.claimed == claimed).collect();
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
        Ok(answers
            .iter()
            .map(|a| Ok(stored.remove(&(a.scope.clone(), a.key.clone()))))
            .collect())
    })
}

/// Store the answer; false when the request never claimed the key and someone else has.
async fn finish(
    ctx: &AppCtx,
    claim: &Claim,
    claimed: bool,
    status: u16,
    ct: Option<&str>,
    body: &[u8],
) -> Result<bool, sqlx::Error> {
    let answer = Answer {
        scope: claim.scope.clone(),
        key: claim.key.clone(),
        hash: claim.hash.clone(),
        status: i64::from(status),
        content_type: ct.map(str::to_string),
        body: Bytes::copy_from_slice(body),
        claimed,
    };
    ctx.writer.run_batched(answer, answer_many).await
}

async fn forget(ctx: &AppCtx, scope: &str, key: &str) -> Result<(), sqlx::Error> {
    let mut tx = ctx.db.begin().await?;
    with_tx!(&mut tx, |c| sqlx::query(
        "DELETE FROM idempotency_keys WHERE scope = $1 AND idem_key = $2"
    )
    .bind(scope)
    .bind(key)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    tx.commit().await
}

/// The answer for a request whose key another request holds: that request's stored answer,
/// 422 if it was for a different payload, or 409 while it is still running.
async fn from_record(ctx: &AppCtx, claim: &Claim) -> Response {
    match existing(ctx, &claim.scope, &claim.key, &claim.hash).await {
        Err(e) => AppError::internal(e).into_response(),
        Ok(Begin::Mismatch) => AppError::unprocessable(
            "idempotency_key_reused",
            "Idempotency-Key ini sudah dipakai untuk permintaan lain.",
            "This Idempotency-Key was already used for a different request.",
        )
        .into_response(),
        Ok(Begin::Running) => AppError::conflict(
            "idempotency_in_progress",
            "Permintaan dengan Idempotency-Key ini masih diproses. Coba lagi sebentar.",
            "A request with this Idempotency-Key is still being processed. Retry shortly.",
        )
        .into_response(),
        Ok(Begin::Replay {
            status,
            content_type,
            body,
        }) => {
            let mut res = Response::new(Body::from(body));
            *res.status_mut() = StatusCode::from_u16(u16::try_from(status).unwrap_or(200))
                .unwrap_or(StatusCode::OK);
            if let Some(ct) = content_type.and_then(|c| HeaderValue::from_str(&c).ok()) {
                res.headers_mut().insert(header::CONTENT_TYPE, ct);
            }
            res.headers_mut()
                .insert("idempotency-replayed", HeaderValue::from_static("true"));
            res
        }
    }
}

/// Middleware for API routes.
pub async fn idempotency(State(ctx): State<AppCtx>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST && req.method() != Method::PUT && req.method() != Method::PATCH
    {
        return next.run(req).await;
    }
    let Some(key) = req
        .headers()
        .get(HEADER)
        .map(|v| v.to_str().map(str::to_string))
    else {
        return next.run(req).await;
    };
    let key = match key {
        Ok(k) if (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()) => k,
        _ => {
            return AppError::bad_request(
                "bad_idempotency_key",
                "Idempotency-Key harus 1–255 karakter ASCII yang terlihat.",
                "Idempotency-Key must be 1–255 visible ASCII characters.",
            )
            .into_response()
        }
    };
    let scope = match req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        Some(auth) => format!("auth:{}", crate::auth::sha256_hex(auth)),
        None => "public".to_string(),
    };
    let (parts, body) = req.into_parts();
    let limit = parts
        .extensions
        .get::<crate::web::layers::BodyLimit>()
        .map_or(ctx.cfg.max_body_bytes, |l| l.0);
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(b) => b,
        Err(_) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
    };
    let mut h = Sha256::new();
    h.update(parts.method.as_str().as_bytes());
    h.update(b" ");
    h.update(parts.uri.to_string().as_bytes());
    h.update(b"\n");
    h.update(&bytes);
    let hash = hex::encode(h.finalize());
    // From the claim of the key to the stored answer, the work runs in its own task: a client
    // that hangs up (a weak signal) must not cancel it half-way, or the key would stay
    // "running" and every retry would be told to wait, for ever.
    let slot = Arc::new(Slot {
        claim: Claim { scope, key, hash },
        state: Mutex::new(SlotState::Pending),
        render: Mutex::new(None),
        answered: Mutex::new(None),
    });
    let task = tokio::spawn(async move {
        let lang = crate::i18n::Lang::from_parts(&parts);
        let request_id = parts
            .headers
            .get(crate::web::layers::REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-")
            .to_string();
        // The handler's first write claims the key in its own transaction (see `take_claim`).
        let res = SLOT
            .scope(
                slot.clone(),
                next.run(Request::from_parts(parts, Body::from(bytes))),
            )
            .await;
        let claim = &slot.claim;
        let state = slot.get();
        if state == SlotState::Lost {
            return from_record(&ctx, claim).await;
        }
        let (mut rparts, rbody) = res.into_parts();
        let mut rbytes = axum::body::to_bytes(rbody, usize::MAX)
            .await
            .unwrap_or_default();
        // An error's body is written later by `errors::render` from the response's `ErrorInfo`,
        // which a replay does not have: store the body the client is about to get instead.
        if let Some(info) = rparts.extensions.get::<crate::error::ErrorInfo>() {
            rbytes = crate::web::errors::api_body(info, lang, &request_id)
                .to_string()
                .into();
            rparts.headers.remove(header::CONTENT_LENGTH);
            rparts.headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
        }
        let ct = rparts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let claimed = matches!(state, SlotState::Taken | SlotState::Answered);
        let answered = (state == SlotState::Answered)
            .then(|| {
                slot.answered
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .clone()
            })
            .flatten();
        let stored = if rparts.status.is_server_error() {
            if claimed {
                forget(&ctx, &claim.scope, &claim.key).await.map(|_| true)
            } else {
                Ok(true)
            }
        } else if answered
            .is_some_and(|(st, body)| st == i64::from(rparts.status.as_u16()) && body == rbytes)
        {
            // Stored with the write, in its transaction.
            Ok(true)
        } else {
            finish(
                &ctx,
                claim,
                claimed,
                rparts.status.as_u16(),
                ct.as_deref(),
                &rbytes,
            )
            .await
        };
        match stored {
            // It never wrote, and another request holds the key: answer as that one did.
            Ok(false) => return from_record(&ctx, claim).await,
            Ok(true) => {}
            Err(e) => tracing::error!(error = %e, "could not store idempotent response"),
        }
        Response::from_parts(rparts, Body::from(rbytes))
    });
    match task.await {
        Ok(res) => res,
        Err(e) => AppError::internal(e).into_response(),
    }
}
