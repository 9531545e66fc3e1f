//! What the handling agencies read of neutrality cases: their list and one case with the
//! official's identity, the steps with their documents, the running clock, and the same
//! official's appointments (matched by NIP). Each read of identities is audited as
//! `personal_data.read`, naming the cases, never the official.

use balai_core::audit::{self, AuditEvent};
use balai_core::calendar;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use serde_json::json;
use time::Date;

use super::case_scope::{part, visible, Part};
use crate::domain::audit as actions;
use crate::domain::case::{Stage, CLOCK_SUBJECT};
use crate::domain::case_access::CaseAction;
use crate::errors::{NResult, NeutralityError};
use crate::store::appointments::PublicRow;
use crate::store::case_stats::appointments_with_nip;
use crate::store::cases::{self, CaseRow, Identity, StepRow};

/// A case in an agency's list.
#[derive(Clone, Debug)]
pub struct Listed {
    pub row: CaseRow,
    pub identity: Option<Identity>,
}

/// The cases the official may see, newest first.
pub async fn list(ctx: &AppCtx, meta: &ReqMeta, actor: &Actor) -> NResult<Vec<Listed>> {
    let rows = if actor.is_superadmin() {
        cases::all(&ctx.db).await?
    } else {
        let agency = actor.agency.as_ref().ok_or(NeutralityError::Forbidden)?;
        part(actor, &agency.region_code, CaseAction::ReadCase).ok_or(NeutralityError::Forbidden)?;
        // A Pemda also sees nothing above its own region; Bawaslu and BKN what lies under theirs.
        cases::under(&ctx.db, &agency.region_code).await?
    };
    let rows: Vec<CaseRow> = rows
        .into_iter()
        .filter(|r| {
            part(actor, &r.region_code, CaseAction::ReadCase).is_some_and(|p| p.sees(r.stage()))
        })
        .collect();
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut identities = cases::identity_of(&ctx.db, &ids).await?;
    if !ids.is_empty() {
        read_audited(ctx, meta, actor, "neutrality_case_list", &ids, None).await?;
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let identity = identities
                .iter()
                .position(|i| i.id == row.id)
                .map(|at| identities.swap_remove(at));
            Listed { row, identity }
        })
        .collect())
}

/// One case as its handling agencies see it.
#[derive(Clone, Debug)]
pub struct CaseView {
    pub row: CaseRow,
    pub identity: Identity,
    pub steps: Vec<StepRow>,
    /// The running step's due day.
    pub due_on: Option<Date>,
    /// Appointments recorded with the same NIP.
    pub appointments: Vec<PublicRow>,
    pub part: Part,
    /// May the official decide the current step?
    pub may_decide: bool,
}

pub async fn one(ctx: &AppCtx, meta: &ReqMeta, actor: &Actor, id: i64) -> NResult<CaseView> {
    let row = cases::get(&ctx.db, id)
        .await?
        .ok_or(NeutralityError::CaseNotFound)?;
    let stage = row.stage();
    let p = visible(actor, &row.region_code, stage)?;
    let identity = cases::identity_of(&ctx.db, &[id])
        .await?
        .into_iter()
        .next()
        .ok_or(NeutralityError::CaseNotFound)?;
    let appointments = match identity.nip.as_deref() {
        Some(nip) => appointments_with_nip(&ctx.db, nip).await?,
        None => Vec::new(),
    };
    read_audited(
        ctx,
        meta,
        actor,
        "neutrality_case",
        &[id],
        Some(&row.region_code),
    )
    .await?;
    let due_on = if stage == Stage::Closed {
        None
    } else {
        calendar::get_clock(&ctx.db, CLOCK_SUBJECT, &id.to_string(), stage.as_str())
            .await?
            .filter(|c| c.open)
            .map(|c| c.due_day)
    };
    let may_decide = actor.require_writer().is_ok()
        && part(actor, &row.region_code, CaseAction::DecideStep).is_some_and(|p| p.decides(stage))
        && !(stage == Stage::BawasluExamination
            && row.opened_by == actor.user.id
            && p != Part::SuperAdmin);
    Ok(CaseView {
        steps: cases::steps_of(&ctx.db, id).await?,
        row,
        identity,
        due_on,
        appointments,
        part: p,
        may_decide,
    })
}

/// Record a read of officials' identities (the NIP among them) in the audit log.
async fn read_audited(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    what: &str,
    ids: &[i64],
    region: Option<&str>,
) -> NResult<()> {
    let mut tx = ctx.begin().await?;
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: actions::PERSONAL_DATA_READ,
            target_kind: actions::TARGET_CASE,
            target_id: ids.first().map(i64::to_string).unwrap_or_default(),
            region_code: region.map(str::to_string),
            summary: json!({ "what": what, "cases": ids }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
