//! Beside the role table: an official acts only for their own agency's SOPs. A province's
//! officials do not edit a regency's adoption, nor a regency's the province's SOP.

use balai_core::identity::Actor;

use super::permissions::{may, SopAction};

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
