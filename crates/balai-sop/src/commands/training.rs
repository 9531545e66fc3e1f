//! A KPU schedules a training session (bimbingan teknis) for its region: the topic, the SOP or
//! application it covers, the election stage it prepares, the trainers and the day.

use balai_core::audit::{self, AuditEvent};
use balai_core::identity::Actor;
use balai_core::regions::{Level, RegionCode};
use balai_core::schedule::StageKind;
use balai_core::web::actor::ReqMeta;
use balai_core::web::AppCtx;
use balai_core::Tx;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::domain::access::{may_see_drafts, may_train_in};
use crate::domain::audit as actions;
use crate::domain::permissions::TrainingAction;
use crate::domain::training::{bodies_text, required, Body, TrainingError, MAX_FIELD};
use crate::domain::{SopId, TrainingId};
use crate::errors::{SopError, SopResult};
use crate::store::{self, training as rows};

/// A new training session.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainingInput {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub topic: String,
    /// The region whose officers it trains: the KPU's own (a regency or city, or a province).
    #[schema(pattern = r"^[0-9]{2}(\.[0-9]{2})?$", example = "32.79")]
    pub region_code: String,
    /// The election stage it prepares.
    pub stage_kind: StageKind,
    /// The bodies it trains (empty or absent: every body).
    #[serde(default)]
    pub bodies: Vec<Body>,
    /// The SOP it covers, if any (published, or a draft of the caller's agency).
    #[serde(default, deserialize_with = "balai_core::web::json_int::opt_i64")]
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub sop_id: Option<i64>,
    /// The application it covers, if any (e.g. Sirekap). An SOP or an application is named.
    #[serde(default)]
    #[schema(max_length = 200)]
    pub application: String,
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub trainers: String,
    /// The day it is held, YYYY-MM-DD.
    #[schema(format = Date, example = "2024-11-20")]
    pub held_on: String,
}

/// The KPU acting for `region`, which the actor may take `action` for: the actor's own agency,
/// or (a super-admin) the KPU serving exactly that region.
pub(crate) async fn kpu_of(
    tx: &mut Tx,
    actor: &Actor,
    region: &RegionCode,
    action: TrainingAction,
) -> SopResult<i64> {
    if !may_train_in(actor, action, region) {
        return Err(SopError::Forbidden);
    }
    match &actor.agency {
        Some(a) if !actor.is_superadmin() => {
            if a.region_code != region.as_str() {
                return Err(SopError::NotOwnRegion);
            }
            Ok(a.id)
        }
        _ => Ok(store::agency_at(tx, "kpu", region.as_str())
            .await?
            .ok_or(SopError::NoAgency)?
            .0),
    }
}

/// Create the session; returns its id.
pub async fn create(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    input: &TrainingInput,
) -> SopResult<TrainingId> {
    let region = RegionCode::parse(&input.region_code)?;
    if !matches!(region.level(), Level::Province | Level::Regency) {
        return Err(SopError::RosterNotRegency);
    }
    let topic = required(&input.topic, TrainingError::BadTopic)?;
    let trainers = required(&input.trainers, TrainingError::BadTrainers)?;
    let application = input.application.trim().to_string();
    if input.application.chars().count() > MAX_FIELD {
        return Err(TrainingError::BadApplication.into());
    }
    let held_on = Some(input.held_on.as_str())
        .filter(|s| s.len() == 10)
        .and_then(balai_core::format::parse_iso_date)
        .ok_or(SopError::BadDate)?;
    if input.sop_id.is_none() && application.is_empty() {
        return Err(TrainingError::CoverageRequired.into());
    }
    let mut tx = ctx.begin().await?;
    let agency_id = kpu_of(&mut tx, actor, &region, TrainingAction::CreateTraining).await?;
    if let Some(sop) = input.sop_id {
        check_sop(&mut tx, actor, sop).await?;
    }
    let bodies = bodies_text(&input.bodies);
    let id = rows::insert_training(
        &mut tx,
        &rows::NewTraining {
            agency_id,
            region_code: region.as_str(),
            topic: &topic,
            stage_kind: input.stage_kind.as_str(),
            bodies: &bodies,
            sop_id: input.sop_id,
            application: &application,
            trainers: &trainers,
            held_on,
        },
    )
    .await?;
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: actions::TRAINING_CREATE,
            target_kind: actions::TARGET_TRAINING,
            target_id: id.to_string(),
            region_code: Some(region.as_str().to_string()),
            summary: json!({ "topic": topic, "stage_kind": input.stage_kind.as_str(), "bodies": bodies,
                "sop_id": input.sop_id, "held_on": held_on.to_string() }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(TrainingId(id))
}

/// The SOP a session covers exists and the actor may see it (published, or their own draft).
async fn check_sop(tx: &mut Tx, actor: &Actor, id: i64) -> SopResult<SopId> {
    let Some(sop) = store::sop_tx(tx, id).await? else {
        return Err(SopError::UnknownSop);
    };
    let published = store::versions_tx(tx, id)
        .await?
        .iter()
        .any(|v| v.published_at.is_some());
    if published || may_see_drafts(Some(actor), sop.agency_id) {
        Ok(SopId(id))
    } else {
        Err(SopError::UnknownSop)
    }
}
