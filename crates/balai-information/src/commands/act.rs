//! An official's step on a request: extend, answer, answer in part, refuse, transfer, ask for
//! clarification (the PPID), answer the objection and record the Komisi Informasi's outcome
//! (the Atasan PPID). One transaction with the clock change, the history row, the audit event
//! and the requester's notification.

use balai_core::accounts::{self, AgencyKind};
use balai_core::calendar;
use balai_core::ids::AgencyId;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use balai_core::Tx;

use super::{notify, store_step, today_at, Step};
use crate::domain::access::{may_act, sees};
use crate::domain::clocks::{self, Clock, ExtensionRefused, SUBJECT_KIND};
use crate::domain::exemptions::Exemption;
use crate::domain::intake::{reason, ReasonField};
use crate::domain::permissions::StaffAction;
use crate::domain::redaction;
use crate::domain::settings::clocks as kip_clocks;
use crate::domain::status::{self, Action, Status};
use crate::errors::{InfoResult, InformationError};
use crate::store::{self, Change, RequestRow};
use crate::RequestId;

/// What an official posted, as text.
#[derive(Clone, Debug, Default)]
pub struct ActInput {
    pub action: String,
    /// Extension reasons, a clarification question, a transfer note, the dispute's outcome.
    pub reason: Option<String>,
    /// The answer (answer, answer_partly, answer_objection; optional with refuse).
    pub answer: Option<String>,
    /// Art. 17 letter (refuse, answer_partly).
    pub exemption: Option<String>,
    /// The consequence test (refuse, answer_partly).
    pub consequence_test: Option<String>,
    /// The PPID that holds the information (transfer).
    pub to_agency_id: Option<i64>,
}

/// A checked official action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    Extend {
        reason: String,
    },
    Answer {
        answer: String,
    },
    AnswerPartly {
        answer: String,
        exemption: Exemption,
        test: String,
    },
    Refuse {
        exemption: Exemption,
        test: String,
        note: Option<String>,
    },
    Transfer {
        to: AgencyId,
        note: Option<String>,
    },
    Clarify {
        question: String,
    },
    AnswerObjection {
        answer: String,
    },
    RecordDisputeOutcome {
        outcome: String,
    },
}

impl Decision {
    pub fn action(&self) -> Action {
        match self {
            Decision::Extend { .. } => Action::Extend,
            Decision::Answer { .. } => Action::Answer,
            Decision::AnswerPartly { .. } => Action::AnswerPartly,
            Decision::Refuse { .. } => Action::Refuse,
            Decision::Transfer { .. } => Action::Transfer,
            Decision::Clarify { .. } => Action::Clarify,
            Decision::AnswerObjection { .. } => Action::AnswerObjection,
            Decision::RecordDisputeOutcome { .. } => Action::RecordDisputeOutcome,
        }
    }
}

fn exemption_and_test(input: &ActInput) -> InfoResult<(Exemption, String)> {
    let e = input
        .exemption
        .as_deref()
        .and_then(Exemption::parse)
        .ok_or(InformationError::ExemptionRequired)?;
    let test = reason(
        input.consequence_test.as_deref(),
        ReasonField::ConsequenceTest,
    )?;
    Ok((e, test))
}

fn optional(text: Option<&str>) -> InfoResult<Option<String>> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => reason(Some(t), ReasonField::Reason).map(Some),
    }
}

