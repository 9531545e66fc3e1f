//! Officials' work on applications and the applicant's correction, each step in one
//! transaction with its history row, audit event, clock change and notification.

use balai_core::accounts::{Role, Scope};
use balai_core::audit::{self, AuditEvent};
use balai_core::auth;
use balai_core::calendar;
use balai_core::regions::{self, RegionCode};
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use balai_core::{AppError, AppResult};
use serde_json::json;
use time::Date;

use crate::crypto;
use crate::domain::service::local_date;
use crate::domain::workflow::{self, Action, By, Stage, Status, WorkState, WorkflowError};
use crate::store::{self, ApplicationRow, StateChange};
use crate::submit::{self, check_uploads, invalid, notify, Upload, CLOCK_KIND, CLOCK_PURPOSE};

pub fn status_of(row: &ApplicationRow) -> Status {
    Status::parse(&row.status).unwrap_or(Status::Submitted)
}

fn agency_is(actor: &Actor, kind: &str, id: Option<i64>) -> bool {
    match (&actor.scope, id) {
        (
            Scope::Region {
                agency_id,
                agency_kind,
                ..
            },
            Some(want),
        ) => agency_kind == kind && *agency_id == want,
        _ => false,
    }
}

/// Officials see applications routed to their own Disdukcapil or kelurahan counter.
pub fn sees(actor: &Actor, row: &ApplicationRow) -> bool {
    actor.scope == Scope::All
        || agency_is(actor, "disdukcapil", Some(row.disdukcapil_agency_id))
        || agency_is(actor, "kelurahan", row.counter_agency_id)
}

/// May the actor work an application at this stage?
pub fn works_stage(actor: &Actor, row: &ApplicationRow, stage: Stage) -> bool {
    if actor.is_superadmin() {
        return true;
    }
    if actor.role == Role::Viewer {
        return false;
    }
    match stage {
        Stage::Verification => match row.counter_agency_id {
            Some(counter) => agency_is(actor, "kelurahan", Some(counter)),
            None => agency_is(actor, "disdukcapil", Some(row.disdukcapil_agency_id)),
        },
        Stage::Processing => agency_is(actor, "disdukcapil", Some(row.disdukcapil_agency_id)),
    }
}

pub fn is_supervisor(actor: &Actor) -> bool {
    actor.is_superadmin() || matches!(actor.role, Role::Supervisor | Role::Admin)
}

