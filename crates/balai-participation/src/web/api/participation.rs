//! `PUT /api/v1/elections/{id}/targets` (CSV `region_code,target_percent`, the region's KPU)
//! and `GET /api/v1/elections/{id}/participation?region=CODE` (public).

use axum::extract::{Path, Query, State};
use axum::Json;
use balai_core::turnout::TurnoutFigure;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::{AppCtx, Keyed};
use balai_core::AppResult;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use utoipa::{IntoParams, ToSchema};

use super::two_decimals;
use crate::commands::targets;
use crate::domain::target_group::TargetGroup;
use crate::domain::targets::{gap_hundredths, hundredths_text, turnout_hundredths};
use crate::queries::participation::{self, Outreach, Place};

#[derive(Serialize, ToSchema)]
#[schema(as = ParticipationTargetOut)]
pub struct TargetOut {
    pub region_code: String,
    #[schema(value_type = f64)]
    pub target_percent: Box<RawValue>,
}

#[derive(Serialize, ToSchema)]
pub struct TargetsOut {
    pub election_id: i64,
    /// The targets stored by this request (they replace the election's targets inside the
    /// caller's region).
    pub targets: Vec<TargetOut>,
}

/// Set an election's turnout targets: CSV `region_code,target_percent` (a header row is
/// optional; percentages 0–100 with at most two decimals, `77.5` or `77,5`). The KPU of the
/// region (admin or supervisor); the rows replace the election's targets inside its region.
/// All or nothing: a 422 lists every problem with its line.
#[utoipa::path(put, path = "/api/v1/elections/{id}/targets", tag = "participation",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The election."),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = TargetsOut), (status = 401), (status = 403), (status = 404),
        (status = 409), (status = 422)))]
pub async fn put_targets(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(id): Path<i64>,
    body: String,
) -> AppResult<Json<TargetsOut>> {
    let rows = targets::set(&ctx, &meta, &actor, id, &body).await?;
    Ok(Json(TargetsOut {
        election_id: id,
        targets: rows
            .iter()
            .filter_map(|t| {
                Some(TargetOut {
                    region_code: t.region.to_string(),
                    target_percent: RawValue::from_string(hundredths_text(t.hundredths)).ok()?,
                })
            })
            .collect(),
    }))
}

#[derive(Deserialize, IntoParams)]
pub struct ParticipationQuery {
    /// A region inside the election's; empty or absent: the election's region.
    #[serde(default)]
    #[param(pattern = r"^([0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?)?$")]
    pub region: Option<String>,
}

#[derive(Serialize, ToSchema, Default)]
pub struct GroupOut {
    pub activities: i64,
    pub participants: i64,
}

/// Outreach per target group.
#[derive(Serialize, ToSchema, Default)]
pub struct ByTargetGroup {
    pub pemilih_pemula: GroupOut,
    pub disabilitas: GroupOut,
    pub perempuan: GroupOut,
    pub tokoh_agama: GroupOut,
    pub tokoh_adat: GroupOut,
    pub pemuda: GroupOut,
    pub ormas: GroupOut,
    pub masyarakat_umum: GroupOut,
}

fn by_group(o: &Outreach) -> ByTargetGroup {
    let g = |t: TargetGroup| {
        let (activities, participants) = o.by_group.get(&t).copied().unwrap_or((0, 0));
        GroupOut {
            activities,
            participants,
        }
    };
    ByTargetGroup {
        pemilih_pemula: g(TargetGroup::PemilihPemula),
        disabilitas: g(TargetGroup::Disabilitas),
        perempuan: g(TargetGroup::Perempuan),
        tokoh_agama: g(TargetGroup::TokohAgama),
        tokoh_adat: g(TargetGroup::TokohAdat),
        pemuda: g(TargetGroup::Pemuda),
        ormas: g(TargetGroup::Ormas),
        masyarakat_umum: g(TargetGroup::MasyarakatUmum),
    }
}

/// One region's figures.
#[derive(Serialize, ToSchema)]
pub struct PlaceOut {
    pub region_code: String,
    pub region_name: String,
    /// The KPU's target, two decimals; null when none is set for exactly this region.
    #[schema(value_type = Option<f64>)]
    pub target_percent: Option<Box<RawValue>>,
    /// pengguna ÷ DPT × 100 from the exact fraction, two decimals; null without a DPT.
    #[schema(value_type = Option<f64>)]
    pub turnout_percent: Option<Box<RawValue>>,
    /// Turnout minus target in percentage points, from the exact turnout, two decimals.
    #[schema(value_type = Option<f64>)]
    pub gap_pp: Option<Box<RawValue>>,
    pub dpt: Option<i64>,
    pub pengguna: Option<i64>,
    /// Activities held here (and under) in the year before voting day.
    pub activities: i64,
    pub participants: i64,
}

