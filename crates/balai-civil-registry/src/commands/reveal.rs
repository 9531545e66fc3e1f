//! Opening personal data is an audited act: the full record (NIK and KK in clear), an uploaded
//! document, a NIK search.

use balai_core::audit::{self, AuditEvent};
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use serde_json::json;

use crate::crypto;
use crate::domain::access::sees;
use crate::domain::audit as actions;
use crate::domain::nik::{mask, Nik};
use crate::errors::{CivilRegistryError, CrResult};
use crate::store::{self, ApplicationRow, DocumentMeta};

/// The NIK and KK of an application in clear, for an official who may see it.
pub async fn reveal(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    row: &ApplicationRow,
) -> CrResult<(String, String)> {
    let mut tx = ctx.begin().await?;
    let keys = crypto::keys(&mut tx).await?;
    let plain = |b: &[u8]| {
        keys.decrypt(b)
            .map_err(|e| CivilRegistryError::from(anyhow::anyhow!(e)))
    };
    let nik = plain(&row.nik_enc)?;
    let kk = plain(&row.kk_enc)?;
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: actions::PERSONAL_DATA_READ,
            target_kind: actions::TARGET_APPLICATION,
            target_id: row.tracking_code.clone(),
            region_code: Some(row.kelurahan_code.clone()),
            summary: json!({ "fields": ["nik", "kk", "name", "birth_date", "contact", "documents"] }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((nik, kk))
}

/// A document of an application, by an official (`actor`) or by the applicant (`None`).
pub async fn document_read(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: Option<&Actor>,
    row: &ApplicationRow,
    doc: &DocumentMeta,
) -> CrResult<()> {
    let summary = match actor {
        Some(_) => json!({ "requirement": doc.requirement_key }),
        None => json!({ "by": "applicant", "requirement": doc.requirement_key }),
    };
    audit::record_now(
        &ctx.db,
        &meta.audit(actor),
        AuditEvent {
            action: actions::PERSONAL_DATA_READ,
            target_kind: actions::TARGET_DOCUMENT,
            target_id: format!("{}/{}", row.tracking_code, doc.id),
            region_code: Some(row.kelurahan_code.clone()),
            summary,
        },
    )
    .await?;
    Ok(())
}

/// The applications filed with a NIK that the official may see, found by the NIK's keyed
/// hash; every search is recorded.
pub async fn nik_search(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    nik: &Nik,
) -> CrResult<Vec<ApplicationRow>> {
    let keys = crypto::keys_db(&ctx.db).await?;
    let rows: Vec<ApplicationRow> =
        store::by_nik_hash(&ctx.db, &keys.lookup_hash("nik", nik.as_str()))
            .await?
            .into_iter()
            .filter(|r| sees(actor, r.routing()))
            .collect();
    audit::record_now(
        &ctx.db,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: actions::PERSONAL_DATA_SEARCH,
            target_kind: actions::TARGET_APPLICATION,
            target_id: "nik".into(),
            region_code: actor.agency.as_ref().map(|a| a.region_code.clone()),
            summary: json!({ "nik": mask(nik.as_str()), "found": rows.len() }),
        },
    )
    .await?;
    Ok(rows)
}
