//! The elections JSON API under `/api/v1/elections`. Writes need a KPU official whose scope
//! covers the region; reading results, TPS histories and the publication log is public.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use balai_core::accounts::Role;
use balai_core::idempotency::Rendered;
use balai_core::regions::RegionCode;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::{AppCtx, Keyed};
use balai_core::{AppError, AppResult};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::election::{parse_tps_csv, TpsInput};
use crate::domain::publog::LogEntry;
use crate::ops::admin::{self, CandidateInput, NewElection, ScheduleInput, TpsImported};
use crate::ops::results::{self, SubmitInput, Submitted};
use crate::ops::views::{self, Dispute, Results, TpsView};
use crate::ops::{bad_lines, load_election, require_kpu};
use crate::store::{self, Candidate, ScheduleVersion};

pub fn api() -> OpenApiRouter<AppCtx> {
    OpenApiRouter::new()
        .routes(routes!(list_elections, create_election))
        .routes(routes!(get_election))
        .routes(routes!(put_status))
        .routes(routes!(put_schedule))
        .routes(routes!(add_candidate))
        .routes(routes!(put_candidate_status))
        .routes(routes!(add_tps))
        .routes(routes!(import_tps))
        .routes(routes!(put_totals))
        .routes(routes!(submit_result, get_results))
        .routes(routes!(get_tps))
        .routes(routes!(list_disputes))
        .routes(routes!(get_log))
        .routes(routes!(super::export::results_csv))
        .routes(routes!(super::cdf::results_cdf))
        .routes(routes!(super::media::upload_photo))
        .routes(routes!(super::media::get_photo))
        .routes(routes!(super::media::record_recap))
        .routes(routes!(super::media::submit_batch))
        .routes(routes!(super::media::import_results))
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ElectionSummary {
    pub id: i64,
    pub kind: String,
    pub region_code: String,
    pub name: String,
    pub voting_date: String,
    pub status: String,
}

fn summary(e: &store::ElectionRow) -> ElectionSummary {
    ElectionSummary {
        id: e.id,
        kind: e.kind.clone(),
        region_code: e.region_code.clone(),
        name: e.name.clone(),
        voting_date: e.voting_date.to_string(),
        status: e.status.clone(),
    }
}

/// Every election (public).
#[utoipa::path(get, path = "/api/v1/elections", tag = "elections",
    responses((status = 200, body = Vec<ElectionSummary>)))]
pub async fn list_elections(State(ctx): State<AppCtx>) -> AppResult<Json<Vec<ElectionSummary>>> {
    let rows = store::list_elections(&ctx.db).await?;
    Ok(Json(rows.iter().map(summary).collect()))
}

/// Create an election (KPU of the region).
#[utoipa::path(post, path = "/api/v1/elections", tag = "elections", security(("bearer" = [])),
    request_body = NewElection,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    responses((status = 201, body = Created), (status = 403), (status = 422)))]
pub async fn create_election(
    Keyed(ctx): Keyed,
    actor: Actor,
    meta: ReqMeta,
    Json(input): Json<NewElection>,
) -> AppResult<Response> {
    let id = admin::create_election(&ctx, &actor, &meta, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct ElectionDetail {
    #[serde(flatten)]
    pub election: ElectionSummary,
    /// The current schedule (latest version), if any.
    pub schedule: Option<ScheduleVersion>,
    /// Every schedule version, newest first.
    pub schedule_history: Vec<ScheduleVersion>,
    pub candidates: Vec<CandidateView>,
}

#[derive(Serialize, ToSchema)]
pub struct CandidateView {
    #[serde(flatten)]
    pub candidate: Candidate,
    pub parties: Vec<String>,
}

/// An election with its schedule history and candidate pairs (public).
#[utoipa::path(get, path = "/api/v1/elections/{id}", tag = "elections",
    responses((status = 200, body = ElectionDetail), (status = 404)))]
