//! Record one appointment (form or API): check it, authorize, compute its flags against the
//! current schedules of the elections over its region, store both and audit, in one
//! transaction (so a schedule changed meanwhile is either seen here or recomputes this row).

use balai_core::audit::{self, AuditEvent};
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use serde_json::json;

use super::authorize::require;
use crate::domain::appointment::{validate, Draft, NewAppointment};
use crate::domain::audit as actions;
use crate::domain::permissions::Action;
use crate::domain::window::{self, Dated, Flag};
use crate::errors::{NResult, NeutralityError};
use crate::queries::windows;
use crate::store::appointments::{self, RecordedBy, Source};
use crate::store::flags;

/// A stored appointment and its flags.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub id: i64,
    pub flags: Vec<Flag>,
}

pub async fn record(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    draft: &Draft,
    source: Source,
) -> NResult<Recorded> {
    let a = validate(draft, super::today())?;
    require(actor, &a.region, Action::RecordAppointment)?;
    let mut tx = ctx.begin().await?;
    if !balai_core::regions::exists_in_tx(&mut tx, a.region.as_str()).await? {
        return Err(NeutralityError::UnknownRegion);
    }
    let done = store_one(&mut tx, &a, source, recorded_by(actor)).await?;
    audit::record(&mut tx, &meta.audit(Some(actor)), event(&a, &done, source)).await?;
    tx.commit().await?;
    Ok(done)
}

/// Who records, as the table keeps it.
pub(super) fn recorded_by(actor: &Actor) -> RecordedBy {
    RecordedBy {
        agency_id: actor.agency.as_ref().map(|g| g.id),
        user_id: actor.user.id,
    }
}

/// Store one checked appointment with its flags, in the caller's transaction (the demo world
/// loads its appointments through this too).
pub async fn store_one(
    tx: &mut balai_core::Tx,
    a: &NewAppointment,
    source: Source,
    by: RecordedBy,
) -> NResult<Recorded> {
    let elections = windows::over_tx(tx, &a.region).await?;
    let computed = window::flags(
        &Dated {
            decree_date: a.decree_date,
            effective_date: a.effective_date,
            approved: a.minister_approval_ref.is_some(),
        },
        &windows::as_pairs(&elections),
    );
    let id = appointments::insert(tx, a, source, by).await?;
    let versioned: Vec<(Flag, i64)> = computed
        .iter()
        .map(|f| {
            let v = elections
                .iter()
                .find(|e| e.id == f.election_id)
                .map_or(0, |e| e.version);
            (*f, v)
        })
        .collect();
    flags::insert(tx, id, &versioned).await?;
    Ok(Recorded {
        id,
        flags: computed,
    })
}

/// The audit event of a recorded appointment (no NIP in it: the log is read by admins of
/// other agencies too).
pub(super) fn event(a: &NewAppointment, done: &Recorded, source: Source) -> AuditEvent<'static> {
    AuditEvent {
        action: actions::APPOINTMENT_RECORDED,
        target_kind: actions::TARGET_APPOINTMENT,
        target_id: done.id.to_string(),
        region_code: Some(a.region.as_str().to_string()),
        summary: json!({
            "source": source.as_str(),
            "decree_number": a.decree_number,
            "decree_date": a.decree_date.to_string(),
            "approval": a.minister_approval_ref,
            "flags": done.flags.iter().map(|f| json!({
                "rule": f.rule.as_str(), "election_id": f.election_id, "approved": f.approved
            })).collect::<Vec<_>>(),
        }),
    }
}
