//! Readiness of a regency's officers before each stage of the elections held in it or in its
//! province (their current schedules, read through `balai_core::schedule::stages_in`): per
//! district and body, how many attended a session preparing that stage before it starts, who
//! has not, and a warning when the stage is near and the share is below the threshold.

use std::collections::HashMap;

use balai_core::identity::Actor;
use balai_core::regions::{self, Level, RegionCode};
use balai_core::schedule::{self, StageKind};
use balai_core::web::AppCtx;
use serde::Serialize;
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

use crate::domain::access::may_train_in;
use crate::domain::permissions::TrainingAction;
use crate::domain::readiness::{
    self, figures, timing, totals, warn, Attended, DistrictFigures, Officer, Thresholds, Timing,
};
use crate::domain::training::{parse_bodies, Body};
use crate::errors::{SopError, SopResult};
use crate::store::training::{self as rows, OfficerRow};

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Untrained {
    pub id: i64,
    pub name: String,
    pub region_code: String,
    pub region_name: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct BodyReadiness {
    pub body: Body,
    pub officers: u32,
    pub trained: u32,
    /// The trained share in hundredths of a percent (`null`: no officers).
    pub share_hundredths: Option<i64>,
    pub warning: bool,
    pub untrained: Vec<Untrained>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DistrictReadiness {
    /// `null`: the KPU's own staff.
    pub district_code: Option<String>,
    pub district_name: String,
    pub bodies: Vec<BodyReadiness>,
}

/// An election a stage belongs to.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ElectionRef {
    pub id: i64,
    pub name: String,
}

/// One stage kind starting on one day, for every election that holds it then (simultaneous
/// elections share their stages and so their readiness).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct StageReadiness {
    pub elections: Vec<ElectionRef>,
    pub kind: StageKind,
    pub name: String,
    #[schema(format = Date)]
    pub start: String,
    #[schema(format = Date)]
    pub end: String,
    pub timing: Timing,
    /// The bodies the sessions for this stage train (in the region, under it or for its
    /// province, whenever held); empty: no session is planned, and nothing is counted.
    pub bodies: Vec<Body>,
    /// Days from the day shown to the stage's start (negative: started).
    pub days_until: i64,
    pub officers: u32,
    pub trained: u32,
    pub share_hundredths: Option<i64>,
    /// Near (or started) and below the threshold.
    pub warning: bool,
    pub districts: Vec<DistrictReadiness>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Readiness {
    pub region_code: String,
    pub region_name: String,
    /// The day the figures are for (today in the region, unless asked).
    #[schema(format = Date)]
    pub on: String,
    pub thresholds: Thresholds,
    /// Officers on the roster.
    pub officers: u32,
    /// The stages not ended on the day shown, by start.
    pub stages: Vec<StageReadiness>,
}

/// Today in the region's time zone.
pub fn today(region: &str) -> Date {
    crate::queries::history::local_day(OffsetDateTime::now_utc(), region)
}

fn officer(o: &OfficerRow) -> Option<Officer> {
    let body = Body::parse(&o.body)?;
    Some(Officer {
        id: o.id,
        body,
        district: match body {
            Body::Staff => None,
            _ => o.region_code.get(..8).map(str::to_string),
        },
    })
}

/// The attendances of the officers under `region` at sessions held by `on` (what had
/// happened by the day shown).
async fn attended_by(db: &balai_core::Db, region: &str, on: Date) -> SopResult<Vec<Attended>> {
    Ok(rows::attended_under(db, region)
        .await?
        .into_iter()
        .filter(|(_, _, held_on)| *held_on <= on)
        .filter_map(|(officer_id, kind, held_on)| {
            Some(Attended {
                officer_id,
                stage: StageKind::parse(&kind)?,
                held_on,
            })
        })
        .collect())
}

/// What turns a district's figures into what the API and the page show.
struct Names<'a> {
    districts: &'a HashMap<String, String>,
    regency: &'a str,
    by_id: &'a HashMap<i64, &'a OfficerRow>,
    thresholds: Thresholds,
}

