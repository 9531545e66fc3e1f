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
use serde::Serialize;
use utoipa::ToSchema;

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
    let region = q.region.as_deref().map(str::trim).filter(|r| !r.is_empty());
    let key = (id, format!("results:{}", region.unwrap_or("")));
    let (ctx_ref, region) = (&ctx, region);
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

#[derive(Serialize, ToSchema)]
pub struct PublishedLog {
    pub election_id: i64,
    pub head_seq: i64,
    pub head_hash: String,
    /// How to verify: see the `balai_elections::domain::publog` documentation; in short
    /// `hash = sha256_hex(prev_hash + "\n" + seq + "\n" + payload)`, first `prev_hash` = 64 zeros.
    pub algorithm: String,
    pub entries: Vec<LogEntry>,
}

/// The publication log: every accepted result version, hash-chained (public).
#[utoipa::path(get, path = "/api/v1/elections/{id}/log", tag = "elections",
    responses((status = 200, body = PublishedLog), (status = 404)))]
pub async fn get_log(
    State(ctx): State<AppCtx>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> AppResult<Response> {
    // The head is read first; entries appended after it are left for the next request, so
    // the published head always matches the last entry shown.
    let e = load_election(&ctx, id).await?;
    let mut entries = store::results::log(&ctx.db, id).await?;
    entries.truncate(usize::try_from(e.log_seq).unwrap_or(0));
    let log = PublishedLog {
        election_id: id,
        head_seq: e.log_seq,
        head_hash: e.log_head,
        algorithm: "sha256_hex(prev_hash + \"\\n\" + decimal(seq) + \"\\n\" + payload); prev_hash of seq 1 = \"0\" x 64".into(),
        entries,
    };
    let body = serde_json::to_vec(&log).map_err(AppError::internal)?;
    Ok(cacheable(&headers, body))
}
