//! Who may read and who may act on a report.

use balai_core::web::actor::Actor;
use balai_core::Db;

use crate::domain::permissions::{may, StaffAction};
use crate::errors::{ComplaintError, ComplaintResult};
use crate::store::Complaint;

/// May this official see the report? Its agency's staff, an agency of the same kind above it
/// (a province Bawaslu over a city's), or a super-admin.
pub async fn can_read(db: &Db, actor: &Actor, c: &Complaint) -> ComplaintResult<bool> {
    if actor.is_superadmin() {
        return Ok(true);
    }
    if actor.agency.as_ref().map(|a| a.id).is_some()
        && actor.agency.as_ref().map(|a| a.id) == c.agency_id
    {
        return Ok(true);
    }
    let (Some(agency_id), Some(village)) = (c.agency_id, c.village_code.as_deref()) else {
        return Ok(false);
    };
    let Some(agency) = balai_core::accounts::get_agency(db, agency_id).await? else {
        return Ok(false);
    };
    Ok(actor.scope.covers(village, &agency.kind))
}

/// May this official take `action` on the report? An official of its agency whose role the
/// table of [`crate::domain::permissions`] allows, or a super-admin.
pub fn may_act(actor: &Actor, c: &Complaint, action: StaffAction) -> ComplaintResult<()> {
    actor.require_writer()?;
    if actor.is_superadmin() {
        return Ok(());
    }
    let own = c.agency_id.is_some() && actor.agency.as_ref().map(|a| a.id) == c.agency_id;
    if own && may(actor.role, action) {
        Ok(())
    } else {
        Err(ComplaintError::Forbidden)
    }
}

/// May this official file a report for a citizen at the counter?
pub fn may_file_at_counter(actor: &Actor) -> bool {
    actor.is_superadmin() || may(actor.role, StaffAction::FileAtCounter)
}

/// Does `agency_region` serve `village` (the agency's region is the village or contains it)?
pub fn serves(agency_region: &str, village: &str) -> bool {
    balai_core::regions::RegionCode::parse(agency_region).is_ok_and(|r| r.contains(village))
}