pub fn workflow_err(e: WorkflowError) -> AppError {
    let status = match e {
        WorkflowError::TakenByOther | WorkflowError::NotAllowed(_) => {
            axum::http::StatusCode::CONFLICT
        }
        WorkflowError::SupervisorOnly => axum::http::StatusCode::FORBIDDEN,
        WorkflowError::NotTaken | WorkflowError::ReasonRequired => {
            axum::http::StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    AppError::new(status, e.code(), e.to_string(), e.message_en())
}

fn changed_meanwhile() -> AppError {
    AppError::conflict(
        "changed_meanwhile",
        "Permohonan ini baru saja diubah orang lain. Muat ulang lalu coba lagi.",
        "This application was just changed by someone else. Reload and try again.",
    )
}

/// Load an application the actor may see (else "not found", so its existence does not leak).
pub async fn visible(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<ApplicationRow> {
    let row = store::application(&ctx.db, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !sees(actor, &row) {
        return Err(AppError::not_found());
    }
    Ok(row)
}

fn status_message(row: &ApplicationRow, to: Status, note: Option<&str>) -> (String, String) {
    let subject = format!("Permohonan {}: {}", row.tracking_code, to.label_id());
    let mut body = format!(
        "Status permohonan {} sekarang: {}.",
        row.tracking_code,
        to.label_id()
    );
    if let Some(n) = note {
        body.push_str(&format!(" Catatan petugas: {n}"));
    }
    if to == Status::NeedsCorrection {
        body.push_str(" Perbaiki melalui halaman lacak dengan kode lacak dan kode rahasia Anda.");
    }
    (subject, body)
}

/// An official's step on an application.
pub async fn act(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    id: i64,
    action: Action,
) -> AppResult<Status> {
    actor.require_writer()?;
    let mut tx = ctx.begin().await?;
    let row = store::application_tx(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !sees(actor, &row) {
        return Err(AppError::not_found());
    }
    let from = status_of(&row);
    let allowed = match &action {
        Action::Release => is_supervisor(actor) || row.assignee_user_id == Some(actor.user.id),
        Action::Complete => {
            works_stage(actor, &row, Stage::Processing)
                || works_stage(actor, &row, Stage::Verification)
        }
        _ => from
            .stage()
            .is_some_and(|stage| works_stage(actor, &row, stage)),
    };
    if !allowed {
        return Err(AppError::forbidden());
    }
    let before = WorkState {
        status: from,
        assignee: row.assignee_user_id,
    };
    let by = By::Official {
        user_id: actor.user.id,
        supervisor: is_supervisor(actor),
    };
    let after = workflow::apply(before, &action, by).map_err(workflow_err)?;
    let note = match &action {
        Action::RequestCorrection { reason } | Action::Reject { reason } => {
            Some(reason.trim().to_string())
        }
        _ => None,
    };
    let now = balai_core::db::now();
    let n = store::change_state(
        &mut tx,
        &StateChange {
            id,
            from_status: from.as_str(),
            from_assignee: row.assignee_user_id,
            to_status: after.status.as_str(),
            to_assignee: after.assignee,
            reason: note.as_deref(),
            completed_at: (after.status == Status::Completed).then_some(now),
            due_day: None,
        },
    )
    .await?;
    if n == 0 {
        return Err(changed_meanwhile());
    }
    if matches!(
        after.status,
        Status::NeedsCorrection | Status::Completed | Status::Rejected
    ) {
        calendar::stop_clock(&mut tx, CLOCK_KIND, &row.tracking_code, CLOCK_PURPOSE).await?;
    }
    store::insert_history(
        &mut tx,
        id,
        action.name(),
        Some(from.as_str()),
        after.status.as_str(),
        &actor.user.username,
        note.as_deref(),
    )
    .await?;
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: &format!("civil_registry.{}", action.name()),
            target_kind: "cr_application",
            target_id: row.tracking_code.clone(),
            region_code: Some(row.kelurahan_code.clone()),
            summary: json!({
                "from": from.as_str(), "to": after.status.as_str(),
                "assignee_before": row.assignee_user_id, "assignee_after": after.assignee,
                "reason": note,
            }),
        },
    )
    .await?;
    if after.status != from {
        let (subject, body) = status_message(&row, after.status, note.as_deref());
        notify(
            &mut tx,
            row.contact_email.as_deref(),
            row.contact_phone.as_deref(),
            &subject,
            &body,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(after.status)
}

/// The applicant proves they hold the receipt: tracking code and its secret. Failed attempts
/// are throttled per code and per client address like failed logins (DOMAIN §9).
pub async fn applicant_row(
    ctx: &AppCtx,
    meta: &ReqMeta,
    code: &str,
    secret: &str,
) -> AppResult<ApplicationRow> {
    let code = crate::domain::intake::normalise_code(code);
    let secret = crate::domain::intake::normalise_code(secret);
    let throttle_key = format!(
        "dukcapil-track:{}",
        code.chars().take(20).collect::<String>()
    );
    if auth::login_throttled(&ctx.db, &throttle_key, &meta.ip, &ctx.cfg.login).await? {
        return Err(AppError::too_many(
            "Terlalu banyak percobaan kode yang salah. Tunggu beberapa menit lalu coba lagi.",
            "Too many wrong attempts. Wait a few minutes and try again.",
        ));
    }
    let failed = || async {
        let mut tx = ctx.begin().await?;
        auth::record_login_failure(&mut tx, &throttle_key, &meta.ip).await?;
        tx.commit().await?;
        Ok::<(), AppError>(())
    };
    let wrong = || {
        AppError::new(
            axum::http::StatusCode::NOT_FOUND,
            "tracking_not_found",
            "Kode lacak atau kode rahasia salah.",
            "Wrong tracking code or secret.",
        )
    };
    let Some(row) = store::by_tracking_code(&ctx.db, &code).await? else {
        failed().await?;
        return Err(wrong());
    };
    let keys = crypto::keys_db(&ctx.db).await?;
    let expected = submit::secret_hash(&keys, &row.tracking_code, &secret);
    if !subtle_eq(expected.as_bytes(), row.secret_hash.as_bytes()) {
        failed().await?;
        return Err(wrong());
    }
    Ok(row)
}

fn subtle_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The applicant sends a corrected application back (with new files if needed).
pub async fn resubmit(
    ctx: &AppCtx,
    meta: &ReqMeta,
    code: &str,
    secret: &str,
    uploads: &[Upload],
) -> AppResult<Date> {
    let row = applicant_row(ctx, meta, code, secret).await?;
    let service = store::service(&ctx.db, &row.service_code)
        .await?
        .ok_or_else(AppError::not_found)?;
    let max = submit::max_upload_bytes(ctx).await?;
    let files = check_uploads(&service, uploads, max, false)?;
    let before = WorkState {
        status: status_of(&row),
        assignee: row.assignee_user_id,
    };
    let after = workflow::apply(before, &Action::Resubmit, By::Applicant).map_err(workflow_err)?;
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
            id: row.id,
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
        return Err(changed_meanwhile());
    }
    for (key, filename, kind, bytes) in &files {
        store::insert_document(&mut tx, row.id, key, filename, kind.content_type(), bytes).await?;
    }
    store::insert_history(
        &mut tx,
        row.id,
        "resubmit",
        Some(before.status.as_str()),
        after.status.as_str(),
        "pemohon",
        None,
    )
    .await?;
    audit::record(
        &mut tx,
        &meta.audit(None),
        AuditEvent {
            action: "civil_registry.resubmit",
            target_kind: "cr_application",
            target_id: row.tracking_code.clone(),
            region_code: Some(row.kelurahan_code.clone()),
            summary: json!({ "documents": files.len(), "due_day": due.to_string() }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(due)
}

/// Opening a full record (NIK and KK in clear) is an audited read of personal data.
pub async fn reveal(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    row: &ApplicationRow,
) -> AppResult<(String, String)> {
    let mut tx = ctx.begin().await?;
    let keys = crypto::keys(&mut tx).await?;
    let plain = |b: &[u8]| {
        keys.decrypt(b)
            .map_err(|e| AppError::internal(anyhow::anyhow!(e)))
    };
    let nik = plain(&row.nik_enc)?;
    let kk = plain(&row.kk_enc)?;
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: "personal_data.read",
            target_kind: "cr_application",
            target_id: row.tracking_code.clone(),
            region_code: Some(row.kelurahan_code.clone()),
            summary: json!({ "fields": ["nik", "kk", "name", "birth_date", "contact", "documents"] }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((nik, kk))
}

/// Parse an action posted by a form or the API.
pub fn parse_action(name: &str, reason: Option<&str>) -> AppResult<Action> {
    let reason = reason
        .unwrap_or("")
        .trim()
        .chars()
        .take(1000)
        .collect::<String>();
    Ok(match name {
        "take" => Action::Take,
        "release" => Action::Release,
        "request_correction" => Action::RequestCorrection { reason },
        "approve" => Action::Approve,
        "mark_ready" => Action::MarkReady,
        "complete" => Action::Complete,
        "reject" => Action::Reject { reason },
        _ => {
            return Err(invalid(
                "unknown_action",
                "Tindakan tidak dikenal.",
                "Unknown action.",
            ))
        }
    })
}
