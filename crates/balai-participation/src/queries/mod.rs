//! Read models: a region's collaboration record (agreements, activities, follow-ups, forums;
//! minutes only once published) and an election's participation (target against turnout, and
//! the outreach before voting day).

pub mod kpi;
pub mod participation;
pub mod record;

use balai_core::regions::{self, RegionCode};
use balai_core::Db;

use crate::domain::invalid::Invalid;
use crate::errors::{PResult, ParticipationError};

/// A region parameter: well formed (else 422) and known (else 404); with its name.
pub async fn region(db: &Db, code: &str) -> PResult<(RegionCode, String)> {
    let parsed = RegionCode::parse(code.trim()).map_err(|_| Invalid::BadRegion)?;
    let row = regions::get(db, &parsed)
        .await?
        .ok_or(ParticipationError::NotFound)?;
    Ok((parsed, row.name))
}
