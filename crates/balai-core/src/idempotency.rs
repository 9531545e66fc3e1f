//! `Idempotency-Key` for API POSTs: a retried request gets the stored response instead of
//! acting twice. Same key and payload → the stored response; same key with another payload →
//! 422; the first request still running → 409. A 5xx is not stored, so it may be retried.
//! Keys are scoped to the caller (its bearer token, or "public" for anonymous endpoints).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::db::Tx;
use crate::error::AppError;
use crate::group_commit::TxFuture;
use crate::web::AppCtx;
use crate::{with_db, with_tx};

pub const HEADER: &str = "idempotency-key";

enum Begin {
    Fresh,
    Replay {
        status: i64,
        content_type: Option<String>,
        body: Vec<u8>,
    },
    Mismatch,
    Running,
}

/// A key to claim: queued with other requests' claims and inserted in one statement.
struct Claim {
    scope: String,
    key: String,
    hash: String,
}

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

async fn begin(ctx: &AppCtx, scope: &str, key: &str, hash: &str) -> Result<Begin, sqlx::Error> {
    // Batched through the group-commit writer: concurrent requests' claims are one statement.
    let claim = Claim {
        scope: scope.to_string(),
        key: key.to_string(),
        hash: hash.to_string(),
    };
    if ctx.writer.run_batched(claim, claim_many).await? {
        return Ok(Begin::Fresh);
    }
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

/// A stored answer to a claimed key.
struct Answer {
    scope: String,
    key: String,
    hash: String,
    status: i64,
    content_type: Option<String>,
    body: Vec<u8>,
}

fn answer_many<'a>(
    tx: &'a mut Tx,
    answers: &'a [Answer],
) -> TxFuture<'a, Result<Vec<Result<(), sqlx::Error>>, sqlx::Error>> {
    Box::pin(async move {
        // A key is answered once (only its claimant answers), so no row is touched twice.
        let now = crate::db::now();
        with_tx!(tx, |c| {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO idempotency_keys (scope, idem_key, request_hash, status,
                   response_status, response_type, response_body, created_at) ",
            );
            q.push_values(answers, |mut b, a| {
                b.push_bind(&a.scope)
                    .push_bind(&a.key)
                    .push_bind(&a.hash)
                    .push_bind("done")
                    .push_bind(a.status)
                    .push_bind(&a.content_type)
                    .push_bind(&a.body)
                    .push_bind(now);
            });
            q.push(
                " ON CONFLICT (scope, idem_key) DO UPDATE SET status = 'done',
                   response_status = excluded.response_status,
                   response_type = excluded.response_type,
                   response_body = excluded.response_body",
            );
            q.build().execute(&mut *c).await.map(|_| ())
        })?;
        Ok(answers.iter().map(|_| Ok(())).collect())
    })
}

async fn finish(
    ctx: &AppCtx,
    scope: &str,
    key: &str,
    hash: &str,
    status: u16,
    ct: Option<&str>,
    body: &[u8],
) -> Result<(), sqlx::Error> {
    let answer = Answer {
        scope: scope.to_string(),
        key: key.to_string(),
        hash: hash.to_string(),
        status: i64::from(status),
        content_type: ct.map(str::to_string),
        body: body.to_vec(),
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
    let task =
        tokio::spawn(async move {
            match begin(&ctx, &scope, &key, &hash).await {
                Err(e) => return AppError::internal(e).into_response(),
                Ok(Begin::Mismatch) => {
                    return AppError::unprocessable(
                        "idempotency_key_reused",
                        "Idempotency-Key ini sudah dipakai untuk permintaan lain.",
                        "This Idempotency-Key was already used for a different request.",
                    )
                    .into_response()
                }
                Ok(Begin::Running) => return AppError::conflict(
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
                    return res;
                }
                Ok(Begin::Fresh) => {}
            }
            let lang = crate::i18n::Lang::from_parts(&parts);
            let request_id = parts
                .headers
                .get(crate::web::layers::REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-")
                .to_string();
            let res = next
                .run(Request::from_parts(parts, Body::from(bytes)))
                .await;
            let (mut rparts, rbody) = res.into_parts();
            let mut rbytes = axum::body::to_bytes(rbody, usize::MAX)
                .await
                .unwrap_or_default();
            // An error's body is written later by `render_errors` from the response's `ErrorInfo`,
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
            let stored = if rparts.status.is_server_error() {
                forget(&ctx, &scope, &key).await
            } else {
                finish(
                    &ctx,
                    &scope,
                    &key,
                    &hash,
                    rparts.status.as_u16(),
                    ct.as_deref(),
                    &rbytes,
                )
                .await
            };
            if let Err(e) = stored {
                tracing::error!(error = %e, "could not store idempotent response");
            }
            Response::from_parts(rparts, Body::from(rbytes))
        });
    match task.await {
        Ok(res) => res,
        Err(e) => AppError::internal(e).into_response(),
    }
}