/// Check what was posted: the action's name and the texts it needs.
pub fn parse(input: &ActInput) -> InfoResult<Decision> {
    let action = Action::parse_official(&input.action).ok_or(InformationError::UnknownAction)?;
    let why = |f| reason(input.reason.as_deref(), f);
    let answer = || reason(input.answer.as_deref(), ReasonField::Answer);
    Ok(match action {
        Action::Extend => Decision::Extend {
            reason: why(ReasonField::Reason)?,
        },
        Action::Answer => Decision::Answer { answer: answer()? },
        Action::AnswerPartly => {
            let answer = answer()?;
            redaction::check_partial(&answer)?;
            let (exemption, test) = exemption_and_test(input)?;
            Decision::AnswerPartly {
                answer,
                exemption,
                test,
            }
        }
        Action::Refuse => {
            let (exemption, test) = exemption_and_test(input)?;
            Decision::Refuse {
                exemption,
                test,
                note: optional(input.answer.as_deref())?,
            }
        }
        Action::Transfer => Decision::Transfer {
            to: AgencyId(
                input
                    .to_agency_id
                    .ok_or(InformationError::BadTransferTarget)?,
            ),
            note: optional(input.reason.as_deref())?,
        },
        Action::Clarify => Decision::Clarify {
            question: why(ReasonField::Reason)?,
        },
        Action::AnswerObjection => Decision::AnswerObjection { answer: answer()? },
        Action::RecordDisputeOutcome => Decision::RecordDisputeOutcome {
            outcome: why(ReasonField::Reason)?,
        },
        Action::Object | Action::Dispute | Action::Rate => {
            return Err(InformationError::UnknownAction)
        }
    })
}

/// The requester's message about a step.
fn message(row: &RequestRow, to: Status, action: Action) -> (String, String) {
    let subject = format!(
        "Permohonan informasi {}: {}",
        row.registration_number,
        action.label_id()
    );
    let body = format!(
        "{} atas permohonan informasi {} kepada {}. Status sekarang: {}. Lihat rinciannya di \
         halaman lacak dengan kode lacak dan kode rahasia Anda.",
        action.label_id(),
        row.registration_number,
        row.agency_name,
        to.label_id()
    );
    (subject, body)
}

/// What a decision writes on the request, and the note of its history row.
fn plan(decision: &Decision, today: time::Date) -> (Change<'_>, Option<&str>) {
    let mut change = Change::default();
    let note = match decision {
        Decision::Extend { reason } => {
            change.extension_reason = Some(reason);
            Some(reason.as_str())
        }
        Decision::Answer { answer } => {
            change.answered_on = Some(today);
            change.answer = Some(answer);
            Some(answer.as_str())
        }
        Decision::AnswerPartly {
            answer,
            exemption,
            test,
        } => {
            change.answered_on = Some(today);
            change.answer = Some(answer);
            change.exemption = Some(exemption.code());
            change.consequence_test = Some(test);
            Some(answer.as_str())
        }
        Decision::Refuse {
            exemption,
            test,
            note,
        } => {
            change.answered_on = Some(today);
            change.answer = note.as_deref();
            change.exemption = Some(exemption.code());
            change.consequence_test = Some(test);
            Some(test.as_str())
        }
        Decision::Transfer { to, note } => {
            change.agency_id = Some(*to);
            change.clear_extension = true;
            note.as_deref()
        }
        Decision::Clarify { question } => Some(question.as_str()),
        Decision::AnswerObjection { answer } => {
            change.objection_answered_on = Some(today);
            change.objection_answer = Some(answer);
            Some(answer.as_str())
        }
        Decision::RecordDisputeOutcome { outcome } => {
            change.dispute_outcome = Some(outcome);
            Some(outcome.as_str())
        }
    };
    (change, note)
}

/// Check the decision against the clocks and the other agency before anything is written.
async fn check(
    ctx: &AppCtx,
    row: &RequestRow,
    decision: &Decision,
    today: time::Date,
) -> InfoResult<()> {
    match decision {
        Decision::Extend { .. } => {
            let due = row.answer_due.unwrap_or(row.received_on);
            clocks::may_extend(today, due, row.extended()).map_err(|e| match e {
                ExtensionRefused::AlreadyExtended => InformationError::AlreadyExtended,
                ExtensionRefused::AfterDueDay => InformationError::ExtensionAfterDueDay,
            })
        }
        Decision::Transfer { to, .. } => {
            let ok = accounts::get_agency(&ctx.db, to.get())
                .await?
                .is_some_and(|a| a.is(AgencyKind::Ppid) && a.id != row.agency_id.get());
            if ok {
                Ok(())
            } else {
                Err(InformationError::BadTransferTarget)
            }
        }
        _ => Ok(()),
    }
}

