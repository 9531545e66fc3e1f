//! Beside the role table: an official acts only for their own agency's SOPs. A province's
//! officials do not edit a regency's adoption, nor a regency's the province's SOP.

use balai_core::identity::Actor;

use balai_core::regions::RegionCode;

use super::permissions::{may, may_train, SopAction, TrainingAction};

/// May `actor` take `action` on an SOP owned by agency `owner`?
pub fn may_act(actor: &Actor, action: SopAction, owner: i64) -> bool {
    actor.is_superadmin()
        || (actor.agency.as_ref().is_some_and(|a| a.id == owner) && may(actor.role, action))
}

/// May `actor` see an SOP that is not published (its drafts)? Its owner's officials, any role,
/// and the super-admin.
pub fn may_see_drafts(actor: Option<&Actor>, owner: i64) -> bool {
    actor.is_some_and(|a| a.is_superadmin() || a.agency.as_ref().is_some_and(|ag| ag.id == owner))
}

/// May `actor` take a training `action` for `region` (a regency, or a province for sessions)?
/// An official of a KPU whose region is `region` or contains it (a province KPU reads and
/// trains for its regencies too); writing the roster is the regency KPU's own. The
/// super-admin may do everything.
pub fn may_train_in(actor: &Actor, action: TrainingAction, region: &RegionCode) -> bool {
    if actor.is_superadmin() {
        return true;
    }
    let Some(a) = actor.agency.as_ref().filter(|a| a.kind == "kpu") else {
        return false;
    };
    let covers = match action {
        TrainingAction::EditRoster => a.region_code == region.as_str(),
        _ => RegionCode::parse(&a.region_code).is_ok_and(|own| own.contains(region.as_str())),
    };
    covers && may_train(actor.role, action)
}

/// May `actor` see a session held by agency `agency_id` for `region`: an official of a KPU
/// covering the region, or of the holding agency.
pub fn may_read_training(actor: &Actor, region: &str, agency_id: i64) -> bool {
    RegionCode::parse(region).is_ok_and(|r| may_train_in(actor, TrainingAction::Read, &r))
        || actor.agency.as_ref().is_some_and(|a| a.id == agency_id)
}
