//! The check every official's action makes: the role table ([`crate::domain::permissions::may`])
//! and a KPU whose area covers the region (the election's, or a TPS's village).

use balai_core::accounts::AgencyKind;
use balai_core::web::actor::Actor;

use crate::domain::permissions::{may, Action};
use crate::errors::{VResult, VoterError};

pub fn require(actor: &Actor, region: &str, action: Action) -> VResult<()> {
    if actor.is_superadmin() {
        return Ok(());
    }
    if actor.scope.covers(region, AgencyKind::Kpu.as_str())
        && actor.agency.as_ref().is_some_and(|a| a.is(AgencyKind::Kpu))
        && may(actor.role, action)
    {
        Ok(())
    } else {
        Err(VoterError::Forbidden)
    }
}
