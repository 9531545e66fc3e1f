//! Photos of the paper form (hash stored; a photo already used for another TPS flags both).

use balai_core::audit::{self, AuditEvent};
use balai_core::ids::{ElectionId, TpsId};
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use balai_core::{AppError, AppResult};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::require;
use crate::domain::audit_actions;
use crate::domain::election::ElectionStatus;
use crate::domain::permissions::Action;
use crate::domain::tally::{Agg, Deltas};
use crate::errors::Refusal;
use crate::queries::load_election;
use crate::store::totals;
use crate::store::{self, photos};

pub const MAX_PHOTO_BYTES: usize = 8 * 1024 * 1024;

/// The image type from its first bytes; the declared type must agree.
pub fn sniff(data: &[u8]) -> Option<&'static str> {
    if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if data.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else if data.len() > 12 && &data[0..4] == b"RIFF" && &data[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PhotoStored {
    pub id: i64,
    pub sha256: String,
    /// Other TPS that already have this very photo (the photo is then flagged).
    pub reused_from_tps: Vec<i64>,
}

pub async fn upload(
    ctx: &AppCtx,
    actor: &Actor,
    meta: &ReqMeta,
    election_id: ElectionId,
    tps_id: TpsId,
    declared: Option<&str>,
    data: &[u8],
) -> AppResult<PhotoStored> {
    let e = load_election(ctx, election_id.get()).await?;
    let tps = store::get_tps(&ctx.db, election_id, tps_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let election_id = election_id.get();
    require(actor, &tps.village_code, Action::UploadPhoto)?;
    let kind = sniff(data).filter(|k| declared.is_none_or(|d| d.starts_with(k)));
    let Some(kind) = kind.filter(|_| data.len() <= MAX_PHOTO_BYTES) else {
        return Err(Refusal::BadPhoto.into());
    };
    if e.status != ElectionStatus::Open {
        return Err(Refusal::PhotoElectionClosed.into());
    }
    let sha = hex::encode(Sha256::digest(data));
    let mut tx = ctx.begin().await?;
    totals::touch(&mut tx, election_id).await?;
    let holders = photos::tps_with_hash(&mut tx, election_id, &sha).await?;
    if holders.contains(&tps.id) {
        return Err(Refusal::DuplicatePhoto.into());
    }
    let reused = !holders.is_empty();
    let id = photos::insert_photo(
        &mut tx,
        election_id,
        tps.id,
        &sha,
        kind,
        data,
        reused,
        actor.user.id,
        &actor.user.username,
    )
    .await?;
    if reused {
        // Only TPS within the uploader's region are flagged (review M6).
        let region = actor.scope.region_prefix();
        let newly_flagged = photos::mark_reused(&mut tx, election_id, &sha, region).await?;
        let mut deltas = Deltas::default();
        let one = Agg {
            tps_flagged: 1,
            ..Agg::default()
        };
        for village in &newly_flagged {
            deltas.add(village, &one, 1);
        }
        totals::apply(&mut tx, election_id, &deltas).await?;
    }
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: audit_actions::PHOTO_UPLOADED,
            target_kind: "tps",
            target_id: tps.id.to_string(),
            region_code: Some(tps.village_code.clone()),
            summary: json!({ "election_id": election_id, "sha256": sha, "size": data.len(), "reused_from_tps": holders }),
        },
    )
    .await?;
    tx.commit().await?;
    crate::cache::changed(ctx);
    Ok(PhotoStored {
        id,
        sha256: sha,
        reused_from_tps: holders,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_image_types() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some("image/png"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"<svg onload=alert(1)>"), None);
    }
}
