//! The public statistics of neutrality cases, for all of Indonesia or one region (and the
//! regions inside it): anonymised tallies only ([`crate::domain::case_stats`]), with region
//! names.

use std::collections::HashMap;

use balai_core::regions::{self, RegionCode};
use balai_core::Db;

use crate::domain::case::Stage;
use crate::domain::case_stats::{tally, CaseFacts, StepTime, Tally};
use crate::errors::NResult;
use crate::store::case_stats as store;

/// The statistics with the names of the regions they count.
#[derive(Clone, Debug)]
pub struct Stats {
    /// `None`: every region.
    pub region: Option<(String, String)>,
    pub tally: Tally,
    pub region_names: HashMap<String, String>,
}

pub async fn load(db: &Db, region: Option<&str>) -> NResult<Stats> {
    let region = match region.map(str::trim).filter(|r| !r.is_empty()) {
        None => None,
        Some(code) => {
            let (parsed, name) = super::register::region(db, code).await?;
            Some((parsed.as_str().to_string(), name))
        }
    };
    let code = region.as_ref().map(|r| r.0.as_str());
    let facts: Vec<CaseFacts> = store::facts(db, code)
        .await?
        .into_iter()
        .map(|f| CaseFacts {
            stage: Stage::parse(&f.stage).unwrap_or(Stage::Closed),
            outcome: f
                .outcome
                .as_deref()
                .and_then(crate::domain::case::Outcome::parse),
            forbidden_act: f.forbidden_act,
            region_code: f.region_code,
        })
        .collect();
    let steps: Vec<StepTime> = store::step_times(db, code)
        .await?
        .into_iter()
        .filter_map(|s| {
            Some(StepTime {
                step: Stage::parse(&s.step)?,
                working_days: s.working_days,
                late: s.decided_on > s.due_on,
            })
        })
        .collect();
    let t = tally(&facts, &steps);
    let mut region_names = HashMap::new();
    for code in t.by_region.keys() {
        if let Ok(parsed) = RegionCode::parse(code) {
            if let Some(r) = regions::get(db, &parsed).await? {
                region_names.insert(code.clone(), r.name);
            }
        }
    }
    Ok(Stats {
        region,
        tally: t,
        region_names,
    })
}
