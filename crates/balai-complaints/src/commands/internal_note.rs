//! An entry only officials see (a note, an assignment, a moderation step), with its audit
//! event.

use balai_core::audit::AuditEvent;
use balai_core::Tx;
use serde_json::json;

use super::record::report_event;
use super::transition::Who;
use crate::domain::timeline::Internal;
use crate::domain::{self};
use crate::store::{self, Complaint, NewEvent};

pub async fn internal_event(
    tx: &mut Tx,
    c: &Complaint,
    who: &Who<'_>,
    kind: Internal,
    body: &str,
    summary: serde_json::Value,
) -> Result<(), sqlx::Error> {
    store::add_event(
        tx,
        c.id,
        &NewEvent {
            kind: kind.kind(),
            public: false,
            actor_user_id: who.ctx.actor_user_id,
            actor_label: who.label,
            from_status: None,
            to_status: None,
            from_agency: None,
            to_agency: None,
            body,
        },
    )
    .await?;
    report_event(
        tx,
        who.ctx,
        c.agency_id,
        AuditEvent {
            action: kind.audit_action(),
            target_kind: domain::audit::SUBJECT,
            target_id: c.id.to_string(),
            region_code: c.village_code.clone(),
            summary: json!({ "detail": summary }),
        },
    )
    .await?;
    Ok(())
}
