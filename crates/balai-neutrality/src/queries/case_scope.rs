//! Which part an official plays in a case: the kind of handling agency they act for (Bawaslu,
//! BKN or the region's Pemda), or a super-admin; everyone else has none, and a case they may
//! not see is answered `404` so its existence does not leak.

use balai_core::accounts::AgencyKind;
use balai_core::regions::RegionCode;
use balai_core::web::actor::Actor;

use crate::domain::access::AgencyView;
use crate::domain::case::Stage;
use crate::domain::case_access::{handles, may, sees, CaseAction};
use crate::errors::{NResult, NeutralityError};

/// The official's part in cases of one region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    SuperAdmin,
    Agency(AgencyKind),
}

impl Part {
    /// May this part see a case at this stage?
    pub fn sees(self, stage: Stage) -> bool {
        match self {
            Part::SuperAdmin => true,
            Part::Agency(k) => sees(k, stage),
        }
    }

    /// May this part decide this step (its own agency's step)?
    pub fn decides(self, stage: Stage) -> bool {
        match self {
            Part::SuperAdmin => stage != Stage::Closed,
            Part::Agency(k) => crate::domain::case_access::decides(k, stage),
        }
    }
}

/// The part of `actor` in cases of officials of `region`, if it handles them and its role
/// allows `action`.
pub fn part(actor: &Actor, region: &str, action: CaseAction) -> Option<Part> {
    if actor.is_superadmin() {
        return Some(Part::SuperAdmin);
    }
    let agency = actor.agency.as_ref()?;
    let region = RegionCode::parse(region).ok()?;
    let kind = handles(
        AgencyView {
            kind: &agency.kind,
            region_code: &agency.region_code,
        },
        &region,
    )?;
    may(actor.role, action).then_some(Part::Agency(kind))
}

/// The part of `actor` in one case it must be able to see, else `404`.
pub fn visible(actor: &Actor, region: &str, stage: Stage) -> NResult<Part> {
    part(actor, region, CaseAction::ReadCase)
        .filter(|p| p.sees(stage))
        .ok_or(NeutralityError::CaseNotFound)
}
