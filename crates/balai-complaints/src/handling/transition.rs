//! One status change and everything that goes with it: row, clocks, timeline, audit, notice.

use balai_core::audit::{self, AuditEvent};
use balai_core::calendar;
use balai_core::{AppResult, Tx};
use serde_json::json;
use time::Date;

use super::refused;
use crate::domain::{Action, ClockConfig, ReportType, Status, TrackingCode};
use crate::store::{self, Change, Complaint, NewEvent};
use crate::submit::notify_contact;
use balai_core::audit::AuditContext;

/// Who acts, for the timeline.
pub struct Who<'a> {
    pub ctx: &'a AuditContext,
    pub label: &'a str,
}

pub struct Transition<'a> {
    pub action: Action,
    pub body: &'a str,
    pub agency_id: Option<i64>,
    pub duplicate_of: Option<i64>,
    pub reject_reason: Option<&'a str>,
}

/// Apply one status change with everything that goes with it.
pub async fn transition(
    tx: &mut Tx,
    c: &Complaint,
    who: &Who<'_>,
    t: Transition<'_>,
    cfg: &ClockConfig,
    today: Date,
) -> AppResult<Status> {
    let from = Status::parse(&c.status).unwrap_or(Status::Submitted);
    let next = from.apply(t.action).map_err(|_| refused(from))?;
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
    let sid = c.id.to_string();
    let election = ReportType::parse(&c.report_type).is_some_and(ReportType::is_election);
    match t.action {
        Action::Dispatch => {
            stop(tx, &sid, store::CLOCK_DISPATCH).await?;
            calendar::start_clock(
                tx,
                store::SUBJECT,
                &sid,
                store::CLOCK_FOLLOW_UP,
                today,
                cfg.follow_up_days(election),
            )
            .await?;
        }
        Action::StartFollowUp => {}
        Action::Answer => {
            stop(tx, &sid, store::CLOCK_FOLLOW_UP).await?;
            calendar::start_clock(
                tx,
                store::SUBJECT,
                &sid,
                store::CLOCK_AUTO_CLOSE,
                today,
                cfg.auto_close_working_days,
            )
            .await?;
        }
        Action::ConfirmResolved | Action::AutoClose => {
            stop(tx, &sid, store::CLOCK_AUTO_CLOSE).await?
        }
        Action::Reopen => {
            stop(tx, &sid, store::CLOCK_AUTO_CLOSE).await?;
            calendar::start_clock(
                tx,
                store::SUBJECT,
                &sid,
                store::CLOCK_FOLLOW_UP,
                today,
                cfg.follow_up_days(election),
            )
            .await?;
        }
        Action::Reject | Action::MarkDuplicate => {
            for p in store::CLOCKS {
                stop(tx, &sid, p).await?;
            }
        }
        Action::Reroute => {
            stop(tx, &sid, store::CLOCK_FOLLOW_UP).await?;
            stop(tx, &sid, store::CLOCK_AUTO_CLOSE).await?;
            calendar::start_clock(
                tx,
                store::SUBJECT,
                &sid,
                store::CLOCK_DISPATCH,
                today,
                cfg.dispatch_working_days,
            )
            .await?;
        }
    }
    store::add_event(
        tx,
        c.id,
        &NewEvent {
            kind: action_name(t.action),
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
    audit::record(
        tx,
        who.ctx,
        AuditEvent {
            action: audit_action(t.action),
            target_kind: store::SUBJECT,
            target_id: sid.clone(),
            region_code: c.village_code.clone(),
            summary: json!({
                "tracking_code": c.tracking_code,
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

async fn stop(tx: &mut Tx, sid: &str, purpose: &str) -> Result<(), sqlx::Error> {
    calendar::stop_clock(tx, store::SUBJECT, sid, purpose).await
}

fn action_name(a: Action) -> &'static str {
    match a {
        Action::Dispatch => "dispatched",
        Action::StartFollowUp => "follow_up_started",
        Action::Answer => "answered",
        Action::ConfirmResolved => "confirmed_resolved",
        Action::AutoClose => "auto_closed",
        Action::Reopen => "reopened",
        Action::Reject => "rejected",
        Action::Reroute => "rerouted",
        Action::MarkDuplicate => "merged_as_duplicate",
    }
}

fn audit_action(a: Action) -> &'static str {
    match a {
        Action::Dispatch => "complaint.dispatch",
        Action::StartFollowUp => "complaint.start_follow_up",
        Action::Answer => "complaint.answer",
        Action::ConfirmResolved => "complaint.confirm_resolved",
        Action::AutoClose => "complaint.auto_close",
        Action::Reopen => "complaint.reopen",
        Action::Reject => "complaint.reject",
        Action::Reroute => "complaint.reroute",
        Action::MarkDuplicate => "complaint.mark_duplicate",
    }
}
