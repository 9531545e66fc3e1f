//! The background sweep: auto-close answered reports nobody replied to, and escalate overdue
//! ones to the agency's supervisor, and forget reporters' IP addresses once the flood-control
//! window is over. It runs as a job that re-queues itself hourly while there is something to
//! watch.

use balai_core::audit::{AuditContext, AuditEvent};
use balai_core::ids::ComplaintId;
use balai_core::jobs::{self, JobRegistry};
use balai_core::outbox;
use balai_core::Db;
use serde_json::json;
use time::{Date, Duration};

use crate::commands::record::report_event;
use crate::commands::transition::{transition, Transition, Who};
use crate::domain::settings::today;
use crate::domain::{self, Action, Clock, ClockConfig, Status};
use crate::errors::ComplaintResult;
use crate::store::{self, NewEvent};

/// The job kind of the sweep (`jobs.kind`).
pub const SWEEP_JOB: &str = "complaints.sweep";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SweepReport {
    pub auto_closed: usize,
    pub escalated: usize,
}

/// Close answered reports whose auto-close clock ran out before `today`, and escalate reports
/// whose dispatch or follow-up deadline passed.
pub async fn sweep(db: &Db, today: Date, cfg: &ClockConfig) -> ComplaintResult<SweepReport> {
    let ctx = AuditContext::system("complaints.sweep");
    // Flood control counts the last hour; an IP address is not kept longer than that.
    store::forget_ips(db, balai_core::db::now() - Duration::hours(1)).await?;
    let auto_closed = auto_close(db, &ctx, today, cfg).await?;
    let mut escalated = 0;
    for clock in [Clock::Dispatch, Clock::FollowUp] {
        for (id, due) in store::overdue_clocks(db, clock.as_str(), today).await? {
            if escalate(db, &ctx, clock, id, due, today).await? {
                escalated += 1;
            }
        }
    }
    Ok(SweepReport {
        auto_closed,
        escalated,
    })
}

/// Close the answered reports whose auto-close clock ran out; returns how many.
async fn auto_close(
    db: &Db,
    ctx: &AuditContext,
    today: Date,
    cfg: &ClockConfig,
) -> ComplaintResult<usize> {
    let mut closed = 0;
    for (id, _) in store::overdue_clocks(db, Clock::AutoClose.as_str(), today).await? {
        let mut tx = db.begin().await?;
        let Some(c) = store::lock(&mut tx, id).await? else {
            continue;
        };
        if c.status != Status::Answered.as_str() {
            continue;
        }
        let who = Who {
            ctx,
            label: "sistem",
        };
        let t = Transition::plain(
            Action::AutoClose,
            "Ditutup otomatis: tidak ada tanggapan pelapor setelah jawaban.",
        );
        transition(&mut tx, &c, &who, t, cfg, today).await?;
        tx.commit().await?;
        closed += 1;
    }
    Ok(closed)
}

/// Escalate one report past `clock`'s due day to its agency's supervisors, once; returns
/// whether it did.
async fn escalate(
    db: &Db,
    ctx: &AuditContext,
    clock: Clock,
    id: ComplaintId,
    due: Date,
    today: Date,
) -> ComplaintResult<bool> {
    let mut tx = db.begin().await?;
    let Some(c) = store::lock(&mut tx, id).await? else {
        return Ok(false);
    };
    let (Some(agency), None) = (c.agency_id, c.escalated_on) else {
        return Ok(false);
    };
    // Staff refer to a report by its number; the tracking code is the reporter's.
    let body = format!(
        "Laporan #{id} melewati tenggat {} ({due}) dan dieskalasi ke atasan.",
        if clock == Clock::Dispatch {
            "verifikasi"
        } else {
            "tindak lanjut"
        }
    );
    for email in store::supervisor_emails(&mut tx, agency).await? {
        outbox::enqueue(
            &mut tx,
            outbox::Channel::Email,
            &email,
            "Eskalasi laporan terlambat",
            &body,
        )
        .await?;
    }
    store::set_escalated(&mut tx, id, today).await?;
    store::add_event(
        &mut tx,
        id,
        &NewEvent {
            kind: domain::timeline::ESCALATED,
            public: false,
            actor_user_id: None,
            actor_label: "sistem",
            from_status: None,
            to_status: None,
            from_agency: None,
            to_agency: None,
            body: &body,
        },
    )
    .await?;
    report_event(
        &mut tx,
        ctx,
        c.agency_id,
        AuditEvent {
            action: domain::audit::ESCALATED,
            target_kind: domain::audit::SUBJECT,
            target_id: id.to_string(),
            region_code: c.village_code.clone(),
            summary: json!({ "clock": clock.as_str(), "due": due.to_string() }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Register the sweep job with the configured clocks; it re-queues itself an hour later.
pub fn register_jobs(reg: &mut JobRegistry, clocks: &ClockConfig) {
    let clocks = clocks.clone();
    reg.register(SWEEP_JOB, move |db: Db, _payload| {
        let cfg = clocks.clone();
        async move {
            let r = sweep(&db, today(), &cfg).await.map_err(|e| e.to_string())?;
            tracing::info!(
                auto_closed = r.auto_closed,
                escalated = r.escalated,
                "complaints sweep"
            );
            let mut tx = db.begin().await.map_err(|e| e.to_string())?;
            jobs::enqueue_at(
                &mut tx,
                SWEEP_JOB,
                &json!({}),
                3,
                balai_core::db::now() + Duration::hours(1),
            )
            .await
            .map_err(|e| e.to_string())?;
            tx.commit().await.map_err(|e| e.to_string())?;
            Ok(())
        }
    });
}
