//! One status change and everything that goes with it: the row, the clocks (as
//! `domain::clocks` says), the timeline, the audit event and the reporter's notice.

use balai_core::audit::{AuditContext, AuditEvent};
use balai_core::calendar;
use balai_core::ids::ComplaintId;
use balai_core::Tx;
use serde_json::json;
use time::Date;

use super::notify::notify_contact;
use super::record::report_event;
use crate::domain::{self, clocks, Action, Clock, ClockConfig, ReportType, Status, TrackingCode};
use crate::errors::{ComplaintError, ComplaintResult};
use crate::store::{self, Change, Complaint, NewEvent};

/// Who acts, for the timeline.
pub struct Who<'a> {
    pub ctx: &'a AuditContext,
    pub label: &'a str,
}

pub struct Transition<'a> {
    pub action: Action,
    pub body: &'a str,
    pub agency_id: Option<i64>,
    pub duplicate_of: Option<ComplaintId>,
    pub reject_reason: Option<&'a str>,
}

impl<'a> Transition<'a> {
    /// A change that moves nothing but the status.
    pub fn plain(action: Action, body: &'a str) -> Self {
        Transition {
            action,
            body,
            agency_id: None,
            duplicate_of: None,
            reject_reason: None,
        }
    }
}

/// The status a report's row holds (an unknown one reads as just submitted).
pub fn status_of(c: &Complaint) -> Status {
    Status::parse(&c.status).unwrap_or(Status::Submitted)
}

/// Apply one status change with everything that goes with it.
pub async fn transition(
    tx: &mut Tx,
    c: &Complaint,
    who: &Who<'_>,
    t: Transition<'_>,
    cfg: &ClockConfig,
    today: Date,
) -> ComplaintResult<Status> {
    let from = status_of(c);
    let next = from
        .apply(t.action)
        .map_err(|_| ComplaintError::BadTransition(from))?;
    let agency_id = t.agency_id.or(c.agency_id);
    store::update_status(
        tx,
        c.id,
        &Change {
            status: next.as_str(),
            agency_id,
            duplicate_of: t.duplicate_of,
            reject_reason: t.reject_reason,
            answered: t.action == Action::Answer,
            closed: next == Status::Closed,
            reset_escalation: matches!(
                t.action,
                Action::Dispatch | Action::Reroute | Action::Reopen
            ),
        },
    )
    .await?;
    if t.action == Action::Reroute {
        store::set_assignee(tx, c.id, None).await?;
    }
    let election = ReportType::parse(&c.report_type).is_some_and(ReportType::is_election);
    apply_clocks(tx, c.id, t.action, election, cfg, today).await?;
    store::add_event(
        tx,
        c.id,
        &NewEvent {
            kind: domain::timeline::for_action(t.action),
            public: true,
            actor_user_id: who.ctx.actor_user_id,
            actor_label: who.label,
            from_status: Some(from.as_str()),
            to_status: Some(next.as_str()),
            from_agency: c.agency_id,
            to_agency: agency_id,
            body: t.body,
        },
    )
    .await?;
    report_event(
        tx,
        who.ctx,
        c.agency_id.or(agency_id),
        AuditEvent {
            action: domain::audit::for_action(t.action),
            target_kind: domain::audit::SUBJECT,
            target_id: c.id.to_string(),
            region_code: c.village_code.clone(),
            summary: json!({
                "from": from.as_str(),
                "to": next.as_str(),
                "from_agency": c.agency_id,
                "to_agency": agency_id,
                "duplicate_of": t.duplicate_of,
            }),
        },
    )
    .await?;
    let code = TrackingCode::parse(&c.tracking_code)
        .map(|c| c.display())
        .unwrap_or_default();
    let mut msg = format!("Status laporan {code}: {}.", next.label_id());
    if !t.body.is_empty() {
        msg.push(' ');
        msg.push_str(t.body);
    }
    notify_contact(
        tx,
        c.contact_email.as_deref(),
        c.contact_phone.as_deref(),
        "Perkembangan laporan Anda",
        &msg,
    )
    .await?;
    Ok(next)
}

/// Stop and start the report's clocks as [`clocks::on`] says for this action.
async fn apply_clocks(
    tx: &mut Tx,
    id: ComplaintId,
    action: Action,
    election: bool,
    cfg: &ClockConfig,
    today: Date,
) -> Result<(), sqlx::Error> {
    let plan = clocks::on(action);
    let sid = id.get().to_string();
    for clock in plan.stop {
        calendar::stop_clock(tx, domain::audit::SUBJECT, &sid, clock.as_str()).await?;
    }
    if let Some(clock) = plan.start {
        start(tx, &sid, clock, today, clock.working_days(election, cfg)).await?;
    }
    Ok(())
}

/// Start (or restart) one clock of a report.
pub async fn start(
    tx: &mut Tx,
    sid: &str,
    clock: Clock,
    from: Date,
    working_days: u32,
) -> Result<(), sqlx::Error> {
    calendar::start_clock(
        tx,
        domain::audit::SUBJECT,
        sid,
        clock.as_str(),
        from,
        working_days,
    )
    .await
    .map(|_| ())
}
