//! Decide the current step of a case: Bawaslu's recommendation (naming the forbidden act),
//! BKN's recommendation (naming the sanction), the PPK's sanction, BKN's follow-up check. Only
//! the step's own agency decides it (duties separated), and Bawaslu's recommendation is not
//! recorded by the official who opened the case. The step row with its documents and timing,
//! the case's next stage, the clocks and the audit event are written in one transaction.

use balai_core::audit::{self, AuditEvent};
use balai_core::calendar;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use serde_json::json;
use time::Date;

use super::{by, CLOCK_SUBJECT};
use crate::domain::audit as actions;
use crate::domain::case::{next, Decision, Outcome, Stage};
use crate::domain::case_access::CaseAction;
use crate::domain::case_input::{validate_step, Invalid, StepDecision, StepDraft};
use crate::domain::settings::clocks;
use crate::errors::{NResult, NeutralityError};
use crate::queries::case_scope::{part, visible};
use crate::store::cases::{self, Timing};

/// Where the decision took the case.
#[derive(Clone, Copy, Debug)]
pub struct Decided {
    pub stage: Stage,
    pub outcome: Option<Outcome>,
    /// The next step's due day (none once closed).
    pub due_on: Option<Date>,
    /// Working days the decided step took.
    pub working_days: i64,
}

pub async fn decide(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    case_id: i64,
    draft: &StepDraft,
) -> NResult<Decided> {
    let today = super::super::today();
    let d = validate_step(draft, today).map_err(NeutralityError::CaseInvalid)?;
    let cal = calendar::load(&ctx.db).await?;
    let subject = case_id.to_string();
    // The running clocks of the case, read before the write transaction begins.
    let running: Vec<calendar::Clock> = {
        let mut v = Vec::new();
        for s in Stage::STEPS {
            v.extend(calendar::get_clock(&ctx.db, CLOCK_SUBJECT, &subject, s.as_str()).await?);
        }
        v
    };
    let mut tx = ctx.begin().await?;
    let row = cases::get_for_update(&mut tx, case_id)
        .await?
        .ok_or(NeutralityError::CaseNotFound)?;
    let stage = row.stage();
    authorize(actor, &row, &d)?;
    let (to, outcome) = next(stage, d.decision).map_err(NeutralityError::WrongDecision)?;
    let due_on = running
        .iter()
        .find(|c| c.purpose == stage.as_str())
        .map_or_else(
            || cal.add_working_days(row.stage_started_on, clocks(ctx).of(stage)),
            |c| c.due_day,
        );
    let timing = Timing {
        started_on: row.stage_started_on,
        due_on,
        working_days: cal.working_days_between(row.stage_started_on, d.decided_on),
    };
    cases::insert_step(&mut tx, case_id, &d, timing, by(actor)).await?;
    cases::advance(&mut tx, case_id, to, outcome, &d).await?;
    calendar::stop_clock(&mut tx, CLOCK_SUBJECT, &subject, stage.as_str()).await?;
    let next_due = if to == Stage::Closed {
        None
    } else {
        let n = clocks(ctx).of(to);
        let due = calendar::start_clock(
            &mut tx,
            CLOCK_SUBJECT,
            &subject,
            to.as_str(),
            d.decided_on,
            n,
        )
        .await?;
        Some(due)
    };
    let (act, sanction) = match d.decision {
        Decision::Violation { act, sanction } => (act, sanction),
        Decision::Sanctioned(s) => (None, Some(s)),
        _ => (None, None),
    };
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: actions::CASE_STEP_DECIDED,
            target_kind: actions::TARGET_CASE,
            target_id: subject.clone(),
            region_code: Some(row.region_code.clone()),
            summary: json!({
                "step": stage.as_str(),
                "decision": d.decision.as_str(),
                "forbidden_act": act.map(|a| a.as_str()),
                "sanction": sanction.map(|s| s.as_str()),
                "reference": d.reference,
                "documents": d.documents.len(),
                "decided_on": d.decided_on.to_string(),
                "working_days": timing.working_days,
                "due_on": due_on.to_string(),
                "to": to.as_str(),
                "outcome": outcome.map(Outcome::as_str),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Decided {
        stage: to,
        outcome,
        due_on: next_due,
        working_days: timing.working_days,
    })
}

/// May this official decide this case's current step with this decision? The case must be
/// visible to them (else `404`), the step still the current one (else `409`), theirs to decide
/// (else `403`), not opened by them if it is Bawaslu's recommendation, and decided on a day
/// the step ran.
fn authorize(actor: &Actor, row: &cases::CaseRow, d: &StepDecision) -> NResult<()> {
    let stage = row.stage();
    visible(actor, &row.region_code, stage)?;
    actor
        .require_writer()
        .map_err(|_| NeutralityError::Forbidden)?;
    if d.step != stage {
        return Err(NeutralityError::StaleStep);
    }
    let p = part(actor, &row.region_code, CaseAction::DecideStep)
        .filter(|p| p.decides(stage))
        .ok_or(NeutralityError::Forbidden)?;
    if stage == Stage::BawasluExamination
        && row.opened_by == actor.user.id
        && p != crate::queries::case_scope::Part::SuperAdmin
    {
        return Err(NeutralityError::OwnCase);
    }
    if d.decided_on < row.stage_started_on {
        return Err(NeutralityError::CaseInvalid(Invalid::DateInFuture));
    }
    Ok(())
}
