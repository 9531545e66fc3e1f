//! A unit's admin adds its own extra survey questions, or stops asking one. At most
//! `[performance] max_extra_questions` at once ([`crate::domain::config`]); a retired question
//! keeps its answers in the reports.

use balai_core::audit::{self, AuditEvent};
use balai_core::ids::AgencyId;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use serde_json::{json, Value};

use crate::domain::audit as actions;
use crate::domain::config::config;
use crate::domain::extra::check_text;
use crate::domain::permissions::{acts_for, PerfAction};
use crate::errors::{PerfResult, PerformanceError};
use crate::store::extra;

async fn record(
    tx: &mut balai_core::Tx,
    meta: &ReqMeta,
    actor: &Actor,
    unit: &balai_core::accounts::Agency,
    action: &'static str,
    summary: Value,
) -> PerfResult<()> {
    audit::record(
        tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action,
            target_kind: actions::TARGET_AGENCY,
            target_id: unit.id.to_string(),
            region_code: Some(unit.region_code.clone()),
            summary,
        },
    )
    .await?;
    Ok(())
}

/// Add a question (Indonesian text required, English optional); its id.
pub async fn add(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    agency_id: AgencyId,
    text_id: &str,
    text_en: &str,
) -> PerfResult<i64> {
    let unit = super::unit(&ctx.db, agency_id).await?;
    if !acts_for(actor, &unit, PerfAction::ManageSettings) {
        return Err(PerformanceError::Forbidden);
    }
    let text_id = check_text(text_id, true).ok_or(PerformanceError::BadQuestion)?;
    let text_en = check_text(text_en, false).ok_or(PerformanceError::BadQuestion)?;
    let mut tx = ctx.begin().await?;
    let max = config(ctx).max_extra_questions;
    if extra::active_tx(&mut tx, agency_id).await?.len() >= max {
        return Err(PerformanceError::TooManyQuestions { max });
    }
    let id = extra::insert(&mut tx, agency_id, &text_id, &text_en).await?;
    let summary = json!({ "question": id, "text": text_id, "text_en": text_en });
    record(
        &mut tx,
        meta,
        actor,
        &unit,
        actions::QUESTION_ADDED,
        summary,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Stop asking a question; 404 if the unit asks no such question.
pub async fn retire(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    agency_id: AgencyId,
    question: i64,
) -> PerfResult<()> {
    let unit = super::unit(&ctx.db, agency_id).await?;
    if !acts_for(actor, &unit, PerfAction::ManageSettings) {
        return Err(PerformanceError::Forbidden);
    }
    let mut tx = ctx.begin().await?;
    if !extra::retire(&mut tx, agency_id, question).await? {
        return Err(PerformanceError::NotFound);
    }
    let summary = json!({ "question": question });
    record(
        &mut tx,
        meta,
        actor,
        &unit,
        actions::QUESTION_RETIRED,
        summary,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
