//! Who may see and work which application, and who may change a Disdukcapil's offerings.
//!
//! An application is routed to one Disdukcapil and, where the kelurahan has a counter in Balai,
//! to that counter: verification belongs to the counter (or the Disdukcapil without one),
//! processing to the Disdukcapil (DOMAIN §9).

use balai_core::accounts::{Agency, AgencyKind, Role, Scope};
use balai_core::ids::AgencyId;
use balai_core::web::actor::Actor;

use super::permissions::{may, StaffAction};
use super::workflow::Stage;

/// Where an application is routed: its Disdukcapil and, if any, its kelurahan counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Routing {
    pub disdukcapil: AgencyId,
    pub counter: Option<AgencyId>,
}

/// Is the actor's own agency of `kind` and the one with id `id`?
fn agency_is(actor: &Actor, kind: AgencyKind, id: Option<AgencyId>) -> bool {
    match (&actor.scope, id) {
        (
            Scope::Region {
                agency_id,
                agency_kind,
                ..
            },
            Some(want),
        ) => agency_kind == kind.as_str() && *agency_id == want.get(),
        _ => false,
    }
}

/// Officials see applications routed to their own Disdukcapil or kelurahan counter.
pub fn sees(actor: &Actor, to: Routing) -> bool {
    actor.scope == Scope::All
        || agency_is(actor, AgencyKind::Disdukcapil, Some(to.disdukcapil))
        || agency_is(actor, AgencyKind::Kelurahan, to.counter)
}

/// May the actor work an application at this stage?
pub fn works_stage(actor: &Actor, to: Routing, stage: Stage) -> bool {
    if actor.is_superadmin() {
        return true;
    }
    if actor.role == Role::Viewer {
        return false;
    }
    match stage {
        Stage::Verification => match to.counter {
            Some(counter) => agency_is(actor, AgencyKind::Kelurahan, Some(counter)),
            None => agency_is(actor, AgencyKind::Disdukcapil, Some(to.disdukcapil)),
        },
        Stage::Processing => agency_is(actor, AgencyKind::Disdukcapil, Some(to.disdukcapil)),
    }
}

pub fn is_supervisor(actor: &Actor) -> bool {
    actor.is_superadmin() || matches!(actor.role, Role::Supervisor | Role::Admin)
}

/// May this official file at a counter for this kelurahan?
pub fn counter_allowed(actor: &Actor, kelurahan: &str) -> bool {
    if actor.is_superadmin() {
        return true;
    }
    if !may(actor.role, StaffAction::FileAtCounter) {
        return false;
    }
    [AgencyKind::Kelurahan, AgencyKind::Disdukcapil]
        .iter()
        .any(|k| actor.scope.covers(kelurahan, k.as_str()))
}

/// May this official switch services on/off for the agency? A super-admin for any Disdukcapil,
/// an agency admin for their own Disdukcapil only.
pub fn may_manage_offerings(actor: &Actor, agency: &Agency) -> bool {
    if !agency.is(AgencyKind::Disdukcapil) {
        return false;
    }
    actor.is_superadmin()
        || (may(actor.role, StaffAction::ManageOfferings)
            && actor.agency.as_ref().is_some_and(|a| a.id == agency.id))
}

/// Of the Disdukcapil agencies, the one with the most specific region covering the kelurahan.
pub fn serving(all: Vec<Agency>, kelurahan: &str) -> Option<Agency> {
    all.into_iter()
        .filter(|a| {
            kelurahan == a.region_code
                || (kelurahan.starts_with(&a.region_code)
                    && kelurahan.as_bytes().get(a.region_code.len()) == Some(&b'.'))
        })
        .max_by_key(|a| a.region_code.len())
}
