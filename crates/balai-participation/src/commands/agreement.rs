//! Record an agreement (an admin, supervisor or officer of one of its agencies), renew one (of
//! an agency that is a party; each schedules the parties' expiry reminder), and end one early
//! (the same officials, with a date and a reason; shown in its public history).

use balai_core::audit::AuditEvent;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use balai_core::Tx;
use serde_json::json;

use super::authorize::{acts_for, agency_id, audited, by, require};
use crate::domain::access::common_region;
use crate::domain::agreement::{validate, validate_renewal, Draft, RenewalDraft};
use crate::domain::audit as actions;
use crate::domain::ending::{self, EndDraft, Term};
use crate::domain::invalid::Invalid;
use crate::domain::permissions::Action;
use crate::errors::{PResult, ParticipationError};
use crate::store::agreements::AgreementRow;
use crate::store::{activities, agencies, agreements, changes};

pub async fn record(ctx: &AppCtx, meta: &ReqMeta, actor: &Actor, draft: &Draft) -> PResult<i64> {
    let a = validate(draft)?;
    require(actor, Action::RecordAgreement)?;
    if !actor.is_superadmin() && !a.agency_ids.iter().any(|id| Some(*id) == agency_id(actor)) {
        // Only a party records the agreement.
        return Err(ParticipationError::Forbidden);
    }
    let mut tx = ctx.begin().await?;
    let found = agencies::by_ids_tx(&mut tx, &a.agency_ids).await?;
    if let Some(missing) = a
        .agency_ids
        .iter()
        .find(|id| !found.iter().any(|g| g.id == **id))
    {
        return Err(Invalid::UnknownAgency(*missing).into());
    }
    let region = common_region(found.iter().map(|g| g.region_code.as_str()))
        .ok_or(Invalid::NoCommonRegion)?;
    let parties: Vec<(Option<i64>, String)> = a
        .agency_ids
        .iter()
        .filter_map(|id| found.iter().find(|g| g.id == *id))
        .map(|g| (Some(g.id), g.name.clone()))
        .chain(a.other_parties.iter().map(|n| (None, n.clone())))
        .collect();
    let id = agreements::insert(&mut tx, &a, &region, &parties, by(actor)).await?;
    crate::jobs::schedule_reminder(&mut tx, id, a.valid_until).await?;
    audited(
        &mut tx,
        meta,
        actor,
        AuditEvent {
            action: actions::AGREEMENT_RECORDED,
            target_kind: actions::TARGET_AGREEMENT,
            target_id: id.to_string(),
            region_code: Some(region.clone()),
            summary: json!({
                "number": a.number,
                "title": a.title,
                "agency_ids": a.agency_ids,
                "other_parties": a.other_parties,
                "valid_from": a.valid_from.to_string(),
                "valid_until": a.valid_until.to_string(),
                "clauses": a.clauses.len(),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The agreement, locked for a change by an official of one of its agencies.
async fn locked_by_a_party(tx: &mut Tx, actor: &Actor, id: i64) -> PResult<AgreementRow> {
    let Some(current) = agreements::lock(tx, id).await? else {
        return Err(ParticipationError::NotFound);
    };
    let parties = agreements::party_agencies(tx, id).await?;
    if !parties.iter().any(|p| acts_for(actor, Some(*p))) {
        return Err(ParticipationError::Forbidden);
    }
    Ok(current)
}

pub async fn renew(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    id: i64,
    draft: &RenewalDraft,
) -> PResult<()> {
    require(actor, Action::RecordAgreement)?;
    let mut tx = ctx.begin().await?;
    let current = locked_by_a_party(&mut tx, actor, id).await?;
    if current.ended_on.is_some() {
        return Err(Invalid::AlreadyEnded.into());
    }
    let r = validate_renewal(draft, current.valid_until)?;
    agreements::renew(&mut tx, id, current.valid_until, &r, by(actor)).await?;
    crate::jobs::schedule_reminder(&mut tx, id, r.valid_until).await?;
    audited(
        &mut tx,
        meta,
        actor,
        AuditEvent {
            action: actions::AGREEMENT_RENEWED,
            target_kind: actions::TARGET_AGREEMENT,
            target_id: id.to_string(),
            region_code: Some(current.region_code.clone()),
            summary: json!({
                "number": r.number,
                "signed_on": r.signed_on.to_string(),
                "previous_until": current.valid_until.to_string(),
                "valid_until": r.valid_until.to_string(),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// End an agreement before its validity runs out: an official of one of its agencies, once,
/// dated from its signing to the end of its validity, and not before an activity already
/// carrying it out. The end goes into its public history and the audit trail together.
pub async fn end(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    id: i64,
    draft: &EndDraft,
) -> PResult<()> {
    let e = ending::parse(draft)?;
    require(actor, Action::RecordAgreement)?;
    let mut tx = ctx.begin().await?;
    let current = locked_by_a_party(&mut tx, actor, id).await?;
    ending::check(
        &e,
        Term {
            signed_on: current.signed_on,
            valid_until: current.valid_until,
            ended_on: current.ended_on,
        },
    )?;
    if activities::of_agreement(&ctx.db, id)
        .await?
        .iter()
        .any(|r| !r.withdrawn() && r.day >= e.ended_on)
    {
        return Err(Invalid::ActivitiesAfterEnd.into());
    }
    let agency = super::edit::editor(actor);
    if agreements::end(&mut tx, id, &e, (by(actor), agency.as_str())).await? == 0 {
        return Err(Invalid::AlreadyEnded.into());
    }
    let before = json!({ "end_reason": "", "ended_on": "" });
    let after = json!({ "end_reason": e.reason, "ended_on": e.ended_on.to_string() });
    changes::insert(
        &mut tx,
        (actions::TARGET_AGREEMENT, id),
        (by(actor), agency.as_str()),
        (&before, &after),
    )
    .await?;
    audited(
        &mut tx,
        meta,
        actor,
        AuditEvent {
            action: actions::AGREEMENT_ENDED,
            target_kind: actions::TARGET_AGREEMENT,
            target_id: id.to_string(),
            region_code: Some(current.region_code.clone()),
            summary: json!({
                "ended_on": e.ended_on.to_string(),
                "reason": e.reason,
                "valid_until": current.valid_until.to_string(),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
