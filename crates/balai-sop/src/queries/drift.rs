//! The drift table of an SOP: for a province's SOP, each regency and city of the province with
//! the parent version its adoption accepted, the one it shows, its overrides, and whether it
//! needs review (and the regencies that have not adopted it); for an adoption, its own row of
//! that table; for a regency's or city's own SOP, which nothing below adopts, no rows.

use balai_core::identity::Actor;
use balai_core::regions::{self, Level, RegionCode};
use balai_core::Db;
use serde::Serialize;
use utoipa::ToSchema;

use super::history::{infos, local_day, number, overrides_of};
use crate::domain::access::may_see_drafts;
use crate::domain::versions::{followed, in_force, VersionInfo};
use crate::domain::SopId;
use crate::errors::{SopError, SopResult};
use crate::store::{self, SopRow};

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DriftRow {
    pub region_code: String,
    pub region_name: String,
    /// The adoption (absent: the region has not adopted the SOP).
    pub adoption_id: Option<i64>,
    pub adopted_version: Option<u32>,
    pub shown_version: Option<u32>,
    pub overrides: usize,
    pub review_needed: bool,
    /// `YYYY-MM-DD`: the adoption's last change.
    pub changed_on: Option<String>,
}

/// What the table covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DriftScope {
    /// A province's SOP: a row for every regency and city of the province.
    Province,
    /// A regency's or city's adoption: its own row of the province SOP's table.
    Adoption,
    /// A regency's or city's own SOP: nothing below adopts it, so there are no rows.
    Own,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Drift {
    pub sop_id: i64,
    pub title: String,
    pub region_name: String,
    pub scope: DriftScope,
    /// An adoption's province SOP, whose whole table is at its own drift.
    pub parent_id: Option<i64>,
    /// The version the rows are measured against, in force now: the province SOP's (for an
    /// adoption, its parent's); 0 while nothing is published yet (a draft, seen by its owner).
    pub current_version: u32,
    pub rows: Vec<DriftRow>,
}

/// The drift table of SOP `id`: public once published; a draft only for its owner's
/// officials.
pub async fn drift(db: &Db, id: SopId, actor: Option<&Actor>) -> SopResult<Drift> {
    let sop = store::sop(db, id.get()).await?.ok_or(SopError::NotFound)?;
    let history = infos(&store::versions(db, sop.id).await?, &sop.region_code);
    let own_current = in_force(&history, None);
    if own_current.is_none() && !may_see_drafts(actor, sop.agency_id) {
        return Err(SopError::NotFound);
    }
    let (scope, current, rows) = match sop.parent_id {
        Some(parent_id) => {
            let parent = store::sop(db, parent_id).await?.ok_or(SopError::NotFound)?;
            let parent_history = infos(&store::versions(db, parent_id).await?, &parent.region_code);
            let rows = province_rows(db, &parent, &parent_history, Some(&sop.region_code)).await?;
            let current = in_force(&parent_history, None).unwrap_or(0);
            (DriftScope::Adoption, current, rows)
        }
        None if RegionCode::parse(&sop.region_code)?.level() == Level::Province => {
            let rows = province_rows(db, &sop, &history, None).await?;
            (DriftScope::Province, own_current.unwrap_or(0), rows)
        }
        None => (DriftScope::Own, own_current.unwrap_or(0), Vec::new()),
    };
    Ok(Drift {
        sop_id: sop.id,
        title: sop.title,
        region_name: sop.region_name,
        scope,
        parent_id: sop.parent_id,
        current_version: current,
        rows,
    })
}

/// A row for each regency and city of province SOP `sop`'s province (or only region `only`'s):
/// those needing review first, then the other adoptions, then the regions that have none.
async fn province_rows(
    db: &Db,
    sop: &SopRow,
    history: &[VersionInfo],
    only: Option<&str>,
) -> SopResult<Vec<DriftRow>> {
    let province = RegionCode::parse(&sop.region_code)?;
    let adoptions = store::children(db, sop.id).await?;
    let mut rows = Vec::new();
    let wanted = |code: &str| only.is_none_or(|o| o == code);
    for r in regions::children(db, &province)
        .await?
        .into_iter()
        .filter(|r| wanted(&r.code))
    {
        let Some(a) = adoptions.iter().find(|a| a.region_code == r.code) else {
            rows.push(DriftRow {
                region_code: r.code,
                region_name: r.name,
                adoption_id: None,
                adopted_version: None,
                shown_version: None,
                overrides: 0,
                review_needed: false,
                changed_on: None,
            });
            continue;
        };
        let own = store::versions(db, a.id).await?;
        let last = own.last();
        let adopted = last.and_then(|v| v.parent_version).map_or(0, number);
        rows.push(DriftRow {
            region_code: r.code,
            region_name: r.name,
            adoption_id: Some(a.id),
            adopted_version: Some(adopted),
            shown_version: Some(followed(history, adopted, None)),
            overrides: match last {
                Some(v) => overrides_of(v)?.len(),
                None => 0,
            },
            review_needed: a.review_needed,
            changed_on: last
                .and_then(|v| v.published_at)
                .map(|t| local_day(t, &a.region_code).to_string()),
        });
    }
    rows.sort_by_key(|r| (r.adoption_id.is_none(), !r.review_needed));
    Ok(rows)
}
