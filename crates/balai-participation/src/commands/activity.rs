//! Record an activity or meeting: by an official of the organising agency, inside its
//! region; under an agreement, only by a party, inside the agreement's region and period and
//! naming one of its clauses (if any).

use balai_core::audit::AuditEvent;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use serde_json::json;

use super::authorize::{acts_for, audited, by, require};
use crate::domain::access::covers;
use crate::domain::activity::{fits, validate, AgreementFrame, Draft};
use crate::domain::audit as actions;
use crate::domain::invalid::Invalid;
use crate::domain::permissions::Action;
use crate::errors::{PResult, ParticipationError};
use crate::store::{activities, agencies, agreements};

pub async fn record(ctx: &AppCtx, meta: &ReqMeta, actor: &Actor, draft: &Draft) -> PResult<i64> {
    let a = validate(draft)?;
    require(actor, Action::RecordActivity)?;
    let mut tx = ctx.begin().await?;
    if !balai_core::regions::exists_in_tx(&mut tx, a.region.as_str()).await? {
        return Err(ParticipationError::UnknownRegion);
    }
    let mut organiser = actor.agency.as_ref().map(|g| (Some(g.id), g.name.clone()));
    if let Some(agreement_id) = a.agreement_id {
        let Some(ag) = agreements::lock(&mut tx, agreement_id).await? else {
            return Err(Invalid::UnknownAgreement.into());
        };
        let parties = agreements::party_agencies(&mut tx, agreement_id).await?;
        if !parties.iter().any(|p| acts_for(actor, Some(*p))) {
            return Err(ParticipationError::Forbidden);
        }
        let frame = AgreementFrame {
            region_code: &ag.region_code,
            valid_from: ag.valid_from,
            valid_until: crate::domain::ending::last_day_in_force(ag.valid_until, ag.ended_on),
            clauses: agreements::clause_count(&mut tx, agreement_id).await?,
        };
        fits(&a, frame)?;
        if organiser.is_none() {
            // A super-admin records it on behalf of the agreement's first agency.
            let first = parties.first().copied();
            let found =
                agencies::by_ids_tx(&mut tx, &first.into_iter().collect::<Vec<_>>()).await?;
            organiser = found.first().map(|g| (Some(g.id), g.name.clone()));
        }
    }
    if let Some(g) = &actor.agency {
        if !actor.is_superadmin() && !covers(&g.region_code, a.region.as_str()) {
            return Err(ParticipationError::Forbidden);
        }
    }
    let named: Vec<i64> = a.attendance.iter().filter_map(|r| r.agency_id).collect();
    let found = agencies::by_ids_tx(&mut tx, &named).await?;
    if let Some(missing) = named.iter().find(|id| !found.iter().any(|g| g.id == **id)) {
        return Err(Invalid::UnknownAgency(*missing).into());
    }
    let (org_id, org_name) = organiser.unwrap_or((None, "Balai".to_string()));
    let id = activities::insert(&mut tx, &a, (org_id, &org_name), by(actor)).await?;
    audited(
        &mut tx,
        meta,
        actor,
        AuditEvent {
            action: actions::ACTIVITY_RECORDED,
            target_kind: actions::TARGET_ACTIVITY,
            target_id: id.to_string(),
            region_code: Some(a.region.as_str().to_string()),
            summary: json!({
                "title": a.title,
                "date": a.day.to_string(),
                "agreement_id": a.agreement_id,
                "clause": a.clause,
                "target_group": a.target_group.as_str(),
                "participants": a.participants,
                "institutions": a.attendance.len(),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}
