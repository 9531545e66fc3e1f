//! What the public and the requester see of a request. The public view never carries the
//! requester's name, contact, address or purpose: only the request, its dates and the answers.

use balai_core::calendar::Calendar;
use serde::Serialize;
use time::Date;
use utoipa::ToSchema;

use crate::domain::clocks;
use crate::domain::exemptions::Exemption;
use crate::store::{EventRow, RequestRow};

/// The agency (PPID) a request is addressed to.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AgencyRef {
    pub id: i64,
    pub name: String,
}

/// An art. 17 exemption named by a refusal or a partial answer.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ExemptionView {
    /// The letter of art. 17, `a`–`j`.
    pub code: String,
    pub label_id: String,
    pub label_en: String,
}

impl ExemptionView {
    /// The view of a stored art. 17 letter (none when absent or unknown).
    pub fn of(code: Option<&str>) -> Option<ExemptionView> {
        code.and_then(Exemption::parse).map(|e| ExemptionView {
            code: e.code().into(),
            label_id: e.label_id().into(),
            label_en: e.label_en().into(),
        })
    }
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ObjectionView {
    /// YYYY-MM-DD.
    pub filed_on: String,
    pub reason: Option<String>,
    /// The Atasan PPID's answer is due (30 working days), while unanswered.
    pub due_day: Option<String>,
    pub answered_on: Option<String>,
    pub answer: Option<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DisputeView {
    pub filed_on: String,
    pub outcome: Option<String>,
}

/// One step of the request's public history.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct EventView {
    /// `file`, `extend`, `answer`, `answer_partly`, `refuse`, `transfer`, `clarify`, `object`,
    /// `answer_objection`, `dispute`, `record_dispute_outcome`, `rate`.
    pub action: String,
    pub status: String,
    /// YYYY-MM-DD.
    pub day: String,
    /// True for the PPID's steps, false for the requester's.
    pub by_official: bool,
    pub note: Option<String>,
}

/// The public record of a request.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct RequestView {
    pub id: i64,
    pub registration_number: String,
    pub agency: AgencyRef,
    /// `received`, `extended`, `answered`, `answered_partly`, `refused`, `objected`,
    /// `objection_answered`, `disputed`, `dispute_decided`.
    pub status: String,
    pub information: String,
    /// YYYY-MM-DD.
    pub received_on: String,
    /// The answer's due day (the 10th working day after receipt, the 17th once extended),
    /// on the current holiday calendar.
    pub due_day: Option<String>,
    pub extended: bool,
    pub extension_reason: Option<String>,
    /// Past the due day without an answer, or answered after it.
    pub late: bool,
    pub answered_on: Option<String>,
    pub answer: Option<String>,
    pub exemption: Option<ExemptionView>,
    pub consequence_test: Option<String>,
    pub objection: Option<ObjectionView>,
    pub dispute: Option<DisputeView>,
    /// Why the PPID keeps the answers out of public view (then `answer`, the objection's
    /// answer, the dispute's outcome and the answers in `history` are left out).
    pub answers_private: Option<String>,
    pub history: Vec<EventView>,
}

