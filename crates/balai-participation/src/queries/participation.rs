//! An election's participation in a region: its turnout target, the turnout reached (from
//! the election's results or its loaded past totals, through [`balai_core::turnout`]), the gap,
//! and the outreach held there in the year before voting day, per target group; the same for
//! each district (or other child region) beside its turnout; and the region's past elections.

use std::collections::BTreeMap;

use balai_core::regions::{self, RegionCode};
use balai_core::turnout::{ElectionFacts, TurnoutFigure};
use balai_core::web::AppCtx;
use time::{Date, Duration};

use crate::commands::targets::{election, source};
use crate::domain::invalid::Invalid;
use crate::domain::target_group::TargetGroup;
use crate::errors::{PResult, ParticipationError};
use crate::store::{activities, targets};

/// Activities and participants, in total and per target group (every group, zeros included).
#[derive(Clone, Debug, Default)]
pub struct Outreach {
    pub activities: i64,
    pub participants: i64,
    pub by_group: BTreeMap<TargetGroup, (i64, i64)>,
}

impl Outreach {
    fn empty() -> Outreach {
        Outreach {
            by_group: TargetGroup::ALL.iter().map(|g| (*g, (0, 0))).collect(),
            ..Outreach::default()
        }
    }

    fn add(&mut self, group: &str, count: i64, participants: i64) {
        self.activities += count;
        self.participants += participants;
        if let Some(g) = TargetGroup::parse(group) {
            let e = self.by_group.entry(g).or_default();
            e.0 += count;
            e.1 += participants;
        }
    }
}

/// One place's figures.
#[derive(Clone, Debug)]
pub struct Place {
    pub code: String,
    pub name: String,
    /// Hundredths of a percent.
    pub target: Option<i64>,
    pub turnout: Option<TurnoutFigure>,
    pub outreach: Outreach,
}

#[derive(Clone, Debug)]
pub struct Participation {
    pub election: ElectionFacts,
    pub place: Place,
    /// The days whose outreach counts: a year before voting day up to the day before it.
    pub window: (Date, Date),
    pub districts: Vec<Place>,
    /// The region's earlier elections with their turnout here, newest first.
    pub past: Vec<(ElectionFacts, Option<TurnoutFigure>)>,
}

/// The region asked for (the election's when absent): well formed, inside the election's
/// region (422), known (404).
async fn region_in(ctx: &AppCtx, e: &ElectionFacts, asked: Option<&str>) -> PResult<RegionCode> {
    let asked = asked.map(str::trim).filter(|s| !s.is_empty());
    let code =
        RegionCode::parse(asked.unwrap_or(&e.region_code)).map_err(|_| Invalid::BadRegion)?;
    let er = RegionCode::parse(&e.region_code).map_err(|_| Invalid::BadRegion)?;
    if !er.contains(code.as_str()) {
        return Err(ParticipationError::OutsideElection(code.to_string()));
    }
    if regions::get(&ctx.db, &code).await?.is_none() {
        return Err(ParticipationError::NotFound);
    }
    Ok(code)
}

pub async fn load(ctx: &AppCtx, election_id: i64, asked: Option<&str>) -> PResult<Participation> {
    let e = election(ctx, election_id).await?;
    let code = region_in(ctx, &e, asked).await?;
    let src = source(ctx)?;
    let db = &ctx.db;
    let name = regions::get(db, &code)
        .await?
        .map(|r| r.name)
        .unwrap_or_default();
    let to = e.voting_date.previous_day().unwrap_or(e.voting_date);
    let from = e
        .voting_date
        .checked_sub(Duration::days(i64::from(
            crate::domain::settings::settings(ctx).outreach_window_days,
        )))
        .unwrap_or(Date::MIN);
    let rows = activities::outreach(db, code.as_str(), from, to).await?;
    let targets: BTreeMap<String, i64> =
        targets::of_election(db, e.id).await?.into_iter().collect();
    let sum_under = |prefix: &str| {
        let mut o = Outreach::empty();
        for (r, g, n, p) in &rows {
            if RegionCode::parse(prefix).is_ok_and(|c| c.contains(r)) {
                o.add(g, *n, *p);
            }
        }
        o
    };
    let place = Place {
        target: targets.get(code.as_str()).copied(),
        turnout: src.0.turnout(db, e.id, code.as_str()).await?,
        outreach: sum_under(code.as_str()),
        code: code.to_string(),
        name,
    };
    let mut districts = Vec::new();
    // Children of a village are none; of a province, its regencies; of a regency, districts.
    for child in regions::children(db, &code).await? {
        districts.push(Place {
            target: targets.get(&child.code).copied(),
            turnout: src.0.turnout(db, e.id, &child.code).await?,
            outreach: sum_under(&child.code),
            code: child.code,
            name: child.name,
        });
    }
    let mut past = Vec::new();
    for other in src.0.elections_of(db, &e.region_code).await? {
        if other.id != e.id && other.voting_date < e.voting_date {
            let t = src.0.turnout(db, other.id, code.as_str()).await?;
            past.push((other, t));
        }
    }
    Ok(Participation {
        election: e,
        place,
        window: (from, to),
        districts,
        past,
    })
}
