//! An SOP's stored versions as the domain sees them, and their bodies decoded.

use balai_core::format::Zone;
use time::Date;

use crate::domain::steps::{Override, Step};
use crate::domain::versions::VersionInfo;
use crate::errors::SopResult;
use crate::store::VersionRow;

/// A version number as the domain counts it.
pub fn number(v: i64) -> u32 {
    u32::try_from(v).unwrap_or(0)
}

/// The day a moment falls on in the SOP's region.
pub fn local_day(t: time::OffsetDateTime, region_code: &str) -> Date {
    t.to_offset(Zone::for_region(region_code).offset()).date()
}

/// The versions of an SOP of `region_code`, for the rules of [`crate::domain::versions`].
pub fn infos(rows: &[VersionRow], region_code: &str) -> Vec<VersionInfo> {
    rows.iter()
        .map(|r| VersionInfo {
            number: number(r.version),
            major: r.major,
            published_on: r.published_at.map(|t| local_day(t, region_code)),
        })
        .collect()
}

pub fn find(rows: &[VersionRow], version: u32) -> Option<&VersionRow> {
    rows.iter().find(|r| number(r.version) == version)
}

pub fn steps_of(row: &VersionRow) -> SopResult<Vec<Step>> {
    Ok(serde_json::from_str(&row.body)?)
}

pub fn overrides_of(row: &VersionRow) -> SopResult<Vec<Override>> {
    Ok(serde_json::from_str(&row.body)?)
}
