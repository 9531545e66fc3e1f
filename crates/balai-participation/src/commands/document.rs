//! Upload a signed document: an agreement's signed PDF (by an official of one of its
//! parties) or an activity's signed attendance list (by an official of the organiser). The
//! file is checked by its content before anything is stored; a new upload becomes the current
//! version and every earlier one is kept.

use balai_core::audit::AuditEvent;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::authorize::{acts_for, audited, by, require};
use crate::domain::audit as actions;
use crate::domain::document::{check, DocKind, FileType};
use crate::domain::permissions::Action;
use crate::errors::{PResult, ParticipationError};
use crate::store::{activities, agreements, documents};

/// A stored version.
#[derive(Clone, Debug)]
pub struct Stored {
    pub version: i64,
    pub sha256: String,
    pub file_type: FileType,
    pub size: usize,
}

pub async fn upload(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    (kind, owner_id): (DocKind, i64),
    bytes: &[u8],
) -> PResult<Stored> {
    let action = match kind {
        DocKind::Agreement => Action::RecordAgreement,
        DocKind::Attendance => Action::RecordActivity,
    };
    require(actor, action)?;
    let mut tx = ctx.begin().await?;
    let region = match kind {
        DocKind::Agreement => {
            let Some(a) = agreements::lock(&mut tx, owner_id).await? else {
                return Err(ParticipationError::NotFound);
            };
            let parties = agreements::party_agencies(&mut tx, owner_id).await?;
            if !parties.iter().any(|p| acts_for(actor, Some(*p))) {
                return Err(ParticipationError::Forbidden);
            }
            a.region_code
        }
        DocKind::Attendance => {
            let Some(a) = activities::lock(&mut tx, owner_id).await? else {
                return Err(ParticipationError::NotFound);
            };
            if !acts_for(actor, a.organiser_agency_id) {
                return Err(ParticipationError::Forbidden);
            }
            crate::domain::withdrawal::still_open(a.withdrawn())?;
            a.region_code
        }
    };
    // Checked after the permission: a stranger learns nothing about what would be accepted.
    let max = crate::domain::settings::settings(ctx).max_document_bytes;
    let file_type = check(kind, bytes, max)?;
    let sha256 = hex::encode(Sha256::digest(bytes));
    let version = documents::insert(
        &mut tx,
        kind,
        owner_id,
        (file_type, &sha256, bytes),
        by(actor),
    )
    .await?;
    let target_kind = match kind {
        DocKind::Agreement => actions::TARGET_AGREEMENT,
        DocKind::Attendance => actions::TARGET_ACTIVITY,
    };
    audited(
        &mut tx,
        meta,
        actor,
        AuditEvent {
            action: actions::DOCUMENT_UPLOADED,
            target_kind,
            target_id: owner_id.to_string(),
            region_code: Some(region),
            summary: json!({
                "document": kind.as_str(),
                "version": version,
                "sha256": sha256,
                "content_type": file_type.content_type(),
                "size": bytes.len(),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Stored {
        version,
        sha256,
        file_type,
        size: bytes.len(),
    })
}
