//! The applicant sends a corrected application back (with new files if needed): the service
//! standard counts again from that day.

use balai_core::audit::{self, AuditEvent};
use balai_core::calendar;
use balai_core::regions::{self, RegionCode};
use balai_core::web::actor::ReqMeta;
use balai_core::web::AppCtx;
use serde_json::json;
use time::Date;

use crate::domain::audit as actions;
use crate::domain::intake::{check_uploads, Upload};
use crate::domain::service::{local_date, CLOCK_KIND, CLOCK_PURPOSE};
use crate::domain::workflow::{self, Action, By, WorkState};
use crate::errors::{CivilRegistryError, CrResult};
use crate::queries::applications::applicant_row;
use crate::store::{self, settings, StateChange};

/// The applicant's label in the history.
const APPLICANT: &str = "pemohon";

pub async fn resubmit(
    ctx: &AppCtx,
    meta: &ReqMeta,
    code: &str,
    secret: &str,
    uploads: &[Upload],
) -> CrResult<Date> {
    let row = applicant_row(ctx, meta, code, secret).await?;
    let service = store::service(&ctx.db, &row.service_code)
        .await?
        .ok_or(CivilRegistryError::NotFound)?;
    let max = settings::max_upload_bytes(&ctx.db).await?;
    let files = check_uploads(&service.checklist(), uploads, max, false)?;
    let before = WorkState {
        status: row.state(),
        assignee: row.assignee_user_id,
    };
    let after = workflow::apply(before, &Action::Resubmit, By::Applicant)?;
    let tz = match RegionCode::parse(&row.kelurahan_code) {
        Ok(code) => regions::get(&ctx.db, &code).await?.map(|r| r.tz),
        Err(_) => None,
    };
    let today = local_date(balai_core::db::now(), tz.as_deref().unwrap_or("WIB"));
    let mut tx = ctx.begin().await?;
    // The service standard counts again from the day the file is complete.
    let due = calendar::start_clock(
        &mut tx,
        CLOCK_KIND,
        &row.tracking_code,
        CLOCK_PURPOSE,
        today,
        u32::try_from(service.standard_days).unwrap_or(0),
    )
    .await?;
    let n = store::change_state(
        &mut tx,
        &StateChange {
            id: row.app_id(),
            from_status: before.status.as_str(),
            from_assignee: before.assignee,
            to_status: after.status.as_str(),
            to_assignee: after.assignee,
            reason: None,
            completed_at: None,
            due_day: Some(due),
        },
    )
    .await?;
    if n == 0 {
        return Err(CivilRegistryError::ChangedMeanwhile);
    }
    for (key, filename, kind, bytes) in &files {
        let ct = kind.content_type();
        store::insert_document(&mut tx, row.app_id(), key, filename, ct, bytes).await?;
    }
    store::insert_history(
        &mut tx,
        row.app_id(),
        Action::Resubmit.name(),
        Some(before.status.as_str()),
        after.status.as_str(),
        APPLICANT,
        None,
    )
    .await?;
    audit::record(
        &mut tx,
        &meta.audit(None),
        AuditEvent {
            action: actions::RESUBMIT,
            target_kind: actions::TARGET_APPLICATION,
            target_id: row.tracking_code.clone(),
            region_code: Some(row.kelurahan_code.clone()),
            summary: json!({ "documents": files.len(), "due_day": due.to_string() }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(due)
}
