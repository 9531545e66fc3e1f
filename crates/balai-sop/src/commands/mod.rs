//! One module per write use case; each authorizes, decides with the domain rules, stores and
//! records its audit event in one transaction.

pub mod adopt;
pub mod attendance;
pub mod create;
pub mod demo;
pub mod review;
pub mod roster;
pub mod training;
pub mod versions;

use balai_core::audit::{self, AuditEvent};
use balai_core::identity::Actor;
use balai_core::web::actor::ReqMeta;
use balai_core::Tx;

use crate::domain::access::may_act;
use crate::domain::audit::TARGET_SOP;
use crate::domain::permissions::SopAction;
use crate::domain::steps::MAX_TEXT;
use crate::errors::{SopError, SopResult};
use crate::store::{self, SopRow};

/// An optional text field, trimmed, at most [`MAX_TEXT`] characters.
fn text(s: &str, what_id: &'static str, what_en: &'static str) -> SopResult<String> {
    let t = s.trim();
    // The length as sent (the API document states it of the text before trimming).
    if s.chars().count() > MAX_TEXT {
        return Err(SopError::TooLong { what_id, what_en });
    }
    Ok(t.to_string())
}

/// A version's author: the actor's user id and name.
fn author(actor: &Actor) -> (Option<i64>, &str) {
    (Some(actor.user.id), &actor.user.display_name)
}

/// Record an event on SOP `id` of `region`.
async fn record(
    tx: &mut Tx,
    meta: &ReqMeta,
    actor: &Actor,
    action: &str,
    id: i64,
    region: &str,
    summary: serde_json::Value,
) -> SopResult<()> {
    audit::record(
        tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action,
            target_kind: TARGET_SOP,
            target_id: id.to_string(),
            region_code: Some(region.to_string()),
            summary,
        },
    )
    .await?;
    Ok(())
}

/// The SOP `id`, which the actor's agency owns and may take `action` on.
pub(crate) async fn owned(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    action: SopAction,
) -> SopResult<SopRow> {
    let sop = store::sop_tx(tx, id).await?.ok_or(SopError::NotFound)?;
    if !may_act(actor, action, sop.agency_id) {
        // Someone of another agency who could read it (it is published) is told no; a draft
        // stays unknown to them.
        let published = store::versions_tx(tx, id)
            .await?
            .iter()
            .any(|v| v.published_at.is_some());
        return Err(if published {
            SopError::Forbidden
        } else {
            SopError::NotFound
        });
    }
    Ok(sop)
}
