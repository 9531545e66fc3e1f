//! Actions that are not status changes: classification, deadline extension, internal notes.

use balai_core::audit::{self, AuditEvent};
use balai_core::calendar;
use balai_core::{AppError, AppResult, Db, Tx};
use serde_json::json;
use time::Date;

use super::Who;
use crate::domain::ClockConfig;
use crate::store::{self, Complaint, NewEvent};

pub(super) async fn classify(
    tx: &mut Tx,
    c: &Complaint,
    who: &Who<'_>,
    category: &str,
    village: &str,
    cfg: &ClockConfig,
    today: Date,
) -> AppResult<()> {
    if !c.needs_classification {
        return Err(AppError::conflict(
            "already_classified",
            "Laporan ini sudah terklasifikasi.",
            "This report is already classified.",
        ));
    }
    let village = village.trim();
    if !store::village_exists_in_tx(tx, village).await? {
        return Err(AppError::unprocessable(
            "invalid_complaint",
            "Kode desa/kelurahan tidak dikenal.",
            "Unknown village code.",
        ));
    }
    let cat = store::category_in_tx(tx, village, category.trim())
        .await?
        .ok_or_else(|| {
            AppError::unprocessable(
                "invalid_complaint",
                "Kategori tidak dikenal.",
                "Unknown category.",
            )
        })?;
    let agency = match cat.agency_id {
        Some(id) => Some(id),
        None => store::nearest_agency_in_tx(tx, &cat.agency_kind, village)
            .await?
            .map(|a| a.id),
    };
    store::classify(tx, c.id, &cat, village, agency).await?;
    calendar::start_clock(
        tx,
        store::SUBJECT,
        &c.id.to_string(),
        store::CLOCK_DISPATCH,
        today,
        cfg.dispatch_working_days,
    )
    .await?;
    store::add_event(
        tx,
        c.id,
        &NewEvent {
            kind: "classified",
            public: true,
            actor_user_id: who.ctx.actor_user_id,
            actor_label: who.label,
            from_status: None,
            to_status: None,
            from_agency: c.agency_id,
            to_agency: agency,
            body: &format!("Diklasifikasikan: {}.", cat.name_id),
        },
    )
    .await?;
    audit::record(tx, who.ctx, AuditEvent {
        action: "complaint.classify",
        target_kind: store::SUBJECT,
        target_id: c.id.to_string(),
        region_code: Some(village.to_string()),
        summary: json!({ "tracking_code": c.tracking_code, "category": cat.code, "agency_id": agency }),
    })
    .await?;
    Ok(())
}

pub(super) async fn extend_follow_up(tx: &mut Tx, db: &Db, id: i64, extra: u32) -> AppResult<()> {
    let clock =
        calendar::get_clock(db, store::SUBJECT, &id.to_string(), store::CLOCK_FOLLOW_UP).await?;
    if let Some(k) = clock.filter(|k| k.open) {
        let days = u32::try_from(k.working_days).unwrap_or(0) + extra;
        calendar::start_clock(
            tx,
            store::SUBJECT,
            &id.to_string(),
            store::CLOCK_FOLLOW_UP,
            k.start_day,
            days,
        )
        .await?;
    }
    Ok(())
}

pub(super) async fn internal_event(
    tx: &mut Tx,
    c: &Complaint,
    who: &Who<'_>,
    kind: &str,
    body: &str,
    summary: serde_json::Value,
) -> AppResult<()> {
    store::add_event(
        tx,
        c.id,
        &NewEvent {
            kind,
            public: false,
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
    let action = format!("complaint.{kind}");
    audit::record(
        tx,
        who.ctx,
        AuditEvent {
            action: &action,
            target_kind: store::SUBJECT,
            target_id: c.id.to_string(),
            region_code: c.village_code.clone(),
            summary: json!({ "tracking_code": c.tracking_code, "detail": summary }),
        },
    )
    .await?;
    Ok(())
}
