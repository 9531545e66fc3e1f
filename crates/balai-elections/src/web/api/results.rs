//! The result JSON API: submitting a TPS form, the results of a region, one TPS's history,
//! the supervisor's dispute queue and the publication log. Reads are public.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use balai_core::idempotency::Rendered;
use balai_core::ids::{ElectionId, TpsId};
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use balai_core::web::Keyed;
use balai_core::{AppError, AppResult};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::commands::submit_result::{self, SubmitInput, Submitted};
use crate::domain::publog::LogEntry;
use crate::queries::{self, load_election, Dispute, Results, TpsView};
use crate::store;
use crate::web::shared::{cacheable, supervisor_region, RegionQuery};

/// Submit a TPS result form (C.Hasil-KWK). 201 with any warnings; 422 listing every broken
/// rule (`details.errors`) or unreadable field (`details.fields`); 409 for a duplicate or a
/// closed election.
#[utoipa::path(post, path = "/api/v1/elections/{id}/results", tag = "elections", security(("bearer" = [])),
    request_body = SubmitInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    responses((status = 201, body = Submitted), (status = 403), (status = 409), (status = 422)))]
pub async fn submit_result(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(id): Path<i64>,
    Json(input): Json<SubmitInput>,
) -> AppResult<Response> {
    // With an Idempotency-Key this answer is stored in the form's own transaction.
    let render = |out: &Submitted| Rendered::json(StatusCode::CREATED, out);
    ctx.respond_with(render);
    let out = submit_result::submit(&ctx, &actor, &meta, id, input)
        .await
        .map_err(AppError::from)?;
    Ok(render(&out).into_response())
}

/// Results of a region from the current version of every TPS (public).
#[utoipa::path(get, path = "/api/v1/elections/{id}/results", tag = "elections", params(RegionQuery),
    responses((status = 200, body = Results), (status = 404), (status = 422)))]
pub async fn get_results(
    State(ctx): State<AppCtx>,
    Path(id): Path<i64>,
    Query(q): Query<RegionQuery>,
    req: axum::extract::Request,
) -> AppResult<Response> {
    // The key is the parsed code: spellings of one region (spaces around it) share an entry,
    // and a code that does not parse never reaches the cache.
    let region = match q.region.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(r) => Some(balai_core::regions::RegionCode::parse(r)?),
    };
    let key = (
        id,
        format!("results:{}", region.as_ref().map_or("", |r| r.as_str())),
    );
    let (ctx_ref, region) = (&ctx, region.as_ref().map(|r| r.as_str()));
    let c = crate::cache::get_or_build(&ctx, key, move || async move {
        let r = queries::results(ctx_ref, id, region).await?;
        let body = serde_json::to_vec(&r).map_err(AppError::internal)?;
        Ok((body, r.changed_at))
    })
    .await?;
    Ok(crate::cache::respond(req.headers(), &c))
}

/// One TPS: its current version, status, flags and every earlier version (public).
#[utoipa::path(get, path = "/api/v1/elections/{id}/tps/{tps_id}", tag = "elections",
    params(("id" = i64, Path, description = "The election."), ("tps_id" = i64, Path, description = "The TPS.")),
    responses((status = 200, body = TpsView), (status = 404)))]
pub async fn get_tps(
    State(ctx): State<AppCtx>,
    Path((id, tps_id)): Path<(ElectionId, TpsId)>,
    req: axum::extract::Request,
) -> AppResult<Response> {
    let ctx_ref = &ctx;
    let c = crate::cache::get_or_build(
        &ctx,
        (id.get(), format!("tps:{tps_id}")),
        move || async move {
            let e = load_election(ctx_ref, id.get()).await?;
            let v = queries::tps_view(ctx_ref, id, tps_id).await?;
            let body = serde_json::to_vec(&v).map_err(AppError::internal)?;
            Ok((body, e.results_changed_at))
        },
    )
    .await?;
    Ok(crate::cache::respond(req.headers(), &c))
}

/// The supervisor's queue: TPS where two operators' entries disagree, side by side.
#[utoipa::path(get, path = "/api/v1/elections/{id}/disputes", tag = "elections", security(("bearer" = [])),
    params(RegionQuery), responses((status = 200, body = Vec<Dispute>), (status = 403)))]
