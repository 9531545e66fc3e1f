//! `/api/v1/performance/…`: a unit's KPIs for a month (public), its targets (its admin), and
//! the regional league table ranked by improvement (public).

use axum::extract::{Path, Query, State};
use axum::Json;
use balai_core::ids::AgencyId;
use balai_core::kpi::{Better, KpiSources, KpiValue};
use balai_core::regions::RegionCode;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::{AppCtx, Keyed};
use balai_core::AppResult;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::commands::{targets, unit};
use crate::errors::PerformanceError;
use crate::queries::kpis::{self, KpiRow};

#[derive(Deserialize, IntoParams)]
pub struct KpiQuery {
    /// The service unit (agency id).
    pub agency: i64,
    /// YYYY-MM.
    #[param(pattern = r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])$")]
    pub month: String,
}

#[derive(Serialize, ToSchema)]
pub struct KpiOut {
    /// `feature.figure`, e.g. `complaints.answered_on_time`.
    pub key: String,
    pub label: String,
    pub label_en: String,
    /// `share`, `count` or `working_days`.
    pub kind: String,
    /// A share's part and whole (what was on time, of what was due); null otherwise.
    pub part: Option<i64>,
    pub whole: Option<i64>,
    /// A share in percent (two decimals, half up), a count, or working days; null when nothing
    /// was measured.
    pub value: Option<f64>,
    /// `higher`, `lower` (which is better), or `none` for a breakdown.
    pub better: String,
    pub target: Option<f64>,
    pub target_met: Option<bool>,
}

fn out(r: &KpiRow) -> KpiOut {
    let (kind, part, whole) = match r.figure.value {
        KpiValue::Share { part, whole } => ("share", Some(part), Some(whole)),
        KpiValue::Count(_) => ("count", None, None),
        KpiValue::WorkingDays(_) => ("working_days", None, None),
    };
    let f = |h: i64| h as f64 / 100.0;
    KpiOut {
        key: r.figure.key.clone(),
        label: r.figure.label_id.clone(),
        label_en: r.figure.label_en.clone(),
        kind: kind.into(),
        part,
        whole,
        value: r.level.map(f),
        better: match r.figure.better {
            Better::Higher => "higher",
            Better::Lower => "lower",
            Better::Neither => "none",
        }
        .into(),
        target: r.target.map(f),
        target_met: r.met,
    }
}

#[derive(Serialize, ToSchema)]
pub struct UnitKpis {
    pub agency_id: AgencyId,
    pub agency: String,
    pub month: String,
    /// Survey answers in the month and their index (null without answers).
    pub responses: i64,
    pub ikm: Option<f64>,
    pub grade: Option<String>,
    pub ikm_target: Option<f64>,
    /// Figures with a good direction, from each feature's records.
    pub kpis: Vec<KpiOut>,
    /// Breakdowns (the population-document unit's documents by family, with shares).
    pub breakdown: Vec<KpiOut>,
}

/// A unit's KPIs for a month, computed from Balai's own records (public).
#[utoipa::path(get, path = "/api/v1/performance/kpis", tag = "performance", params(KpiQuery),
    responses((status = 200, body = UnitKpis), (status = 404), (status = 422)))]
