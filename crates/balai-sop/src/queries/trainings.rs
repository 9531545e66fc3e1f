//! The sessions an official may see for a region, and one session with its roster ticked off.

use balai_core::identity::Actor;
use balai_core::regions::{Level, RegionCode};
use balai_core::schedule::StageKind;
use balai_core::Db;
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::access::{may_read_training, may_train_in};
use crate::domain::permissions::TrainingAction;
use crate::domain::training::{parse_bodies, Body};
use crate::domain::TrainingId;
use crate::errors::{SopError, SopResult};
use crate::store::training::{self as rows, TrainingRow};

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TrainingView {
    pub id: i64,
    pub agency_name: String,
    pub region_code: String,
    pub region_name: String,
    pub topic: String,
    pub stage_kind: Option<StageKind>,
    pub bodies: Vec<Body>,
    pub sop_id: Option<i64>,
    pub sop_title: Option<String>,
    pub application: String,
    pub trainers: String,
    #[schema(format = Date)]
    pub held_on: String,
    pub attended: i64,
}

impl From<TrainingRow> for TrainingView {
    fn from(t: TrainingRow) -> Self {
        TrainingView {
            id: t.id,
            agency_name: t.agency_name,
            region_code: t.region_code,
            region_name: t.region_name,
            topic: t.topic,
            stage_kind: StageKind::parse(&t.stage_kind),
            bodies: parse_bodies(&t.bodies),
            sop_id: t.sop_id,
            sop_title: t.sop_title,
            application: t.application,
            trainers: t.trainers,
            held_on: t.held_on.to_string(),
            attended: t.attended,
        }
    }
}

/// An officer of the session's region, and whether they attended.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct RosterLine {
    pub id: i64,
    pub body: Option<Body>,
    pub name: String,
    pub region_code: String,
    pub region_name: String,
    pub attended: bool,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TrainingDetail {
    #[serde(flatten)]
    pub training: TrainingView,
    pub roster: Vec<RosterLine>,
}

/// The sessions that train officers of `region` (for officials of a KPU covering it).
pub async fn list(db: &Db, actor: &Actor, region: &str) -> SopResult<Vec<TrainingView>> {
    let region = RegionCode::parse(region)?;
    if !matches!(region.level(), Level::Province | Level::Regency) {
        return Err(SopError::RosterNotRegency);
    }
    if !may_train_in(actor, TrainingAction::Read, &region) {
        return Err(SopError::Forbidden);
    }
    Ok(rows::trainings_for(db, region.as_str(), region.province())
        .await?
        .into_iter()
        .map(TrainingView::from)
        .collect())
}

/// One session with the roster of its region, who attended ticked.
pub async fn detail(db: &Db, actor: &Actor, id: TrainingId) -> SopResult<TrainingDetail> {
    let t = rows::training(db, id.get())
        .await?
        .ok_or(SopError::NotFound)?;
    if !may_read_training(actor, &t.region_code, t.agency_id) {
        return Err(SopError::NotFound);
    }
    let attended = rows::attendance(db, t.id).await?;
    let roster = rows::officers_under(db, &t.region_code)
        .await?
        .into_iter()
        .map(|o| RosterLine {
            attended: attended.binary_search(&o.id).is_ok(),
            id: o.id,
            body: Body::parse(&o.body),
            name: o.name,
            region_code: o.region_code,
            region_name: o.region_name,
        })
        .collect();
    Ok(TrainingDetail {
        training: t.into(),
        roster,
    })
}
