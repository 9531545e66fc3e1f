//! Readiness before an election stage (DOMAIN.md §12): per district, the share of each body's
//! officers who attended a training that prepares that stage, held before the stage starts;
//! and whether that share is a warning (below the threshold while the stage is near). Pure.

use std::collections::{BTreeMap, HashSet};

use balai_core::format::share_hundredths;
use balai_core::schedule::StageKind;
use serde::Serialize;
use time::Date;
use utoipa::ToSchema;

use super::training::Body;

/// The share of trained officers below which a near stage is shown red, in percent. The issue
/// (#26) asks for a configurable threshold without naming one and neither DOMAIN.md nor a
/// regulation sets it: a Balai default, *unconfirmed*, kept in the `settings` table
/// (`sop.readiness_threshold_percent`).
pub const DEFAULT_THRESHOLD_PERCENT: u32 = 80;
/// How many days before a stage starts its readiness is checked: "a week ahead" (issue #26),
/// kept in the `settings` table (`sop.readiness_warn_days`).
pub const DEFAULT_WARN_DAYS: u32 = 7;

/// The readiness thresholds in force.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Thresholds {
    pub threshold_percent: u32,
    pub warn_days: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            threshold_percent: DEFAULT_THRESHOLD_PERCENT,
            warn_days: DEFAULT_WARN_DAYS,
        }
    }
}

/// An officer of the roster: the body and the district (none for the KPU's own staff).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Officer {
    pub id: i64,
    pub body: Body,
    pub district: Option<String>,
}

/// One attendance: the officer attended a training preparing `stage`, held on `held_on`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attended {
    pub officer_id: i64,
    pub stage: StageKind,
    pub held_on: Date,
}

/// When a stage is, seen from a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Timing {
    /// More than the warning days ahead.
    Later,
    /// Within the warning days: readiness is checked now.
    Near,
    /// Started (the figures are those of the day before it started).
    Started,
}

pub fn timing(start: Date, today: Date, warn_days: u32) -> Timing {
    let days = (start - today).whole_days();
    if days <= 0 {
        Timing::Started
    } else if days <= i64::from(warn_days) {
        Timing::Near
    } else {
        Timing::Later
    }
}

/// One body's figures in one district.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Cell {
    pub body: Body,
    pub officers: u32,
    pub trained: u32,
    /// The officers not trained yet, by id.
    pub untrained: Vec<i64>,
}

impl Cell {
    /// The trained share in hundredths of a percent (`None`: no officers).
    pub fn share(&self) -> Option<i64> {
        share_hundredths(u64::from(self.trained), u64::from(self.officers))
    }
}

/// A district's (or, `None`, the KPU staff's) figures, one cell per body that has officers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DistrictFigures {
    pub district: Option<String>,
    pub cells: Vec<Cell>,
}

/// Was an officer trained for `stage` before `start`? (A session held on the first day of the
/// stage is too late to prepare it.)
fn trained_set(attended: &[Attended], stage: StageKind, start: Date) -> HashSet<i64> {
    attended
        .iter()
        .filter(|a| a.stage == stage && a.held_on < start)
        .map(|a| a.officer_id)
        .collect()
}

/// The figures of every district for `stage` starting on `start`, counting the officers of
/// the `needed` bodies (those its sessions train): the staff first, then the districts by
/// code; in each, the bodies in their order.
pub fn figures(
    officers: &[Officer],
    needed: &[Body],
    attended: &[Attended],
    stage: StageKind,
    start: Date,
) -> Vec<DistrictFigures> {
    let trained = trained_set(attended, stage, start);
    let mut by: BTreeMap<(Option<String>, Body), Cell> = BTreeMap::new();
    for o in officers.iter().filter(|o| needed.contains(&o.body)) {
        let cell = by
            .entry((o.district.clone(), o.body))
            .or_insert_with(|| Cell {
                body: o.body,
                officers: 0,
                trained: 0,
                untrained: Vec::new(),
            });
        cell.officers += 1;
        if trained.contains(&o.id) {
            cell.trained += 1;
        } else {
            cell.untrained.push(o.id);
        }
    }
    let mut out: Vec<DistrictFigures> = Vec::new();
    for ((district, _), cell) in by {
        match out.last_mut() {
            Some(d) if d.district == district => d.cells.push(cell),
            _ => out.push(DistrictFigures {
                district,
                cells: vec![cell],
            }),
        }
    }
    out
}

