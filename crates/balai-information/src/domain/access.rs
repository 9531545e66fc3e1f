//! Which requests an official sees and works: those addressed to their own agency (the PPID).
//! Anything else is answered as "not found", so a request's existence does not leak to another
//! city's PPID.

use balai_core::accounts::Scope;
use balai_core::ids::AgencyId;
use balai_core::web::actor::Actor;

use super::permissions::{may, StaffAction};

/// Is the request, addressed to `agency`, the actor's agency's?
pub fn sees(actor: &Actor, agency: AgencyId) -> bool {
    match &actor.scope {
        Scope::All => true,
        Scope::Region { agency_id, .. } => *agency_id == agency.get(),
        Scope::Nothing => false,
    }
}

/// May the actor take this step on a request of `agency`?
pub fn may_act(actor: &Actor, agency: AgencyId, action: StaffAction) -> bool {
    actor.is_superadmin() || (sees(actor, agency) && may(actor.role, action))
}