/// Start, restart or stop the clocks the step moves.
async fn move_clocks(
    k: &crate::domain::clocks::KipClocks,
    tx: &mut Tx,
    row: &RequestRow,
    action: Action,
    to: Status,
    today: time::Date,
) -> InfoResult<()> {
    let subject = row.id.to_string();
    let answer = Clock::Answer.as_str();
    match action {
        // The extension adds its working days to the same start (the law: the 17th).
        Action::Extend => {
            let n = k.answer_working_days(true);
            calendar::start_clock(tx, SUBJECT_KIND, &subject, answer, row.received_on, n).await?;
        }
        // The agency that holds the information answers within the answer clock of the transfer.
        Action::Transfer => {
            let n = k.answer_working_days(false);
            calendar::start_clock(tx, SUBJECT_KIND, &subject, answer, today, n).await?;
        }
        Action::AnswerObjection => {
            let purpose = Clock::ObjectionAnswer.as_str();
            calendar::stop_clock(tx, SUBJECT_KIND, &subject, purpose).await?;
        }
        _ if to.answered() => calendar::stop_clock(tx, SUBJECT_KIND, &subject, answer).await?,
        _ => {}
    }
    Ok(())
}

/// An official's step on a request; returns the status after it.
pub async fn act(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    id: RequestId,
    decision: &Decision,
) -> InfoResult<Status> {
    actor.require_writer()?;
    let action = decision.action();
    let staff = StaffAction::of(action).ok_or(InformationError::UnknownAction)?;
    let row = store::requests::get(&ctx.db, id)
        .await?
        .ok_or(InformationError::NotFound)?;
    if !sees(actor, row.agency_id) {
        return Err(InformationError::NotFound);
    }
    if !may_act(actor, row.agency_id, staff) {
        return Err(InformationError::Forbidden);
    }
    let from = row.state();
    let to = status::next(from, action).ok_or(if action == Action::Extend && row.extended() {
        InformationError::AlreadyExtended
    } else {
        InformationError::WrongState
    })?;
    let today = today_at(&row.agency_region);
    check(ctx, &row, decision, today).await?;
    let (change, note) = plan(decision, today);
    let mut tx = ctx.begin().await?;
    move_clocks(&kip_clocks(ctx), &mut tx, &row, action, to, today).await?;
    let step = Step {
        action,
        from,
        to,
        change,
        note,
        today,
    };
    store_step(&mut tx, meta, Some(actor), &row, &step).await?;
    let (subject_line, body) = message(&row, to, action);
    notify(&mut tx, &row, &subject_line, &body).await?;
    tx.commit().await?;
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(action: &str) -> ActInput {
        ActInput {
            action: action.into(),
            ..ActInput::default()
        }
    }

    #[test]
    fn refusals_need_an_exemption_and_a_consequence_test() {
        let mut i = input("refuse");
        assert!(matches!(
            parse(&i),
            Err(InformationError::ExemptionRequired)
        ));
        i.exemption = Some("h".into());
        assert!(matches!(
            parse(&i),
            Err(InformationError::TextRequired(ReasonField::ConsequenceTest))
        ));
        i.consequence_test = Some("Membuka data kesehatan pribadi pegawai".into());
        assert!(matches!(
            parse(&i),
            Ok(Decision::Refuse {
                exemption: Exemption::PersonalSecrets,
                ..
            })
        ));
        assert!(matches!(
            parse(&input("object")),
            Err(InformationError::UnknownAction)
        ));
        assert!(matches!(
            parse(&input("extend")),
            Err(InformationError::TextRequired(ReasonField::Reason))
        ));
    }
}
