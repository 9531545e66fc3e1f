//! Bawaslu asks the reporter for more information: its follow-up deadline grows by
//! `bawaslu_more_info_days` (UU 1/2015 art. 134(6)), and the reporter is asked.

use balai_core::audit::AuditEvent;
use balai_core::calendar;
use balai_core::ids::ComplaintId;
use balai_core::{Db, Tx};
use serde_json::json;

use super::notify::notify_contact;
use super::record::report_event;
use super::transition::{self, status_of, Who};
use crate::domain::{self, Clock, ClockConfig, ReportType, Status};
use crate::errors::{ComplaintError, ComplaintResult};
use crate::store::{self, Complaint, NewEvent};

/// Ask for more information on an election report being followed up.
pub async fn request_more_info(
    tx: &mut Tx,
    db: &Db,
    c: &Complaint,
    who: &Who<'_>,
    body: &str,
    cfg: &ClockConfig,
) -> ComplaintResult<Status> {
    let st = status_of(c);
    let election = ReportType::parse(&c.report_type).is_some_and(ReportType::is_election);
    if !election || !matches!(st, Status::Dispatched | Status::InFollowUp) {
        return Err(ComplaintError::BadTransition(st));
    }
    extend_follow_up(tx, db, c.id, cfg.bawaslu_more_info_days).await?;
    store::add_event(
        tx,
        c.id,
        &NewEvent {
            kind: domain::timeline::MORE_INFO_REQUESTED,
            public: true,
            actor_user_id: who.ctx.actor_user_id,
            actor_label: who.label,
            from_status: None,
            to_status: None,
            from_agency: None,
            to_agency: None,
            body,
        },
    )
    .await?;
    report_event(
        tx,
        who.ctx,
        c.agency_id,
        AuditEvent {
            action: domain::audit::MORE_INFO_REQUESTED,
            target_kind: domain::audit::SUBJECT,
            target_id: c.id.to_string(),
            region_code: c.village_code.clone(),
            summary: json!({ "extra_days": cfg.bawaslu_more_info_days }),
        },
    )
    .await?;
    notify_contact(
        tx,
        c.contact_email.as_deref(),
        c.contact_phone.as_deref(),
        "Permintaan keterangan",
        body,
    )
    .await?;
    Ok(st)
}

/// Lengthen the open follow-up clock by `extra` working days (from its own start day).
async fn extend_follow_up(
    tx: &mut Tx,
    db: &Db,
    id: ComplaintId,
    extra: u32,
) -> Result<(), sqlx::Error> {
    let sid = id.to_string();
    let clock =
        calendar::get_clock(db, domain::audit::SUBJECT, &sid, Clock::FollowUp.as_str()).await?;
    if let Some(k) = clock.filter(|k| k.open) {
        let days = u32::try_from(k.working_days).unwrap_or(0) + extra;
        transition::start(tx, &sid, Clock::FollowUp, k.start_day, days).await?;
    }
    Ok(())
}