pub async fn get_kpis(
    State(ctx): State<AppCtx>,
    Query(q): Query<KpiQuery>,
) -> AppResult<Json<UnitKpis>> {
    let u = unit(&ctx.db, AgencyId(q.agency)).await?;
    let m = kpis::month(&ctx.db, ctx.ext.get::<KpiSources>(), &u, q.month.as_str())
        .await?
        .ok_or(PerformanceError::BadMonth)?;
    Ok(Json(UnitKpis {
        agency_id: AgencyId(u.id),
        agency: u.name.clone(),
        month: m.month.clone(),
        responses: m.responses,
        ikm: m.ikm.as_ref().map(|i| i.ikm.as_f64()),
        grade: m.ikm.as_ref().map(|i| i.grade.as_str().to_string()),
        ikm_target: m.ikm_target.map(|h| h as f64 / 100.0),
        kpis: m.kpis().map(out).collect(),
        breakdown: m.breakdown().map(out).collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetInput {
    /// The target: percent for a share (`90`), a number for a count, working days; two
    /// decimals at most (`2,5` or `2.5`).
    #[schema(pattern = r"^ *[0-9]{1,9}([.,][0-9]{1,2})? *$")]
    pub target: String,
}

#[derive(Serialize, ToSchema)]
pub struct TargetOut {
    pub kpi: String,
    pub target: f64,
}

/// Set the target of one of a unit's KPIs, or of its IKM (`performance.ikm`) (the unit's admin).
#[utoipa::path(put, path = "/api/v1/performance/units/{agency_id}/targets/{kpi}", tag = "performance",
    security(("bearer" = [])), request_body = TargetInput,
    params(("agency_id" = i64, Path, description = "The service unit"),
        ("kpi" = String, Path, description = "The KPI key, e.g. `complaints.answered_on_time`",
            pattern = r"^[a-z_]+(\.[a-z_]+)+$")),
    responses((status = 200, body = TargetOut), (status = 403), (status = 404), (status = 422)))]
pub async fn put_target(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path((agency_id, kpi)): Path<(AgencyId, String)>,
    Json(input): Json<TargetInput>,
) -> AppResult<Json<TargetOut>> {
    let v = targets::set_target(&ctx, &meta, &actor, agency_id, &kpi, &input.target).await?;
    Ok(Json(TargetOut {
        kpi,
        target: v as f64 / 100.0,
    }))
}

#[derive(Deserialize, IntoParams)]
pub struct LeagueQuery {
    /// Region code: the units of this region and everything under it.
    #[param(pattern = r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$")]
    pub region: String,
    /// YYYY-MM; compared with the month before.
    #[param(pattern = r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])$")]
    pub month: String,
}

#[derive(Serialize, ToSchema)]
pub struct LeagueEntry {
    pub rank: Option<usize>,
    pub agency_id: AgencyId,
    pub agency: String,
    pub ikm: Option<f64>,
    pub ikm_previous: Option<f64>,
    /// The mean change of the IKM and the on-time shares from the month before, in points
    /// (null: nothing measured in both months).
    pub improvement: Option<f64>,
    pub figures: usize,
}

#[derive(Serialize, ToSchema)]
pub struct League {
    pub region: String,
    pub month: String,
    pub units: Vec<LeagueEntry>,
}

/// The units of a region ranked by how much they improved on the month before (public).
#[utoipa::path(get, path = "/api/v1/performance/league", tag = "performance", params(LeagueQuery),
    responses((status = 200, body = League), (status = 422)))]
pub async fn get_league(
    State(ctx): State<AppCtx>,
    Query(q): Query<LeagueQuery>,
) -> AppResult<Json<League>> {
    let region = RegionCode::parse(&q.region).map_err(|_| PerformanceError::BadRegion)?;
    let rows = kpis::league(
        &ctx.db,
        ctx.ext.get::<KpiSources>(),
        region.as_str(),
        q.month.as_str(),
    )
    .await?
    .ok_or(PerformanceError::BadMonth)?;
    let mut rank = 0;
    let units = rows
        .into_iter()
        .map(|r| {
            let ranked = r.improvement.map(|_| {
                rank += 1;
                rank
            });
            LeagueEntry {
                rank: ranked,
                agency_id: AgencyId(r.unit.id),
                agency: r.unit.name,
                ikm: r.ikm.map(|h| h.as_f64()),
                ikm_previous: r.ikm_before.map(|h| h.as_f64()),
                improvement: r.improvement.map(|h| h.as_f64()),
                figures: r.figures,
            }
        })
        .collect();
    Ok(Json(League {
        region: region.as_str().to_string(),
        month: q.month.as_str().to_string(),
        units,
    }))
}
