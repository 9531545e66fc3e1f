//! The elections whose windows an appointment is checked against: those of its region and of
//! the region above it (a city's appointments against the city's and the province's
//! elections), each with the stages of its current schedule and the windows they give.

use balai_core::regions::RegionCode;
use balai_core::schedule::StageKind;
use balai_core::{Db, Tx};

use crate::domain::window::{self, ScheduleDates, Window};
use crate::store::schedules::{self, StageRow};

/// One election with its current schedule and windows.
#[derive(Clone, Debug)]
pub struct ElectionWindows {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub region_code: String,
    pub version: i64,
    pub stages: Vec<StageRow>,
    pub windows: Vec<Window>,
}

impl ElectionWindows {
    /// The first day of the current stage of this kind.
    pub fn stage_start(&self, kind: StageKind) -> Option<time::Date> {
        self.stages
            .iter()
            .find(|s| s.kind.as_deref() == Some(kind.as_str()))
            .map(|s| s.start_day)
    }
}

/// The region and the one above it, if it is a regency or city.
pub fn region_and_above(region: &RegionCode) -> Vec<String> {
    let mut codes = vec![region.as_str().to_string()];
    if let Some(p) = region.parent() {
        codes.push(p.as_str().to_string());
    }
    codes
}

/// Group stage rows (ordered by election) into elections with their windows.
pub fn group(rows: Vec<StageRow>) -> Vec<ElectionWindows> {
    let mut out: Vec<ElectionWindows> = Vec::new();
    for r in rows {
        match out.last_mut() {
            Some(e) if e.id == r.election_id => e.stages.push(r),
            _ => out.push(ElectionWindows {
                id: r.election_id,
                name: r.election_name.clone(),
                kind: r.election_kind.clone(),
                region_code: r.region_code.clone(),
                version: r.version,
                stages: vec![r],
                windows: Vec::new(),
            }),
        }
    }
    for e in &mut out {
        let dates = ScheduleDates {
            penetapan_paslon: e.stage_start(StageKind::PenetapanPaslon),
            pelantikan: e.stage_start(StageKind::Pelantikan),
        };
        e.windows = window::windows(&dates);
    }
    out
}

/// The elections over a region (pages and the API).
pub async fn over(db: &Db, region: &RegionCode) -> Result<Vec<ElectionWindows>, sqlx::Error> {
    Ok(group(
        schedules::current_in(db, &region_and_above(region)).await?,
    ))
}

/// [`over`] in the caller's transaction (a write that computes flags).
pub async fn over_tx(
    tx: &mut Tx,
    region: &RegionCode,
) -> Result<Vec<ElectionWindows>, sqlx::Error> {
    schedules::lock_for_recording(tx, &region_and_above(region)).await?;
    Ok(group(
        schedules::current_in_tx(tx, &region_and_above(region)).await?,
    ))
}

/// The `(election id, windows)` pairs the flag rule takes.
pub fn as_pairs(elections: &[ElectionWindows]) -> Vec<(i64, Vec<Window>)> {
    elections
        .iter()
        .map(|e| (e.id, e.windows.clone()))
        .collect()
}
