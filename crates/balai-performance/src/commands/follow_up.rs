//! The unit's admin or supervisor records an action of the follow-up plan for the lowest
//! elements of a survey period, and updates it as it goes (status, progress, due date).

use balai_core::audit::{self, AuditEvent};
use balai_core::ids::AgencyId;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use serde_json::json;
use time::Date;

use crate::domain::audit as actions;
use crate::domain::follow_up::{element, Action, ActionError};
use crate::domain::period;
use crate::domain::permissions::{acts_for, PerfAction};
use crate::errors::{PerfResult, PerformanceError};
use crate::store::follow_ups::{self, NewFollowUp};

/// An action as written on the form or in the API, not yet checked.
#[derive(Default)]
pub struct ActionInput {
    pub plan: String,
    pub owner: String,
    /// YYYY-MM-DD; absent: no due day (a form's empty field). Present, it must be a date.
    pub due_on: Option<String>,
    /// `planned` (default), `in_progress`, `done`, `dropped`.
    pub status: String,
    pub progress: String,
}

impl ActionInput {
    fn check(&self) -> PerfResult<Action> {
        let due_on = match self.due_on.as_deref() {
            None => None,
            Some(due) => Some(
                period::parse_day(due.trim())
                    .ok_or(PerformanceError::BadFollowUp(ActionError::Due))?,
            ),
        };
        Action::parse(
            &self.plan,
            &self.owner,
            due_on,
            &self.status,
            &self.progress,
        )
        .map_err(PerformanceError::BadFollowUp)
    }
}

/// The unit, if the actor may record its follow-up plan.
async fn authorized(
    ctx: &AppCtx,
    actor: &Actor,
    agency_id: AgencyId,
) -> PerfResult<balai_core::accounts::Agency> {
    let unit = super::unit(&ctx.db, agency_id).await?;
    if !acts_for(actor, &unit, PerfAction::RecordFollowUp) {
        return Err(PerformanceError::Forbidden);
    }
    Ok(unit)
}

/// Record an action for `element` (1–9) of the survey period `from..=to`; its id.
pub async fn record(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    agency_id: AgencyId,
    (from, to): (Date, Date),
    element_no: i64,
    input: &ActionInput,
) -> PerfResult<i64> {
    let unit = authorized(ctx, actor, agency_id).await?;
    if !period::check(from, to) {
        return Err(PerformanceError::BadPeriod);
    }
    let el = element(element_no).map_err(PerformanceError::BadFollowUp)?;
    let action = input.check()?;
    let mut tx = ctx.begin().await?;
    let id = follow_ups::insert(
        &mut tx,
        &NewFollowUp {
            agency_id,
            from,
            to,
            element: el,
            action: &action,
        },
    )
    .await?;
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: actions::FOLLOW_UP_RECORDED,
            target_kind: actions::TARGET_AGENCY,
            target_id: unit.id.to_string(),
            region_code: Some(unit.region_code.clone()),
            summary: json!({ "follow_up": id, "element": el, "period_from": from.to_string(),
                "period_to": to.to_string(), "status": action.status.as_str() }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Rewrite an action (its plan, owner, due date, status, progress); 404 if the unit has none.
pub async fn update(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    agency_id: AgencyId,
    id: i64,
    input: &ActionInput,
) -> PerfResult<Action> {
    let unit = authorized(ctx, actor, agency_id).await?;
    let action = input.check()?;
    let mut tx = ctx.begin().await?;
    if !follow_ups::update(&mut tx, agency_id, id, &action).await? {
        return Err(PerformanceError::NotFound);
    }
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: actions::FOLLOW_UP_UPDATED,
            target_kind: actions::TARGET_AGENCY,
            target_id: unit.id.to_string(),
            region_code: Some(unit.region_code.clone()),
            summary: json!({ "follow_up": id, "status": action.status.as_str() }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(action)
}