pub async fn get_election(
    State(ctx): State<AppCtx>,
    Path(id): Path<i64>,
) -> AppResult<Json<ElectionDetail>> {
    let e = load_election(&ctx, id).await?;
    let history = store::schedule_history(&ctx.db, id).await?;
    let candidates = store::candidates(&ctx.db, id)
        .await?
        .into_iter()
        .map(|c| CandidateView {
            parties: c.party_list(),
            candidate: c,
        })
        .collect();
    Ok(Json(ElectionDetail {
        election: summary(&e),
        schedule: history.first().cloned(),
        schedule_history: history,
        candidates,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct StatusInput {
    /// `open` or `closed`
    pub status: String,
}

/// Open or close an election for result entry.
#[utoipa::path(put, path = "/api/v1/elections/{id}/status", tag = "elections", security(("bearer" = [])),
    request_body = StatusInput, responses((status = 204), (status = 403), (status = 422)))]
pub async fn put_status(
    Keyed(ctx): Keyed,
    actor: Actor,
    meta: ReqMeta,
    Path(id): Path<i64>,
    Json(input): Json<StatusInput>,
) -> AppResult<StatusCode> {
    admin::set_status(&ctx, &actor, &meta, id, input.status.trim()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct VersionCreated {
    pub version: i64,
}

/// Publish a new schedule version with its reason and legal basis; history is kept.
#[utoipa::path(put, path = "/api/v1/elections/{id}/schedule", tag = "elections", security(("bearer" = [])),
    request_body = ScheduleInput, responses((status = 201, body = VersionCreated), (status = 422)))]
pub async fn put_schedule(
    Keyed(ctx): Keyed,
    actor: Actor,
    meta: ReqMeta,
    Path(id): Path<i64>,
    Json(input): Json<ScheduleInput>,
) -> AppResult<Response> {
    let version = admin::set_schedule(&ctx, &actor, &meta, id, &input).await?;
    Ok((StatusCode::CREATED, Json(VersionCreated { version })).into_response())
}

/// Register a candidate pair (paslon).
#[utoipa::path(post, path = "/api/v1/elections/{id}/candidates", tag = "elections", security(("bearer" = [])),
    request_body = CandidateInput, responses((status = 201, body = Created), (status = 409), (status = 422)))]
pub async fn add_candidate(
    Keyed(ctx): Keyed,
    actor: Actor,
    meta: ReqMeta,
    Path(id): Path<i64>,
    Json(input): Json<CandidateInput>,
) -> AppResult<Response> {
    let cid = admin::add_candidate(&ctx, &actor, &meta, id, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: cid })).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct CandidateStatusInput {
    /// `registered`, `designated` or `disqualified`
    pub status: String,
    /// Required when disqualified.
    pub reason: Option<String>,
}

/// Change a pair's status (designated, disqualified with a reason).
#[utoipa::path(put, path = "/api/v1/elections/{id}/candidates/{ballot}/status", tag = "elections",
    security(("bearer" = [])), request_body = CandidateStatusInput,
    responses((status = 204), (status = 404), (status = 422)))]
