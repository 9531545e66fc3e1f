//! A province SOP's drift table: for each regency and city of the province, the parent version
//! its adoption accepted, the one it shows, its overrides, and whether it needs review; and
//! the regencies that have not adopted it.

use balai_core::regions::{self, Level, RegionCode};
use balai_core::Db;
use serde::Serialize;
use utoipa::ToSchema;

use super::history::{infos, local_day, number, overrides_of};
use crate::domain::versions::{followed, in_force};
use crate::domain::SopId;
use crate::errors::{SopError, SopResult};
use crate::store;

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

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Drift {
    pub sop_id: i64,
    pub title: String,
    pub region_name: String,
    pub current_version: u32,
    pub rows: Vec<DriftRow>,
}

/// The drift table of province SOP `id` (published: public).
pub async fn drift(db: &Db, id: SopId) -> SopResult<Drift> {
    let id = id.get();
    let sop = store::sop(db, id).await?.ok_or(SopError::NotFound)?;
    let history = infos(&store::versions(db, id).await?, &sop.region_code);
    let current = in_force(&history, None).ok_or(SopError::NotFound)?;
    let province = RegionCode::parse(&sop.region_code)?;
    if sop.parent_id.is_some() || province.level() != Level::Province {
        return Err(SopError::NotFound);
    }
    let adoptions = store::children(db, id).await?;
    let mut rows = Vec::new();
    for r in regions::children(db, &province).await? {
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
            shown_version: Some(followed(&history, adopted, None)),
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
    // Those needing review first, then the other adoptions, then the regions that have none.
    rows.sort_by_key(|r| (r.adoption_id.is_none(), !r.review_needed));
    Ok(Drift {
        sop_id: sop.id,
        title: sop.title,
        region_name: sop.region_name,
        current_version: current,
        rows,
    })
}
