//! The expiry reminder: when an agreement is recorded or renewed, a job is queued for 30 days
//! before its validity ends ([`crate::domain::agreement::reminder_day`]); when it runs, and the
//! agreement still ends that day (no renewal since, no early end), each party agency's admins
//! get an e-mail through the notification outbox, and the reminder is audited.

use balai_core::audit::{self, AuditContext, AuditEvent};
use balai_core::jobs::{self, JobRegistry};
use balai_core::{outbox, Db, Tx};
use serde_json::json;
use time::{Date, OffsetDateTime, Time, UtcOffset};

use crate::domain::agreement::reminder_day;
use crate::domain::audit as actions;
use crate::store::{agencies, agreements};

/// The job kind (`jobs.kind`).
pub const REMINDER_JOB: &str = "participation.agreement_expiry";

/// Queue the reminder of an agreement ending on `valid_until`, at 08:00 WIB of its day.
pub async fn schedule_reminder(
    tx: &mut Tx,
    agreement_id: i64,
    valid_until: Date,
) -> Result<(), sqlx::Error> {
    let Some(day) = reminder_day(valid_until, crate::domain::today()) else {
        return Ok(());
    };
    let wib = UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC);
    let at =
        OffsetDateTime::new_in_offset(day, Time::from_hms(8, 0, 0).unwrap_or(Time::MIDNIGHT), wib);
    let run_at = at.max(balai_core::db::now());
    jobs::enqueue_at(
        tx,
        REMINDER_JOB,
        &json!({ "agreement_id": agreement_id, "valid_until": valid_until.to_string() }),
        5,
        run_at,
    )
    .await?;
    Ok(())
}

pub fn register_jobs(reg: &mut JobRegistry) {
    reg.register(
        REMINDER_JOB,
        |db: Db, payload: serde_json::Value| async move {
            remind(&db, &payload)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        },
    );
}

/// Send one agreement's reminder; returns how many e-mails were queued (0 when it was renewed
/// or is gone).
pub async fn remind(db: &Db, payload: &serde_json::Value) -> Result<usize, sqlx::Error> {
    let id = payload["agreement_id"].as_i64().unwrap_or(0);
    let until = payload["valid_until"].as_str().unwrap_or("");
    let mut tx = db.begin().await?;
    let Some(a) = agreements::lock(&mut tx, id).await? else {
        return Ok(0);
    };
    if a.valid_until.to_string() != until || a.ended_on.is_some() {
        // Renewed since (the renewal queued its own reminder), or ended early: nothing to
        // remind of.
        return Ok(0);
    }
    let subject = format!(
        "Perjanjian kerja sama {} berakhir {}",
        a.number, a.valid_until
    );
    let body = format!(
        "Perjanjian kerja sama «{}» (nomor {}) berakhir pada {}. Perpanjang atau catat \
         pengakhirannya di Balai: /kolaborasi/perjanjian/{}\n\n\
         The agreement «{}» (number {}) ends on {}. Renew it or record its end in Balai.",
        a.title,
        a.number,
        balai_core::format::date(a.valid_until, balai_core::i18n::Lang::Id),
        a.id,
        a.title,
        a.number,
        balai_core::format::date(a.valid_until, balai_core::i18n::Lang::En),
    );
    let mut sent = 0;
    for agency in agreements::party_agencies(&mut tx, id).await? {
        for email in agencies::admin_emails(&mut tx, agency).await? {
            outbox::enqueue(&mut tx, outbox::Channel::Email, &email, &subject, &body).await?;
            sent += 1;
        }
    }
    audit::record(
        &mut tx,
        &AuditContext::system(REMINDER_JOB),
        AuditEvent {
            action: actions::AGREEMENT_EXPIRY_REMINDED,
            target_kind: actions::TARGET_AGREEMENT,
            target_id: id.to_string(),
            region_code: Some(a.region_code.clone()),
            summary: json!({ "valid_until": until, "emails": sent }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(sent)
}
