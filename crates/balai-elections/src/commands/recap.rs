//! Recording a region's plenary recapitulation: its results become official, and every entry
//! inside it is refused from then on, a re-vote's (PSU) too. Only an admin takes a recorded
//! recapitulation back, with a reason; then entries (a PSU, a correction) are accepted again
//! until the region is recapitulated anew.

use balai_core::audit::{self, AuditEvent};
use balai_core::regions::{self, RegionCode};
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;
use serde_json::json;

use super::require;
use crate::domain::audit_actions;
use crate::domain::election::document_ref_valid;
use crate::domain::permissions::Action;
use crate::errors::Refusal;
use crate::queries::load_election;
use crate::store::{recaps, totals};

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecapInput {
    /// The region whose plenary recapitulation is recorded (a village, district, regency or
    /// province inside the election's region).
    #[schema(schema_with = balai_core::web::schema::region_code)]
    pub region_code: String,
    /// The recapitulation document, e.g. the number of its minutes (berita acara); at most
    /// 200 characters.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub document_ref: String,
}

pub async fn record_recap(
    ctx: &AppCtx,
    actor: &Actor,
    meta: &ReqMeta,
    election_id: i64,
    input: &RecapInput,
) -> AppResult<()> {
    let e = load_election(ctx, election_id).await?;
    let code = RegionCode::parse(input.region_code.trim())?;
    let doc = input.document_ref.trim();
    if !RegionCode::parse(&e.region_code)?.contains(code.as_str()) || !document_ref_valid(doc) {
        return Err(Refusal::BadRecap.into());
    }
    require(actor, code.as_str(), Action::RecordRecap)?;
    // An official result rests on entered ones: a region with none cannot be frozen.
    if totals::get(&ctx.db, election_id, code.as_str())
        .await?
        .tps_entered
        == 0
    {
        return Err(Refusal::RecapWithoutResults(code.to_string()).into());
    }
    let mut tx = ctx.begin().await?;
    if !regions::exists_in_tx(&mut tx, code.as_str()).await? {
        return Err(super::setup::unknown_region(code.as_str()));
    }
    totals::touch(&mut tx, election_id).await?;
    if recaps::insert_recap(
        &mut tx,
        election_id,
        code.as_str(),
        doc,
        actor.user.id,
        &actor.user.username,
    )
    .await?
        == 0
    {
        return Err(Refusal::RecapExists(code.to_string()).into());
    }
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: audit_actions::RECAP_RECORDED,
            target_kind: "election",
            target_id: election_id.to_string(),
            region_code: Some(code.to_string()),
            summary: json!({ "document_ref": doc }),
        },
    )
    .await?;
    tx.commit().await?;
    crate::cache::changed(ctx);
    crate::anchor::checkpoint_now(ctx, election_id).await;
    Ok(())
}

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReopenRecapInput {
    /// The region whose recorded recapitulation is taken back.
    #[schema(schema_with = balai_core::web::schema::region_code)]
    pub region_code: String,
    /// Why (e.g. the decision ordering a re-vote inside the region): required, at most 1,000
    /// characters; kept with the reopened recapitulation and in the audit log.
    #[schema(min_length = 1, max_length = 1000, pattern = r"\S")]
    pub reason: String,
}

/// The most characters a reason for reopening a recapitulation may have.
const MAX_REOPEN_REASON: usize = 1000;

/// Take back a region's recorded recapitulation (an admin, with a reason).
pub async fn reopen_recap(
    ctx: &AppCtx,
    actor: &Actor,
    meta: &ReqMeta,
    election_id: i64,
    input: &ReopenRecapInput,
) -> AppResult<()> {
    let e = load_election(ctx, election_id).await?;
    let code = RegionCode::parse(input.region_code.trim())?;
    if !RegionCode::parse(&e.region_code)?.contains(code.as_str()) {
        return Err(Refusal::BadRecap.into());
    }
    require(actor, code.as_str(), Action::ReopenRecap)?;
    let reason = input.reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REOPEN_REASON {
        return Err(Refusal::BadReopenReason.into());
    }
    let mut tx = ctx.begin().await?;
    totals::touch(&mut tx, election_id).await?;
    let Some(recap) = recaps::reopen_recap(
        &mut tx,
        election_id,
        code.as_str(),
        actor.user.id,
        &actor.user.username,
        reason,
    )
    .await?
    else {
        return Err(Refusal::NoRecap(code.to_string()).into());
    };
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: audit_actions::RECAP_REOPENED,
            target_kind: "election",
            target_id: election_id.to_string(),
            region_code: Some(code.to_string()),
            summary: json!({ "document_ref": recap.document_ref, "reason": reason }),
        },
    )
    .await?;
    tx.commit().await?;
    crate::cache::changed(ctx);
    Ok(())
}
