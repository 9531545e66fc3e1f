//! A unit's KPIs for a month: every feature's figures (through [`KpiSources`]) with their
//! targets, the satisfaction index, the trend over the last months, and the regional league
//! table ranked by improvement.

use std::collections::HashMap;

use balai_core::accounts::Agency;
use balai_core::ids::AgencyId;
use balai_core::kpi::{Better, KpiFigure, KpiSources};
use balai_core::Db;
use time::Date;

use crate::domain::ikm::{self, GradeBounds, Index};
use crate::domain::kpi::{self, IKM_KEY};
use crate::domain::period;
use crate::store::{responses, settings, targets};

/// One figure with its level, target and whether the target is met.
pub struct KpiRow {
    pub figure: KpiFigure,
    pub level: Option<i64>,
    pub target: Option<i64>,
    pub met: Option<bool>,
}

pub struct MonthKpis {
    pub month: String,
    pub from: Date,
    pub to: Date,
    pub responses: i64,
    pub ikm: Option<Index>,
    pub ikm_target: Option<i64>,
    /// KPIs (with a good direction), then breakdowns.
    pub rows: Vec<KpiRow>,
}

impl MonthKpis {
    pub fn kpis(&self) -> impl Iterator<Item = &KpiRow> {
        self.rows
            .iter()
            .filter(|r| r.figure.better != Better::Neither)
    }

    pub fn breakdown(&self) -> impl Iterator<Item = &KpiRow> {
        self.rows
            .iter()
            .filter(|r| r.figure.better == Better::Neither)
    }

    /// The figure of `key`'s level, or the IKM's for [`IKM_KEY`].
    pub fn level_of(&self, key: &str) -> Option<i64> {
        if key == IKM_KEY {
            return self.ikm.as_ref().map(|i| i.ikm.0);
        }
        self.rows
            .iter()
            .find(|r| r.figure.key == key)
            .and_then(|r| r.level)
    }
}

/// The unit's figures for the month `YYYY-MM` (`None` for a month that does not parse).
pub async fn month(
    db: &Db,
    sources: Option<&KpiSources>,
    unit: &Agency,
    month: &str,
) -> Result<Option<MonthKpis>, sqlx::Error> {
    let Some((from, to)) = period::parse_month(month) else {
        return Ok(None);
    };
    let id = AgencyId(unit.id);
    let targets = targets::of_unit(db, id).await?;
    month_with(db, sources, unit, from, to, &targets)
        .await
        .map(Some)
}

async fn month_with(
    db: &Db,
    sources: Option<&KpiSources>,
    unit: &Agency,
    from: Date,
    to: Date,
    targets: &HashMap<String, i64>,
) -> Result<MonthKpis, sqlx::Error> {
    let id = AgencyId(unit.id);
    let figures = match sources {
        Some(s) => s.figures(db, unit, from, to).await?,
        None => Vec::new(),
    };
    let weights = settings::weights(db, id).await?;
    let tally = responses::tally(db, id, from, to, None).await?;
    let rows = figures
        .into_iter()
        .map(|f| {
            let level = kpi::level(&f.value);
            let target = targets.get(&f.key).copied();
            KpiRow {
                met: kpi::met(level, target, f.better),
                level,
                target,
                figure: f,
            }
        })
        .collect();
    Ok(MonthKpis {
        month: period::month_key(from),
        from,
        to,
        responses: tally.responses,
        ikm: ikm::index(&tally, &weights, &GradeBounds::default()),
        ikm_target: targets.get(IKM_KEY).copied(),
        rows,
    })
}

/// The unit's figures for each of the `n` months ending with `last` (`YYYY-MM`), oldest first.
pub async fn trend(
    db: &Db,
    sources: Option<&KpiSources>,
    unit: &Agency,
    last: Date,
    n: u32,
) -> Result<Vec<MonthKpis>, sqlx::Error> {
    let targets = targets::of_unit(db, AgencyId(unit.id)).await?;
    let mut out = Vec::new();
    for m in period::months_back(last, n) {
        if let Some((from, to)) = period::parse_month(&m) {
            out.push(month_with(db, sources, unit, from, to, &targets).await?);
        }
    }
    Ok(out)
}

/// One unit in the league table.
pub struct LeagueRow {
    pub unit: Agency,
    pub ikm: Option<ikm::Hundredths>,
    pub ikm_before: Option<ikm::Hundredths>,
    /// The mean change of the IKM and the shares, in hundredths of a point (see
    /// [`kpi::score`]).
    pub improvement: Option<ikm::Hundredths>,
    /// How many figures the score rests on.
    pub figures: usize,
}

/// Every unit of a region subtree for a month, ranked by improvement over the month before
/// (units without a score last, by name).
pub async fn league(
    db: &Db,
    sources: Option<&KpiSources>,
    region: &str,
    month_key: &str,
) -> Result<Option<Vec<LeagueRow>>, sqlx::Error> {
    let Some((from, to)) = period::parse_month(month_key) else {
        return Ok(None);
    };
    // The month before, whatever its year.
    let bto = from.previous_day().unwrap_or(from);
    let bfrom = bto.replace_day(1).unwrap_or(bto);
    let none = HashMap::new();
    let mut rows = Vec::new();
    for unit in targets::units_in(db, region).await? {
        let now = month_with(db, sources, &unit, from, to, &none).await?;
        let before = month_with(db, sources, &unit, bfrom, bto, &none).await?;
        let mut changes = Vec::new();
        let mut keys: Vec<&str> = vec![IKM_KEY];
        keys.extend(
            now.kpis()
                .filter(|r| matches!(r.figure.value, balai_core::kpi::KpiValue::Share { .. }))
                .map(|r| r.figure.key.as_str()),
        );
        for k in keys {
            let better = if k == IKM_KEY {
                Better::Higher
            } else {
                now.rows
                    .iter()
                    .find(|r| r.figure.key == k)
                    .map_or(Better::Neither, |r| r.figure.better)
            };
            if let Some(c) = kpi::improvement(before.level_of(k), now.level_of(k), better) {
                changes.push(c);
            }
        }
        if now.ikm.is_none()
            && now.rows.is_empty()
            && before.ikm.is_none()
            && before.rows.is_empty()
        {
            continue;
        }
        rows.push(LeagueRow {
            ikm: now.ikm.as_ref().map(|i| i.ikm),
            ikm_before: before.ikm.as_ref().map(|i| i.ikm),
            improvement: kpi::score(&changes),
            figures: changes.len(),
            unit,
        });
    }
    rows.sort_by(|a, b| {
        b.improvement
            .is_some()
            .cmp(&a.improvement.is_some())
            .then(b.improvement.cmp(&a.improvement))
            .then_with(|| a.unit.name.cmp(&b.unit.name))
    });
    Ok(Some(rows))
}
