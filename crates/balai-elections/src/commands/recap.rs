//! Recording a region's plenary recapitulation: its results become official, and ordinary
//! entries inside it are refused from then on (only a re-vote changes them).

use balai_core::audit::{self, AuditEvent};
use balai_core::regions::{self, RegionCode};
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;
use serde_json::json;

use super::require_kpu;
use crate::domain::audit_actions;
use crate::errors::Refusal;
use crate::queries::load_election;
use crate::store::{recaps, totals};

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
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
    if !RegionCode::parse(&e.region_code)?.contains(code.as_str())
        || doc.is_empty()
        || doc.chars().count() > 200
    {
        return Err(Refusal::BadRecap.into());
    }
    require_kpu(actor, code.as_str())?;
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
    Ok(())
}