fn day(d: Option<Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// Is the request late on `today`?
pub fn late(row: &RequestRow, today: Date) -> bool {
    let Some(due) = row.answer_due else {
        return false;
    };
    match row.answered_on {
        Some(answered) => answered > due,
        // Never answered: late from the day after the due day, objected to or not.
        None => today > due,
    }
}

/// The public view of a request and its history: answers the PPID keeps private left out.
pub fn public_view(row: &RequestRow, events: &[EventRow], today: Date) -> RequestView {
    let mut v = full_view(row, events, today);
    if row.answer_private_reason.is_some() {
        v.answer = None;
        v.consequence_test = None;
        if let Some(o) = v.objection.as_mut() {
            o.answer = None;
        }
        if let Some(d) = v.dispute.as_mut() {
            d.outcome = None;
        }
        for e in &mut v.history {
            if crate::domain::privacy::note_is_answer(&e.action) {
                e.note = None;
            }
        }
    }
    v
}

/// The whole record, answers included (for the requester).
fn full_view(row: &RequestRow, events: &[EventRow], today: Date) -> RequestView {
    RequestView {
        id: row.id.get(),
        registration_number: row.registration_number.clone(),
        agency: AgencyRef {
            id: row.agency_id.get(),
            name: row.agency_name.clone(),
        },
        status: row.status.clone(),
        information: row.information.clone(),
        received_on: row.received_on.to_string(),
        due_day: day(row.answer_due),
        extended: row.extended(),
        extension_reason: row.extension_reason.clone(),
        late: late(row, today),
        answered_on: day(row.answered_on),
        answer: row.answer.clone(),
        exemption: ExemptionView::of(row.exemption.as_deref()),
        consequence_test: row.consequence_test.clone(),
        objection: row.objection_on.map(|filed| ObjectionView {
            filed_on: filed.to_string(),
            reason: row.objection_reason.clone(),
            due_day: if row.objection_answered_on.is_none() {
                day(row.objection_due)
            } else {
                None
            },
            answered_on: day(row.objection_answered_on),
            answer: row.objection_answer.clone(),
        }),
        dispute: row.dispute_on.map(|filed| DisputeView {
            filed_on: filed.to_string(),
            outcome: row.dispute_outcome.clone(),
        }),
        answers_private: row.answer_private_reason.clone(),
        history: events
            .iter()
            .map(|e| EventView {
                action: e.action.clone(),
                status: e.to_status.clone(),
                day: e.day.to_string(),
                by_official: e.by_official,
                note: e.note.clone(),
            })
            .collect(),
    }
}

/// The requester's own contact details, shown only to them and to the PPID.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct RequesterDetails {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub purpose: String,
    /// `email`, `pickup` or `post`.
    pub delivery: String,
}

/// What the requester sees with their tracking code and secret.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct RequesterView {
    pub request: RequestView,
    pub tracking_code: String,
    pub requester: RequesterDetails,
    /// The last day to object to the Atasan PPID, once the window has opened.
    pub objection_deadline: Option<String>,
    /// Whether an objection may be filed today.
    pub may_object: bool,
    /// The last day to take the dispute to the Komisi Informasi, once the window has opened.
    pub dispute_deadline: Option<String>,
    pub may_dispute: bool,
    /// Whether the requester may say the answer satisfied them (once answered).
    pub may_rate: bool,
    pub satisfied: Option<bool>,
}

/// The requester's view: everything public, their own details and their windows.
pub fn requester_view(
    k: &clocks::KipClocks,
    row: &RequestRow,
    events: &[EventRow],
    cal: &Calendar,
    today: Date,
) -> RequesterView {
    let state = row.state();
    let due = row.answer_due.unwrap_or(row.received_on);
    let answered = state.answered().then_some(row.answered_on).flatten();
    let objection_deadline = match state {
        s if s.awaits_answer() || s.answered() => {
            clocks::objection_window_start(today, due, answered)
                .map(|start| k.objection_deadline(cal, start))
        }
        _ => None,
    };
    let dispute_deadline = match state {
        crate::domain::status::Status::Objected
        | crate::domain::status::Status::ObjectionAnswered => {
            let obj_due = row
                .objection_due
                .unwrap_or_else(|| k.objection_answer_due(cal, row.objection_on.unwrap_or(today)));
            clocks::dispute_window_start(today, obj_due, row.objection_answered_on)
                .map(|start| k.dispute_deadline(cal, start))
        }
        _ => None,
    };
    RequesterView {
        request: full_view(row, events, today),
        tracking_code: row.tracking_code.clone(),
        requester: RequesterDetails {
            name: row.requester_name.clone(),
            email: row.requester_email.clone(),
            phone: row.requester_phone.clone(),
            address: row.requester_address.clone(),
            purpose: row.purpose.clone(),
            delivery: row.delivery.clone(),
        },
        may_object: objection_deadline.is_some_and(|d| today <= d),
        objection_deadline: day(objection_deadline),
        may_dispute: dispute_deadline.is_some_and(|d| today <= d),
        dispute_deadline: day(dispute_deadline),
        may_rate: crate::domain::status::next(state, crate::domain::status::Action::Rate).is_some(),
        satisfied: row.satisfied,
    }
}
