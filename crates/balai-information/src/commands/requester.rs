//! The requester's own steps, with their tracking code and secret: the objection to the Atasan
//! PPID (within 30 working days of the answer or of the missed deadline), the dispute at the
//! Komisi Informasi (within 14 working days of the objection's answer or of its missed
//! deadline), and whether the answer satisfied them.

use balai_core::calendar;
use balai_core::web::actor::ReqMeta;
use balai_core::web::AppCtx;

use super::{store_step, today_at, Step};
use crate::domain::clocks::{self, Clock, KipClocks, SUBJECT_KIND};
use crate::domain::intake::{reason, ReasonField};
use crate::domain::status::{self, Action, Status};
use crate::errors::{InfoResult, InformationError};
use crate::queries::track::requester_row;
use crate::store::{Change, RequestRow};

/// What the requester does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequesterStep {
    Object { reason: String },
    Dispute { note: Option<String> },
    Rate { satisfied: bool },
}

impl RequesterStep {
    pub fn action(&self) -> Action {
        match self {
            RequesterStep::Object { .. } => Action::Object,
            RequesterStep::Dispute { .. } => Action::Dispute,
            RequesterStep::Rate { .. } => Action::Rate,
        }
    }
}

/// Parse a posted step: `object` (reason required), `dispute`, `rate` (`satisfied`).
pub fn parse(
    action: &str,
    reason_text: Option<&str>,
    satisfied: Option<bool>,
) -> InfoResult<RequesterStep> {
    Ok(match action.trim() {
        "object" => RequesterStep::Object {
            reason: reason(reason_text, ReasonField::Reason)?,
        },
        "dispute" => RequesterStep::Dispute {
            note: reason_text
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(|t| t.chars().take(crate::domain::intake::MAX_TEXT).collect()),
        },
        "rate" => RequesterStep::Rate {
            satisfied: satisfied.ok_or(InformationError::SatisfiedRequired)?,
        },
        _ => return Err(InformationError::UnknownAction),
    })
}

/// Is an objection in time today? The window starts at the answer or the missed due day.
fn objection_in_time(
    k: &KipClocks,
    cal: &calendar::Calendar,
    row: &RequestRow,
    today: time::Date,
) -> InfoResult<()> {
    let due = row.answer_due.unwrap_or(row.received_on);
    let answered = if row.state().answered() {
        row.answered_on
    } else {
        None
    };
    let start = clocks::objection_window_start(today, due, answered)
        .ok_or(InformationError::ObjectionTooEarly)?;
    if today > k.objection_deadline(cal, start) {
        return Err(InformationError::ObjectionTooLate);
    }
    Ok(())
}

/// Is a dispute in time today? The window starts at the objection's answer or its missed due day.
fn dispute_in_time(
    k: &KipClocks,
    cal: &calendar::Calendar,
    row: &RequestRow,
    today: time::Date,
) -> InfoResult<()> {
    let objected = row.objection_on.unwrap_or(row.received_on);
    let due = row
        .objection_due
        .unwrap_or_else(|| k.objection_answer_due(cal, objected));
    let answered = match row.state() {
        Status::ObjectionAnswered => row.objection_answered_on,
        _ => None,
    };
    let start = clocks::dispute_window_start(today, due, answered)
        .ok_or(InformationError::DisputeTooEarly)?;
    if today > k.dispute_deadline(cal, start) {
        return Err(InformationError::DisputeTooLate);
    }
    Ok(())
}

/// The requester's step on their request; returns the status after it.
pub async fn act(
    ctx: &AppCtx,
    meta: &ReqMeta,
    code: &str,
    secret: &str,
    step: &RequesterStep,
) -> InfoResult<Status> {
    let row = requester_row(ctx, meta, code, secret).await?;
    let action = step.action();
    let from = row.state();
    let to = status::next(from, action).ok_or(InformationError::WrongState)?;
    let today = today_at(&row.agency_region);
    let cal = calendar::load(&ctx.db).await?;
    let k = crate::domain::settings::clocks(ctx);
    let subject = row.id.to_string();
    let mut tx = ctx.begin().await?;
    let mut change = Change::default();
    let mut note = None;
    match step {
        RequesterStep::Object { reason } => {
            objection_in_time(&k, &cal, &row, today)?;
            calendar::stop_clock(&mut tx, SUBJECT_KIND, &subject, Clock::Answer.as_str()).await?;
            calendar::start_clock(
                &mut tx,
                SUBJECT_KIND,
                &subject,
                Clock::ObjectionAnswer.as_str(),
                today,
                k.objection_answer_working_days,
            )
            .await?;
            change.objection_on = Some(today);
            change.objection_reason = Some(reason);
            note = Some(reason.as_str());
        }
        RequesterStep::Dispute { note: text } => {
            dispute_in_time(&k, &cal, &row, today)?;
            calendar::stop_clock(
                &mut tx,
                SUBJECT_KIND,
                &subject,
                Clock::ObjectionAnswer.as_str(),
            )
            .await?;
            change.dispute_on = Some(today);
            note = text.as_deref();
        }
        RequesterStep::Rate { satisfied } => change.satisfied = Some(*satisfied),
    }
    let step = Step {
        action,
        from,
        to,
        change,
        note,
        today,
    };
    store_step(&mut tx, meta, None, &row, &step).await?;
    tx.commit().await?;
    Ok(to)
}