impl Names<'_> {
    fn district(&self, d: DistrictFigures, t: Timing) -> DistrictReadiness {
        DistrictReadiness {
            district_name: match &d.district {
                Some(c) => self.districts.get(c).cloned().unwrap_or_else(|| c.clone()),
                None => self.regency.to_string(),
            },
            district_code: d.district,
            bodies: d
                .cells
                .into_iter()
                .map(|c| BodyReadiness {
                    body: c.body,
                    officers: c.officers,
                    trained: c.trained,
                    share_hundredths: c.share(),
                    warning: warn(c.share(), t, self.thresholds),
                    untrained: c
                        .untrained
                        .iter()
                        .filter_map(|id| self.by_id.get(id))
                        .map(|o| Untrained {
                            id: o.id,
                            name: o.name.clone(),
                            region_code: o.region_code.clone(),
                            region_name: o.region_name.clone(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// The readiness of `region` (a regency or city) on `on` (default: today), for an official
/// of a KPU covering it.
pub async fn readiness(
    ctx: &AppCtx,
    actor: &Actor,
    region: &str,
    on: Option<Date>,
) -> SopResult<Readiness> {
    let regency = RegionCode::parse(region)?;
    if regency.level() != Level::Regency {
        return Err(SopError::RosterNotRegency);
    }
    if !may_train_in(actor, TrainingAction::Read, &regency) {
        return Err(SopError::Forbidden);
    }
    let db = &ctx.db;
    let region_row = regions::get(db, &regency)
        .await?
        .ok_or(SopError::NotFound)?;
    let on = on.unwrap_or_else(|| today(regency.as_str()));
    let thresholds = rows::thresholds(db).await?;
    let roster = rows::officers_under(db, regency.as_str()).await?;
    let by_id: HashMap<i64, &OfficerRow> = roster.iter().map(|o| (o.id, o)).collect();
    let officers: Vec<Officer> = roster.iter().filter_map(officer).collect();
    let attended = attended_by(db, regency.as_str(), on).await?;
    let districts: HashMap<String, String> = regions::children(db, &regency)
        .await?
        .into_iter()
        .map(|r| (r.code, r.name))
        .collect();
    let sessions = rows::trainings_for(db, regency.as_str(), regency.province()).await?;
    let needed = |k: StageKind| {
        let mut b: Vec<Body> = sessions
            .iter()
            .filter(|t| t.stage_kind == k.as_str())
            .flat_map(|t| parse_bodies(&t.bodies))
            .collect();
        b.sort();
        b.dedup();
        b
    };
    let names = Names {
        districts: &districts,
        regency: &region_row.name,
        by_id: &by_id,
        thresholds,
    };
    let codes = vec![regency.as_str().to_string(), regency.province().to_string()];
    let mut stages: Vec<StageReadiness> = Vec::new();
    for s in schedule::stages_in(&ctx.ext, db, &codes).await? {
        if s.end < on {
            continue;
        }
        let election = ElectionRef {
            id: s.election_id,
            name: s.election_name.clone(),
        };
        let start = s.start.to_string();
        if let Some(same) = stages
            .iter_mut()
            .find(|x| x.kind == s.kind && x.start == start)
        {
            same.elections.push(election);
            continue;
        }
        let t = timing(s.start, on, thresholds.warn_days);
        let bodies = needed(s.kind);
        let f = figures(&officers, &bodies, &attended, s.kind, s.start);
        let (n, trained) = totals(&f);
        let share = balai_core::format::share_hundredths(u64::from(trained), u64::from(n));
        stages.push(StageReadiness {
            elections: vec![election],
            kind: s.kind,
            name: s.name,
            start,
            end: s.end.to_string(),
            timing: t,
            bodies,
            days_until: (s.start - on).whole_days(),
            officers: n,
            trained,
            share_hundredths: share,
            warning: warn(share, t, thresholds),
            districts: f.into_iter().map(|d| names.district(d, t)).collect(),
        });
    }
    let order = |k: StageKind| StageKind::ALL.iter().position(|x| *x == k);
    stages.sort_by(|a, b| (&a.start, order(a.kind)).cmp(&(&b.start, order(b.kind))));
    Ok(Readiness {
        region_code: regency.as_str().to_string(),
        region_name: region_row.name,
        on: on.to_string(),
        thresholds,
        officers: u32::try_from(officers.len()).unwrap_or(u32::MAX),
        stages,
    })
}

/// The stages that are near, not started, and below the threshold (the dashboard's warnings).
pub fn alerts(r: &Readiness) -> Vec<&StageReadiness> {
    r.stages
        .iter()
        .filter(|s| s.warning && s.timing == Timing::Near)
        .collect()
}

/// Whether a stage's share is below the threshold (for a page's colour, whatever its timing).
pub fn below(r: &Readiness, s: &StageReadiness) -> bool {
    readiness::below(s.share_hundredths, r.thresholds)
}
