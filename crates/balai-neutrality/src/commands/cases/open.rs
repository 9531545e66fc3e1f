//! Open a neutrality case: Bawaslu from a complaint Aduan routed to it (category ASN
//! neutrality, linked by the complaint's id, never its tracking code) or from its own finding;
//! BKN from its own entry. The case, its first step's clock and the audit event are written in
//! one transaction; the audit row names no official.

use balai_core::accounts::AgencyKind;
use balai_core::audit::{self, AuditEvent};
use balai_core::calendar;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use serde_json::json;
use time::Date;

use super::{by, CLOCK_SUBJECT};
use crate::domain::audit as actions;
use crate::domain::case::{Origin, Stage};
use crate::domain::case_access::CaseAction;
use crate::domain::case_input::{validate_case, CaseDraft, NewCase};
use crate::domain::settings::clocks;
use crate::errors::{NResult, NeutralityError};
use crate::queries::case_scope::{part, Part};
use crate::store::cases;

/// The report category Aduan routes to Bawaslu for ASN neutrality (`complaints.report_type`).
pub const NEUTRALITY_REPORT_TYPE: &str = "netralitas_asn";

/// An opened case.
#[derive(Clone, Copy, Debug)]
pub struct Opened {
    pub id: i64,
    pub stage: Stage,
    pub due_on: Date,
}

pub async fn open(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    draft: &CaseDraft,
) -> NResult<Opened> {
    let c = validate_case(draft).map_err(NeutralityError::CaseInvalid)?;
    // Whether a region exists is no secret: say so before who may act on it.
    if balai_core::regions::get(&ctx.db, &c.region)
        .await?
        .is_none()
    {
        return Err(NeutralityError::UnknownRegion);
    }
    actor
        .require_writer()
        .map_err(|_| NeutralityError::Forbidden)?;
    let p =
        part(actor, c.region.as_str(), CaseAction::OpenCase).ok_or(NeutralityError::Forbidden)?;
    let origin = origin_for(&c, p)?;
    let today = super::super::today();
    let mut tx = ctx.begin().await?;
    if let Some(cid) = c.complaint_id {
        let found = cases::complaint(&mut tx, cid)
            .await?
            .filter(|k| actor.is_superadmin() || k.agency_id == actor.agency.as_ref().map(|a| a.id))
            .ok_or(NeutralityError::UnknownComplaint)?;
        if found.report_type != NEUTRALITY_REPORT_TYPE {
            return Err(NeutralityError::ComplaintNotNeutrality);
        }
        if cases::case_of_complaint(&mut tx, cid).await?.is_some() {
            return Err(NeutralityError::ComplaintHasCase);
        }
    }
    let id = cases::insert(&mut tx, &c, origin, today, by(actor)).await?;
    let stage = origin.first_stage();
    let due_on = calendar::start_clock(
        &mut tx,
        CLOCK_SUBJECT,
        &id.to_string(),
        stage.as_str(),
        today,
        clocks(ctx).of(stage),
    )
    .await?;
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: actions::CASE_OPENED,
            target_kind: actions::TARGET_CASE,
            target_id: id.to_string(),
            region_code: Some(c.region.as_str().to_string()),
            summary: json!({
                "origin": origin.as_str(),
                "complaint_id": c.complaint_id,
                "stage": stage.as_str(),
                "due_on": due_on.to_string(),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Opened { id, stage, due_on })
}

/// The case's origin: a complaint when one is named, else the one given, else the opening
/// agency's own (Bawaslu's finding, BKN's entry). It must be the opening agency's: a Pemda
/// opens no case.
fn origin_for(c: &NewCase, p: Part) -> NResult<Origin> {
    let origin = match (c.complaint_id, c.origin, p) {
        (Some(_), _, _) => Origin::Complaint,
        (None, Some(o), _) => o,
        (None, None, Part::Agency(AgencyKind::Bkn)) => Origin::BknEntry,
        (None, None, Part::Agency(AgencyKind::Bawaslu) | Part::SuperAdmin) => {
            Origin::BawasluFinding
        }
        (None, None, Part::Agency(_)) => return Err(NeutralityError::Forbidden),
    };
    match p {
        Part::SuperAdmin => Ok(origin),
        Part::Agency(AgencyKind::Pemda) => Err(NeutralityError::Forbidden),
        Part::Agency(k) if k == origin.opened_by() => Ok(origin),
        Part::Agency(_) => Err(NeutralityError::OriginMismatch),
    }
}