/// All officers and the trained among them, over every district.
pub fn totals(districts: &[DistrictFigures]) -> (u32, u32) {
    districts
        .iter()
        .flat_map(|d| &d.cells)
        .fold((0, 0), |(n, t), c| (n + c.officers, t + c.trained))
}

/// Is a share (hundredths of a percent; `None`: nobody to train) below the threshold?
pub fn below(share: Option<i64>, t: Thresholds) -> bool {
    share.is_some_and(|s| s < i64::from(t.threshold_percent) * 100)
}

/// A warning: below the threshold while the stage is near or has started.
pub fn warn(share: Option<i64>, timing: Timing, t: Thresholds) -> bool {
    timing != Timing::Later && below(share, t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn o(id: i64, body: Body, district: Option<&str>) -> Officer {
        Officer {
            id,
            body,
            district: district.map(str::to_string),
        }
    }

    fn a(officer_id: i64, stage: StageKind, held_on: Date) -> Attended {
        Attended {
            officer_id,
            stage,
            held_on,
        }
    }

    #[test]
    fn shares_count_sessions_for_the_stage_held_before_it_starts() {
        let officers = [
            o(1, Body::Ppk, Some("32.79.01")),
            o(2, Body::Ppk, Some("32.79.01")),
            o(3, Body::Pps, Some("32.79.01")),
            o(4, Body::Kpps, Some("32.79.02")),
            o(5, Body::Staff, None),
        ];
        let vote = StageKind::PemungutanSuara;
        let start = date!(2024 - 11 - 27);
        let attended = [
            a(1, vote, date!(2024 - 11 - 20)),
            // Too late: the first day of the stage.
            a(2, vote, start),
            // Another stage's training.
            a(3, StageKind::Kampanye, date!(2024 - 09 - 01)),
            a(4, vote, date!(2024 - 11 - 26)),
            a(5, vote, date!(2024 - 10 - 01)),
            a(5, vote, date!(2024 - 10 - 02)),
        ];
        assert!(figures(&officers, &[Body::Kpps], &attended, vote, start)
            .iter()
            .all(|d| d.cells.iter().all(|c| c.body == Body::Kpps)));
        let f = figures(&officers, &Body::ALL, &attended, vote, start);
        assert_eq!(f.len(), 3);
        assert_eq!(f[0].district, None);
        assert_eq!((f[0].cells[0].officers, f[0].cells[0].trained), (1, 1));
        let d1 = &f[1];
        assert_eq!(d1.district.as_deref(), Some("32.79.01"));
        assert_eq!(d1.cells[0].body, Body::Ppk);
        assert_eq!((d1.cells[0].officers, d1.cells[0].trained), (2, 1));
        assert_eq!(d1.cells[0].untrained, vec![2]);
        assert_eq!(d1.cells[0].share(), Some(5_000));
        assert_eq!((d1.cells[1].body, d1.cells[1].trained), (Body::Pps, 0));
        assert_eq!(totals(&f), (5, 3));
    }

    #[test]
    fn warnings_come_a_week_ahead_below_the_threshold() {
        let t = Thresholds::default();
        let start = date!(2024 - 11 - 27);
        assert_eq!(timing(start, date!(2024 - 11 - 19), 7), Timing::Later);
        assert_eq!(timing(start, date!(2024 - 11 - 20), 7), Timing::Near);
        assert_eq!(timing(start, start, 7), Timing::Started);
        assert!(warn(Some(7_999), Timing::Near, t));
        assert!(!warn(Some(8_000), Timing::Near, t));
        assert!(!warn(Some(1_000), Timing::Later, t));
        assert!(warn(Some(0), Timing::Started, t));
        assert!(!warn(None, Timing::Near, t));
    }
}