fn figures(t: Option<TurnoutFigure>, target: Option<i64>) -> [Option<Box<RawValue>>; 2] {
    let turnout = t.and_then(|t| turnout_hundredths(t.pengguna, t.dpt));
    let gap = t
        .zip(target)
        .and_then(|(t, h)| gap_hundredths(t.pengguna, t.dpt, h));
    [two_decimals(turnout), two_decimals(gap)]
}

impl From<&Place> for PlaceOut {
    fn from(p: &Place) -> Self {
        let [turnout, gap] = figures(p.turnout, p.target);
        PlaceOut {
            region_code: p.code.clone(),
            region_name: p.name.clone(),
            target_percent: two_decimals(p.target),
            turnout_percent: turnout,
            gap_pp: gap,
            dpt: p.turnout.map(|t| t.dpt),
            pengguna: p.turnout.map(|t| t.pengguna),
            activities: p.outreach.activities,
            participants: p.outreach.participants,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PastOut {
    pub election_id: i64,
    pub name: String,
    pub voting_date: String,
    #[schema(value_type = Option<f64>)]
    pub turnout_percent: Option<Box<RawValue>>,
}

#[derive(Serialize, ToSchema)]
pub struct ParticipationOut {
    pub election_id: i64,
    pub election_name: String,
    pub voting_date: String,
    pub region_code: String,
    pub region_name: String,
    #[schema(value_type = Option<f64>)]
    pub target_percent: Option<Box<RawValue>>,
    #[schema(value_type = Option<f64>)]
    pub turnout_percent: Option<Box<RawValue>>,
    #[schema(value_type = Option<f64>)]
    pub gap_pp: Option<Box<RawValue>>,
    pub dpt: Option<i64>,
    pub pengguna: Option<i64>,
    /// Activities held in the region and under it from `outreach_from` to `outreach_to`.
    pub activities: i64,
    pub participants: i64,
    pub by_target_group: ByTargetGroup,
    pub outreach_from: String,
    pub outreach_to: String,
    /// The same figures for each region directly under this one (districts of a city).
    pub districts: Vec<PlaceOut>,
    /// The region's earlier elections, with their turnout here.
    pub past: Vec<PastOut>,
}

/// Target against turnout in a region, with the outreach held there before voting day.
#[utoipa::path(get, path = "/api/v1/elections/{id}/participation", tag = "participation",
    params(("id" = i64, Path, description = "The election."), ParticipationQuery),
    responses((status = 200, body = ParticipationOut), (status = 400), (status = 404),
        (status = 422)))]
pub async fn get_participation(
    State(ctx): State<AppCtx>,
    Path(id): Path<i64>,
    Query(q): Query<ParticipationQuery>,
) -> AppResult<Json<ParticipationOut>> {
    let p = participation::load(&ctx, id, q.region.as_deref()).await?;
    let place = PlaceOut::from(&p.place);
    Ok(Json(ParticipationOut {
        election_id: p.election.id,
        election_name: p.election.name.clone(),
        voting_date: p.election.voting_date.to_string(),
        region_code: place.region_code,
        region_name: place.region_name,
        target_percent: place.target_percent,
        turnout_percent: place.turnout_percent,
        gap_pp: place.gap_pp,
        dpt: place.dpt,
        pengguna: place.pengguna,
        activities: place.activities,
        participants: place.participants,
        by_target_group: by_group(&p.place.outreach),
        outreach_from: p.window.0.to_string(),
        outreach_to: p.window.1.to_string(),
        districts: p.districts.iter().map(PlaceOut::from).collect(),
        past: p
            .past
            .iter()
            .map(|(e, t)| PastOut {
                election_id: e.id,
                name: e.name.clone(),
                voting_date: e.voting_date.to_string(),
                turnout_percent: two_decimals(
                    t.and_then(|t| turnout_hundredths(t.pengguna, t.dpt)),
                ),
            })
            .collect(),
    }))
}
