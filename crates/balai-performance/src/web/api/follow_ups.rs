//! `/api/v1/performance/units/{id}/follow-ups`: the follow-up plan of a unit's survey, public
//! to read, recorded and updated by the unit's admin or supervisor.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use balai_core::ids::AgencyId;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::{AppCtx, Keyed};
use balai_core::AppResult;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::surveys::parse_period;
use crate::commands::follow_up::{self, ActionInput};
use crate::commands::unit;
use crate::store::follow_ups::{self, FollowUpRow};

fn statuses() -> utoipa::openapi::schema::Object {
    balai_core::web::schema::one_of_or_null(["planned", "in_progress", "done", "dropped"])
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PerformanceFollowUpInput)]
pub struct FollowUpInput {
    /// The survey period the action answers: first day, YYYY-MM-DD.
    #[schema(format = Date)]
    pub from: String,
    /// Its last day, YYYY-MM-DD (at most five years after `from`).
    #[schema(format = Date)]
    pub to: String,
    /// The element (U1–U9) the action is for, usually one of the lowest.
    #[schema(minimum = 1, maximum = 9)]
    #[serde(deserialize_with = "balai_core::web::json_int::i64")]
    pub element: i64,
    /// What will be done.
    #[schema(min_length = 1, max_length = 500, pattern = r"\S")]
    pub plan: String,
    /// Who owns it: a post or section (not a person's NIK).
    #[schema(min_length = 1, max_length = 120, pattern = r"\S")]
    pub owner: String,
    /// By when, YYYY-MM-DD.
    #[schema(format = Date)]
    #[serde(default)]
    pub due_on: Option<String>,
    /// `planned` (default), `in_progress`, `done`, `dropped`.
    #[schema(schema_with = statuses)]
    #[serde(default)]
    pub status: Option<String>,
    /// How far it got.
    #[schema(max_length = 500)]
    #[serde(default)]
    pub progress: Option<String>,
}

fn action_input(
    plan: &str,
    owner: &str,
    due_on: Option<&String>,
    status: Option<&String>,
    progress: Option<&String>,
) -> ActionInput {
    ActionInput {
        plan: plan.to_string(),
        owner: owner.to_string(),
        due_on: due_on.cloned(),
        status: status.cloned().unwrap_or_default(),
        progress: progress.cloned().unwrap_or_default(),
    }
}

#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PerformanceFollowUpAction)]
pub struct FollowUpAction {
    /// What will be done.
    #[schema(min_length = 1, max_length = 500, pattern = r"\S")]
    pub plan: String,
    /// Who owns it: a post or section (not a person's NIK).
    #[schema(min_length = 1, max_length = 120, pattern = r"\S")]
    pub owner: String,
    /// By when, YYYY-MM-DD.
    #[schema(format = Date)]
    #[serde(default)]
    pub due_on: Option<String>,
    /// `planned` (default), `in_progress`, `done`, `dropped`.
    #[schema(schema_with = statuses)]
    #[serde(default)]
    pub status: Option<String>,
    /// How far it got.
    #[schema(max_length = 500)]
    #[serde(default)]
    pub progress: Option<String>,
}

impl From<&FollowUpAction> for ActionInput {
    fn from(a: &FollowUpAction) -> Self {
        action_input(
            &a.plan,
            &a.owner,
            a.due_on.as_ref(),
            a.status.as_ref(),
            a.progress.as_ref(),
        )
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = PerformanceFollowUp)]
pub struct FollowUpOut {
    pub id: i64,
    pub agency_id: AgencyId,
    pub from: String,
    pub to: String,
    pub element: i32,
    pub plan: String,
    pub owner: String,
    pub due_on: Option<String>,
    pub status: String,
    pub progress: String,
}

