//! Tanggapan masyarakat: file a response to a TPS's published list (anyone, no account), and
//! the PPS's public answer (a KPU official whose area covers the TPS's village).

use balai_core::audit::{self, AuditEvent};
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use serde_json::json;

use super::authorize::require;
use crate::domain::audit as actions;
use crate::domain::permissions::Action;
use crate::domain::report::{self, Draft};
use crate::domain::stage::Stage;
use crate::errors::{VResult, VoterError};
use crate::store::{elections, lists, reports};

/// A filed response: its public code and when the answer is due.
#[derive(Clone, Debug)]
pub struct Filed {
    pub code: String,
    pub due: time::OffsetDateTime,
}

pub async fn file(
    ctx: &AppCtx,
    meta: &ReqMeta,
    election_id: i64,
    village_code: &str,
    draft: &Draft,
) -> VResult<Filed> {
    let r = report::validate(draft)?;
    let election = elections::get(&ctx.db, election_id)
        .await?
        .ok_or(VoterError::ElectionNotFound)?;
    let village = village_code.trim();
    if !village.starts_with(&format!("{}.", election.region_code))
        || village.split('.').count() != 4
    {
        return Err(VoterError::Report(report::Invalid::Village));
    }
    let mut tx = ctx.begin().await?;
    let open = lists::latest_tx(&mut tx, election_id)
        .await?
        .and_then(|l| Stage::parse(&l.stage))
        .is_some_and(Stage::open_to_responses);
    if !open {
        return Err(VoterError::ListClosed);
    }
    if !balai_core::regions::exists_in_tx(&mut tx, village).await? {
        return Err(VoterError::Report(report::Invalid::Village));
    }
    let filed = balai_core::db::now();
    let due = report::due(filed);
    let code = balai_core::secret::random_code(10);
    let id = reports::insert(&mut tx, &code, election_id, village, &r, filed, due).await?;
    audit::record(
        &mut tx,
        &meta.audit(None),
        AuditEvent {
            action: actions::REPORT_FILED,
            target_kind: actions::TARGET_REPORT,
            target_id: id.to_string(),
            region_code: Some(village.to_string()),
            summary: json!({"code": code, "kind": r.kind.as_str(), "tps_number": r.tps_number}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Filed { code, due })
}

pub async fn answer(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    code: &str,
    status: &str,
    text: &str,
) -> VResult<()> {
    let (status, text) = report::decide(status, text)?;
    let mut tx = ctx.begin().await?;
    let row = reports::get(&mut tx, code.trim())
        .await?
        .ok_or(VoterError::ReportNotFound)?;
    require(actor, &row.village_code, Action::AnswerReport)?;
    if row.status != report::Status::Open.as_str() {
        return Err(VoterError::ReportAnswered);
    }
    reports::answer(&mut tx, row.id, status, &text, actor.user.id).await?;
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: actions::REPORT_ANSWERED,
            target_kind: actions::TARGET_REPORT,
            target_id: row.id.to_string(),
            region_code: Some(row.village_code.clone()),
            summary: json!({"code": row.code, "status": status.as_str()}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
