//! The checks every write makes first: the role table ([`crate::domain::permissions::may`])
//! for an official of some agency; which agency may act on the record is checked by each
//! command with [`crate::domain::access`].

use balai_core::audit::{self, AuditEvent};
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::Tx;

use crate::domain::permissions::{may, Action};
use crate::errors::{PResult, ParticipationError};
use crate::store::By;

/// May this official take `action` at all? A super-admin may; an official needs an agency and
/// a role the table allows.
pub fn require(actor: &Actor, action: Action) -> PResult<()> {
    if actor.is_superadmin() {
        return Ok(());
    }
    if actor.agency.is_some() && may(actor.role, action) {
        Ok(())
    } else {
        Err(ParticipationError::Forbidden)
    }
}

/// The acting official's agency id (`None` for a super-admin without one).
pub fn agency_id(actor: &Actor) -> Option<i64> {
    actor.agency.as_ref().map(|a| a.id)
}

/// Is the official's agency `id`, or the official a super-admin?
pub fn acts_for(actor: &Actor, id: Option<i64>) -> bool {
    actor.is_superadmin() || (id.is_some() && agency_id(actor) == id)
}

pub fn by(actor: &Actor) -> By {
    By {
        agency_id: agency_id(actor),
        user_id: actor.user.id,
    }
}

/// Record one audit event of the feature in the caller's transaction.
pub async fn audited(
    tx: &mut Tx,
    meta: &ReqMeta,
    actor: &Actor,
    event: AuditEvent<'_>,
) -> PResult<()> {
    audit::record(tx, &meta.audit(Some(actor)), event).await?;
    Ok(())
}
