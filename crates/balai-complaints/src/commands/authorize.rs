//! Who may read and who may act on a report.

use balai_core::web::actor::Actor;
use balai_core::Db;

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

/// May this official act on the report? A writer of its agency, or a super-admin.
pub fn may_act(actor: &Actor, c: &Complaint) -> ComplaintResult<()> {
    actor.require_writer()?;
    if actor.is_superadmin()
        || (c.agency_id.is_some() && actor.agency.as_ref().map(|a| a.id) == c.agency_id)
    {
        Ok(())
    } else {
        Err(ComplaintError::Forbidden)
    }
}
