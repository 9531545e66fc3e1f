//! The check every write and every read of the NIP makes: the role table
//! ([`crate::domain::permissions::may`]) and the agency rule ([`crate::domain::access`]).

use balai_core::regions::RegionCode;
use balai_core::web::actor::Actor;

use crate::domain::access::{agency_serves, AgencyView};
use crate::domain::permissions::{may, Action};
use crate::errors::{NResult, NeutralityError};

/// May this official take `action` for appointments of `region`? A super-admin may.
pub fn require(actor: &Actor, region: &RegionCode, action: Action) -> NResult<()> {
    if actor.is_superadmin() {
        return Ok(());
    }
    let Some(agency) = &actor.agency else {
        return Err(NeutralityError::Forbidden);
    };
    let view = AgencyView {
        kind: &agency.kind,
        region_code: &agency.region_code,
    };
    if agency_serves(view, region) && may(actor.role, action) {
        Ok(())
    } else {
        Err(NeutralityError::Forbidden)
    }
}