pub async fn list_disputes(
    State(ctx): State<AppCtx>,
    actor: Actor,
    Path(id): Path<i64>,
    Query(q): Query<RegionQuery>,
) -> AppResult<Json<Vec<Dispute>>> {
    let e = load_election(&ctx, id).await?;
    let region = supervisor_region(&actor, &e, q.region.as_deref())?;
    Ok(Json(queries::disputes(&ctx, &e, &region).await?))
}

/// A page of the publication log: `after` (a sequence number; 0, the default, starts at the
/// beginning) and `limit` (entries per page, 1 to [`LOG_PAGE_MAX`], default
/// [`LOG_PAGE_DEFAULT`]).
#[derive(Deserialize, IntoParams)]
pub struct LogQuery {
    #[param(minimum = 0)]
    pub after: Option<i64>,
    #[param(minimum = 1, maximum = 5000)]
    pub limit: Option<i64>,
}

pub const LOG_PAGE_DEFAULT: i64 = 1000;
pub const LOG_PAGE_MAX: i64 = 5000;

#[derive(Serialize, ToSchema)]
pub struct PublishedLog {
    pub election_id: i64,
    pub head_seq: i64,
    pub head_hash: String,
    /// How to verify: see the `balai_elections::domain::publog` documentation; in short
    /// `hash = sha256_hex(prev_hash + "\n" + seq + "\n" + payload)`, first `prev_hash` = 64 zeros.
    pub algorithm: String,
    /// Entries with `after < seq <= head_seq`, at most `limit` of them, in order. The first
    /// entry's `prev_hash` is the `hash` of entry `after` (on the page before).
    pub entries: Vec<LogEntry>,
    /// The `after` of the next page, or null on the last page.
    pub next_after: Option<i64>,
    /// The path of the next page, or null on the last page.
    pub next: Option<String>,
}

/// The publication log: every accepted result version, hash-chained (public), one page at a
/// time. Follow `next` until it is null; the pages joined are the whole log up to the
/// `head_seq` of the last page.
#[utoipa::path(get, path = "/api/v1/elections/{id}/log", tag = "elections", params(LogQuery),
    responses((status = 200, body = PublishedLog), (status = 400), (status = 404)))]
pub async fn get_log(
    State(ctx): State<AppCtx>,
    Path(id): Path<i64>,
    Query(q): Query<LogQuery>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let after = q.after.unwrap_or(0);
    let limit = q.limit.unwrap_or(LOG_PAGE_DEFAULT);
    if after < 0 || !(1..=LOG_PAGE_MAX).contains(&limit) {
        return Err(AppError::bad_request(
            "bad_page",
            format!("after paling kecil 0; limit 1 sampai {LOG_PAGE_MAX}."),
            format!("after must be at least 0; limit 1 to {LOG_PAGE_MAX}."),
        ));
    }
    let ctx_ref = &ctx;
    let build = move || async move {
        // The head is read first; entries appended after it are left for the next request,
        // so the published head always matches the last entry of the last page.
        let e = load_election(ctx_ref, id).await?;
        let entries = store::results::log_page(&ctx_ref.db, id, after, e.log_seq, limit).await?;
        let last = entries.last().map_or(after, |x| x.seq);
        let more = last < e.log_seq && !entries.is_empty();
        let log = PublishedLog {
            election_id: id,
            head_seq: e.log_seq,
            head_hash: e.log_head,
            algorithm: "sha256_hex(prev_hash + \"\\n\" + decimal(seq) + \"\\n\" + payload); prev_hash of seq 1 = \"0\" x 64".into(),
            entries,
            next_after: more.then_some(last),
            next: more.then(|| format!("/api/v1/elections/{id}/log?after={last}&limit={limit}")),
        };
        let body = serde_json::to_vec(&log).map_err(AppError::internal)?;
        Ok((body, e.results_changed_at))
    };
    // The pages a reader walking from the start with the default size asks for are kept until
    // the log moves; any other page is built each time (bounded by `limit`), so odd cursors
    // cannot fill or flush the cache.
    if limit == LOG_PAGE_DEFAULT && after % LOG_PAGE_DEFAULT == 0 {
        let c = crate::cache::get_or_build(&ctx, (id, format!("log:{after}")), build).await?;
        return Ok(crate::cache::respond(&headers, &c));
    }
    let (body, _) = build().await?;
    Ok(cacheable(&headers, body))
}
