//! The JSON API for elections themselves: create, status, schedule, candidate pairs, TPS and a
//! past election's totals. Writes need a KPU official whose scope covers the region.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use balai_core::web::Keyed;
use balai_core::AppResult;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::commands::bad_lines;
use crate::commands::setup::{
    self as admin, CandidateInput, NewElection, ScheduleInput, TpsImported,
};
use crate::domain::election::{parse_tps_csv, TpsInput};
use crate::queries::load_election;
use crate::store::{self, Candidate, ScheduleVersion};

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
        kind: e.kind.as_str().to_string(),
        region_code: e.region_code.clone(),
        name: e.name.clone(),
        voting_date: e.voting_date.to_string(),
        status: e.status.as_str().to_string(),
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
    actor: Actor,
    Keyed(ctx): Keyed,
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
#[serde(deny_unknown_fields)]
pub struct StatusInput {
    #[schema(schema_with = election_statuses)]
    pub status: String,
}

/// Open or close an election for result entry.
#[utoipa::path(put, path = "/api/v1/elections/{id}/status", tag = "elections", security(("bearer" = [])),
    request_body = StatusInput, responses((status = 204), (status = 403), (status = 422)))]
pub async fn put_status(
    actor: Actor,
    Keyed(ctx): Keyed,
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
    actor: Actor,
    Keyed(ctx): Keyed,
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
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(id): Path<i64>,
    Json(input): Json<CandidateInput>,
) -> AppResult<Response> {
    let cid = admin::add_candidate(&ctx, &actor, &meta, id, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: cid })).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CandidateStatusInput {
    #[schema(schema_with = candidate_statuses)]
    pub status: String,
    /// Required when disqualified.
    pub reason: Option<String>,
}

/// Change a pair's status (designated, disqualified with a reason).
#[utoipa::path(put, path = "/api/v1/elections/{id}/candidates/{ballot}/status", tag = "elections",
    security(("bearer" = [])), request_body = CandidateStatusInput,
    responses((status = 204), (status = 404), (status = 422)))]
pub async fn put_candidate_status(
    actor: Actor,
    Keyed(ctx): Keyed,
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
    actor: Actor,
    Keyed(ctx): Keyed,
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
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(id): Path<i64>,
    body: String,
) -> AppResult<Response> {
    let rows = parse_tps_csv(&body).map_err(|p| bad_lines("bad_csv", p))?;
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
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(id): Path<i64>,
    body: String,
) -> AppResult<Json<TotalsStored>> {
    let rows = admin::put_totals(&ctx, &actor, &meta, id, &body).await?;
    Ok(Json(TotalsStored { rows }))
}

fn election_statuses() -> utoipa::openapi::schema::Object {
    balai_core::web::schema::one_of(
        crate::domain::election::ElectionStatus::ALL.map(|s| s.as_str()),
    )
}

fn candidate_statuses() -> utoipa::openapi::schema::Object {
    balai_core::web::schema::one_of(crate::domain::election::CANDIDATE_STATUSES)
}
