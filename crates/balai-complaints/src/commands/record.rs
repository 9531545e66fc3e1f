//! A report's audit events: labelled with the kind of the agency that holds the report, so
//! only that kind's admins (and the super-admin) read them, and never holding the tracking
//! code (staff refer to a report by its id).

use balai_core::audit::{self, AuditContext, AuditEvent};
use balai_core::Tx;

use crate::store;

/// The kind label of a report no agency holds: only the super-admin reads its events.
pub const NO_AGENCY: &str = "none";

/// Record `ev` about a report held by `agency_id` (before the change; the new holder when
/// there was none).
pub async fn report_event(
    tx: &mut Tx,
    ctx: &AuditContext,
    agency_id: Option<i64>,
    ev: AuditEvent<'_>,
) -> Result<(), sqlx::Error> {
    let kind = match agency_id {
        Some(id) => store::agency_in_tx(tx, id).await?.map(|a| a.kind),
        None => None,
    };
    let ctx = ctx.for_agency_kind(Some(kind.as_deref().unwrap_or(NO_AGENCY)));
    audit::record(tx, &ctx, ev).await
}
