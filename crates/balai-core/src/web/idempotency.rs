//! The `Idempotency-Key` middleware of the API (see [`crate::idempotency`] for the claim):
//! it reads the key, hashes the request, hands the handler the request's [`Slot`] in the
//! request's extensions (taken by the [`super::Keyed`] extractor and passed to the write), and
//! stores or replays the answer.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::AppCtx;
use crate::error::AppError;
use crate::idempotency::{answer_many, Answer, Claim, Slot, SlotOutcome, HEADER};
use crate::{with_db, with_tx};

enum Begin {
    Replay {
        status: i64,
        content_type: Option<String>,
        body: Vec<u8>,
    },
    Mismatch,
    Running,
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

/// Store the answer; false when the request never claimed the key and someone else has.
async fn finish(
    ctx: &AppCtx,
    claim: &Claim,
    claimed: bool,
    status: u16,
    ct: Option<&str>,
    body: &[u8],
) -> Result<bool, sqlx::Error> {
    let answer = Answer::new(claim, claimed, status, ct, body);
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

/// Marks a request whose Idempotency-Key header is malformed: [`super::Keyed`] refuses it.
#[derive(Clone, Copy, Debug)]
pub struct MalformedKey;

/// The refusal of a malformed Idempotency-Key.
pub fn malformed_key() -> AppError {
    AppError::bad_request(
        "bad_idempotency_key",
        "Idempotency-Key harus 1–255 karakter ASCII yang terlihat.",
        "Idempotency-Key must be 1–255 visible ASCII characters.",
    )
}

/// A request's Idempotency-Key header.
enum KeyHeader {
    Absent,
    Valid(String),
    Malformed,
}

/// The key of a request, checked: 1–255 visible ASCII characters.
fn key_of(req: &Request) -> KeyHeader {
    let Some(key) = req.headers().get(HEADER) else {
        return KeyHeader::Absent;
    };
    match key.to_str() {
        Ok(k) if (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()) => {
            KeyHeader::Valid(k.to_string())
        }
        _ => KeyHeader::Malformed,
    }
}

/// Keys are scoped to the caller: its bearer token, or "public".
fn scope_of(req: &Request) -> String {
    match req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        Some(auth) => format!("auth:{}", crate::auth::sha256_hex(auth)),
        None => "public".to_string(),
    }
}

/// The request's hash: method, URI and body.
fn request_hash(parts: &Parts, body: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(parts.method.as_str().as_bytes());
    h.update(b" ");
    h.update(parts.uri.to_string().as_bytes());
    h.update(b"\n");
    h.update(body);
    hex::encode(h.finalize())
}

/// Middleware for API routes.
pub async fn idempotency(State(ctx): State<AppCtx>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST && req.method() != Method::PUT && req.method() != Method::PATCH
    {
        return next.run(req).await;
    }
    let key = match key_of(&req) {
        KeyHeader::Valid(key) => key,
        KeyHeader::Absent => return next.run(req).await,
        KeyHeader::Malformed => {
            // Refused by the handler's [`super::Keyed`], after routing (405 first) and after
            // the handler's earlier extractors (401 first).
            let mut req = req;
            req.extensions_mut().insert(MalformedKey);
            return next.run(req).await;
        }
    };
    let scope = scope_of(&req);
    let (mut parts, body) = req.into_parts();
    let limit = parts
        .extensions
        .get::<super::layers::BodyLimit>()
        .map_or(ctx.cfg.max_body_bytes, |l| l.0);
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(b) => b,
        Err(_) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
    };
    let hash = request_hash(&parts, &bytes);
    let slot = Arc::new(Slot::new(scope, key, hash));
    // The handler's first write claims the key in its own transaction ([`super::Keyed`]).
    parts.extensions.insert(slot.clone());
    // From the claim of the key to the stored answer, the work runs in its own task: a client
    // that hangs up (a weak signal) must not cancel it half-way, or the key would stay
    // "running" and every retry would be told to wait, for ever.
    // The task carries the request's span (its request id) into every line it logs.
    let span = tracing::Span::current();
    let task = tokio::spawn(tracing::Instrument::instrument(
        async move {
            let lang = crate::i18n::Lang::from_parts(&parts);
            let request_id = parts
                .headers
                .get(super::request::REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-")
                .to_string();
            let res = next
                .run(Request::from_parts(parts, Body::from(bytes)))
                .await;
            settle(&ctx, &slot, res, lang, &request_id).await
        },
        span,
    ));
    match task.await {
        Ok(res) => res,
        Err(e) => AppError::internal(e).into_response(),
    }
}

/// Store the handler's answer for the key (unless its write stored it already), or answer
/// from the key's record when another request holds it.
async fn settle(
    ctx: &AppCtx,
    slot: &Slot,
    res: Response,
    lang: crate::i18n::Lang,
    request_id: &str,
) -> Response {
    if slot.is_read() {
        // A read sent as a POST ([`super::ReadPost`]): nothing to keep, nothing to replay.
        return res;
    }
    let claim = slot.claim();
    let outcome = slot.outcome();
    if !slot.taken_by_handler() && res.status().is_success() {
        // Its writes did not take the key: a concurrent retry could act twice.
        tracing::error!(
            request_id,
            "a handler under the Idempotency-Key middleware does not take Keyed"
        );
    }
    if matches!(outcome, SlotOutcome::Lost) {
        return from_record(ctx, claim).await;
    }
    if !slot.taken_by_handler() && res.status().is_client_error() {
        // Refused before the handler ran (wrong method, no valid token): not an answer to
        // keep under the key, nor one to trade for another request's.
        return res;
    }
    let (mut rparts, rbody) = res.into_parts();
    let mut rbytes = axum::body::to_bytes(rbody, usize::MAX)
        .await
        .unwrap_or_default();
    // An error's body is written later by `errors::render` from the response's `ErrorInfo`,
    // which a replay does not have: store the body the client is about to get instead.
    if let Some(info) = rparts.extensions.get::<crate::error::ErrorInfo>() {
        rbytes = super::errors::api_body(info, lang, request_id)
            .to_string()
            .into();
        rparts.headers.remove(header::CONTENT_LENGTH);
        rparts.headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
    }
    let stored = store(ctx, claim, &outcome, &rparts, &rbytes).await;
    match stored {
        // It never wrote, and another request holds the key: answer as that one did.
        Ok(false) => return from_record(ctx, claim).await,
        Ok(true) => {}
        Err(e) => tracing::error!(error = %e, "could not store idempotent response"),
    }
    Response::from_parts(rparts, Body::from(rbytes))
}

/// Store the answer `rparts`/`rbytes` for the key as the claim's outcome requires.
async fn store(
    ctx: &AppCtx,
    claim: &Claim,
    outcome: &SlotOutcome,
    rparts: &axum::http::response::Parts,
    rbytes: &Bytes,
) -> Result<bool, sqlx::Error> {
    let claimed = matches!(outcome, SlotOutcome::Claimed(_));
    if rparts.status.is_server_error() {
        return if claimed {
            forget(ctx, &claim.scope, &claim.key).await.map(|_| true)
        } else {
            Ok(true)
        };
    }
    if let SlotOutcome::Claimed(Some((st, body))) = outcome {
        if *st == i64::from(rparts.status.as_u16()) && body == rbytes {
            // Stored with the write, in its transaction.
            return Ok(true);
        }
    }
    let ct = rparts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    finish(ctx, claim, claimed, rparts.status.as_u16(), ct, rbytes).await
}