pub async fn put_candidate_status(
    Keyed(ctx): Keyed,
    actor: Actor,
    meta: ReqMeta,
    Path((id, ballot)): Path<(i64, u32)>,
    Json(input): Json<CandidateStatusInput>,
) -> AppResult<StatusCode> {
    admin::set_candidate_status(
        &ctx,
        &actor,
        &meta,
        id,
        ballot,
        input.status.trim(),
        input.reason.as_deref(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Add one TPS.
#[utoipa::path(post, path = "/api/v1/elections/{id}/tps", tag = "elections", security(("bearer" = [])),
    request_body = TpsInput, responses((status = 201, body = TpsImported), (status = 409), (status = 422)))]
pub async fn add_tps(
    Keyed(ctx): Keyed,
    actor: Actor,
    meta: ReqMeta,
    Path(id): Path<i64>,
    Json(input): Json<TpsInput>,
) -> AppResult<Response> {
    let out = admin::add_tps(&ctx, &actor, &meta, id, std::slice::from_ref(&input)).await?;
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

/// Import TPS from CSV `village_code,number,address,dpt_l,dpt_p` (header row first); all or
/// nothing. TPS above the per-TPS maximum are stored and reported as warnings.
#[utoipa::path(post, path = "/api/v1/elections/{id}/tps/import", tag = "elections", security(("bearer" = [])),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 201, body = TpsImported), (status = 409), (status = 422)))]
pub async fn import_tps(
    Keyed(ctx): Keyed,
    actor: Actor,
    meta: ReqMeta,
    Path(id): Path<i64>,
    body: String,
) -> AppResult<Response> {
    let rows = parse_tps_csv(&body).map_err(|p| bad_lines("bad_csv", &p))?;
    let out = admin::add_tps(&ctx, &actor, &meta, id, &rows).await?;
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct TotalsStored {
    pub rows: usize,
}

/// Replace a past election's per-region totals: CSV `region_code,dpt,pengguna` with a header.
#[utoipa::path(put, path = "/api/v1/elections/{id}/totals", tag = "elections", security(("bearer" = [])),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = TotalsStored), (status = 422)))]
pub async fn put_totals(
    Keyed(ctx): Keyed,
    actor: Actor,
    meta: ReqMeta,
    Path(id): Path<i64>,
    body: String,
) -> AppResult<Json<TotalsStored>> {
    let rows = admin::put_totals(&ctx, &actor, &meta, id, &body).await?;
    Ok(Json(TotalsStored { rows }))
}

/// Submit a TPS result form (C.Hasil-KWK). 201 with any warnings; 422 listing every broken
/// rule (`details.errors`) or unreadable field (`details.fields`); 409 for a duplicate or a
/// closed election.
#[utoipa::path(post, path = "/api/v1/elections/{id}/results", tag = "elections", security(("bearer" = [])),
    request_body = SubmitInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    responses((status = 201, body = Submitted), (status = 403), (status = 409), (status = 422)))]
pub async fn submit_result(
    Keyed(ctx): Keyed,
    actor: Actor,
    meta: ReqMeta,
    Path(id): Path<i64>,
    Json(input): Json<SubmitInput>,
) -> AppResult<Response> {
    // With an Idempotency-Key this answer is stored in the form's own transaction.
    let render = |out: &Submitted| Rendered::json(StatusCode::CREATED, out);
    ctx.respond_with(render);
    let out = results::submit(&ctx, &actor, &meta, id, input).await?;
    Ok(render(&out).into_response())
}

#[derive(Deserialize, IntoParams)]
pub struct RegionQuery {
    /// A region code inside the election's region; defaults to the election's region.
    pub region: Option<String>,
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
    let key = (id, format!("results:{}", q.region.as_deref().unwrap_or("")));
    let (ctx_ref, region) = (&ctx, q.region.as_deref());
    let c = crate::cache::get_or_build(&ctx, key, move || async move {
        let r = views::results(ctx_ref, id, region).await?;
        let body = serde_json::to_vec(&r).map_err(AppError::internal)?;
        Ok((body, r.changed_at))
    })
    .await?;
    Ok(crate::cache::respond(req.headers(), &c))
}

/// A public JSON body with a strong ETag and a short shared-cache lifetime, so a CDN can absorb
/// election-night traffic; a matching `If-None-Match` gets `304 Not Modified`.
pub fn cacheable(req: &HeaderMap, body: Vec<u8>) -> Response {
    let tag = format!("\"{}\"", &hex::encode(Sha256::digest(&body))[..32]);
    let matches = req
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    let mut res = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = body.into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        r
    };
    if let Ok(v) = HeaderValue::from_str(&tag) {
        res.headers_mut().insert(header::ETAG, v);
    }
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=5, stale-while-revalidate=30"),
    );
    res
}

/// One TPS: its current version, status, flags and every earlier version (public).
#[utoipa::path(get, path = "/api/v1/elections/{id}/tps/{tps_id}", tag = "elections",
    responses((status = 200, body = TpsView), (status = 404)))]
pub async fn get_tps(
    State(ctx): State<AppCtx>,
    Path((id, tps_id)): Path<(i64, i64)>,
    req: axum::extract::Request,
) -> AppResult<Response> {
    let ctx_ref = &ctx;
    let c = crate::cache::get_or_build(&ctx, (id, format!("tps:{tps_id}")), move || async move {
        let e = load_election(ctx_ref, id).await?;
        let v = views::tps_view(ctx_ref, id, tps_id).await?;
        let body = serde_json::to_vec(&v).map_err(AppError::internal)?;
        Ok((body, e.results_changed_at))
    })
    .await?;
    Ok(crate::cache::respond(req.headers(), &c))
}

/// Pick the region a supervisor's queue covers and check the actor may see it.
pub fn supervisor_region(
    actor: &Actor,
    e: &store::ElectionRow,
    region: Option<&str>,
) -> AppResult<String> {
    if !(actor.is_superadmin() || matches!(actor.role, Role::Supervisor | Role::Admin)) {
        return Err(AppError::forbidden());
    }
    let er = RegionCode::parse(&e.region_code)?;
    let region = match (region, actor.scope.region_prefix()) {
        (Some(r), _) => r.trim().to_string(),
        (None, Some(p)) if er.contains(p) => p.to_string(),
        _ => e.region_code.clone(),
    };
    if !er.contains(&region) {
        return Err(AppError::not_found());
    }
    require_kpu(actor, &region)?;
    Ok(region)
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
    Ok(Json(views::disputes(&ctx, &e, &region).await?))
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
