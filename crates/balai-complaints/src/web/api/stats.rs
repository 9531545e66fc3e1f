//! The dashboard's figures as JSON.

use axum::extract::{Query, State};
use axum::Json;
use balai_core::web::actor::Actor;
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::domain::stats::Summary;
use crate::queries::stats::load;
use crate::web::page::clocks;

#[derive(Deserialize, IntoParams)]
pub struct StatsQuery {
    /// Super-admins: one agency (default: every report).
    pub agency_id: Option<i64>,
}

/// Dashboard figures of an agency's complaints.
#[utoipa::path(get, path = "/api/v1/work/complaint-stats", tag = "complaints", security(("bearer" = [])),
    params(StatsQuery), responses((status = 200, body = Object), (status = 403, body = Object)))]
pub async fn stats_api(
    State(ctx): State<AppCtx>,
    actor: Actor,
    Query(q): Query<StatsQuery>,
) -> AppResult<Json<Summary>> {
    Ok(Json(
        load(&ctx.db, &clocks(&ctx), &actor, q.agency_id).await?.0,
    ))
}