impl From<FollowUpRow> for FollowUpOut {
    fn from(r: FollowUpRow) -> Self {
        FollowUpOut {
            id: r.id,
            agency_id: r.agency_id,
            from: r.period_from.to_string(),
            to: r.period_to.to_string(),
            element: r.element,
            plan: r.plan,
            owner: r.owner,
            due_on: r.due_on.map(|d| d.to_string()),
            status: r.status,
            progress: r.progress,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = PerformanceFollowUps)]
pub struct FollowUpsOut {
    pub follow_ups: Vec<FollowUpOut>,
}

#[derive(Deserialize, IntoParams)]
pub struct FollowUpQuery {
    /// Survey periods overlapping this one: first day, YYYY-MM-DD.
    #[param(format = Date)]
    pub from: String,
    /// Last day, YYYY-MM-DD.
    #[param(format = Date)]
    pub to: String,
}

/// A unit's follow-up actions for survey periods overlapping `from..=to` (public).
#[utoipa::path(get, path = "/api/v1/performance/units/{agency_id}/follow-ups", tag = "performance",
    params(("agency_id" = i64, Path, description = "The service unit"), FollowUpQuery),
    responses((status = 200, body = FollowUpsOut), (status = 404), (status = 422)))]
pub async fn get_follow_ups(
    State(ctx): State<AppCtx>,
    Path(agency_id): Path<AgencyId>,
    Query(q): Query<FollowUpQuery>,
) -> AppResult<Json<FollowUpsOut>> {
    let (from, to) = parse_period(&q.from, &q.to)?;
    unit(&ctx.db, agency_id).await?;
    let rows = follow_ups::list(&ctx.db, agency_id, from, to).await?;
    Ok(Json(FollowUpsOut {
        follow_ups: rows.into_iter().map(FollowUpOut::from).collect(),
    }))
}

/// Record an action of the follow-up plan (the unit's admin or supervisor).
#[utoipa::path(post, path = "/api/v1/performance/units/{agency_id}/follow-ups", tag = "performance",
    security(("bearer" = [])), request_body = FollowUpInput,
    params(("agency_id" = i64, Path, description = "The service unit")),
    responses((status = 201, body = FollowUpOut), (status = 403), (status = 404), (status = 422)))]
pub async fn post_follow_up(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(agency_id): Path<AgencyId>,
    Json(input): Json<FollowUpInput>,
) -> AppResult<(StatusCode, Json<FollowUpOut>)> {
    let (from, to) = parse_period(&input.from, &input.to)?;
    let i = &input;
    let action = action_input(
        &i.plan,
        &i.owner,
        i.due_on.as_ref(),
        i.status.as_ref(),
        i.progress.as_ref(),
    );
    let id = follow_up::record(
        &ctx,
        &meta,
        &actor,
        agency_id,
        (from, to),
        input.element,
        &action,
    )
    .await?;
    let row = follow_ups::list(&ctx.db, agency_id, from, to)
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or(crate::errors::PerformanceError::NotFound)?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// Update an action: its plan, owner, due date, status and progress (the unit's admin or
/// supervisor).
#[utoipa::path(put, path = "/api/v1/performance/units/{agency_id}/follow-ups/{follow_up_id}",
    tag = "performance", security(("bearer" = [])), request_body = FollowUpAction,
    params(("agency_id" = i64, Path, description = "The service unit"),
        ("follow_up_id" = i64, Path, description = "The action")),
    responses((status = 200, body = FollowUpAction), (status = 403), (status = 404), (status = 422)))]
pub async fn put_follow_up(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path((agency_id, id)): Path<(AgencyId, i64)>,
    Json(input): Json<FollowUpAction>,
) -> AppResult<Json<FollowUpAction>> {
    let a = follow_up::update(
        &ctx,
        &meta,
        &actor,
        agency_id,
        id,
        &ActionInput::from(&input),
    )
    .await?;
    Ok(Json(FollowUpAction {
        plan: a.plan,
        owner: a.owner,
        due_on: a.due_on.map(|d| d.to_string()),
        status: Some(a.status.as_str().to_string()),
        progress: Some(a.progress),
    }))
}
