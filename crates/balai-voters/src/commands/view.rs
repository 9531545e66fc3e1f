//! An official opens one voter's full record: by election and NIK (typed in, never listed),
//! one at a time, and each opening is audited with the masked NIK. There is no way to list
//! records in bulk.

use balai_core::audit::{self, AuditEvent};
use balai_core::nik::mask;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use serde_json::json;

use super::authorize::require;
use super::lookup::nik_hash;
use crate::domain::audit as actions;
use crate::domain::block::{self, Place};
use crate::domain::permissions::Action;
use crate::domain::{nik, record};
use crate::errors::{VResult, VoterError};
use crate::store::{elections, records};

/// A voter's full record as it was imported ([`record::decode`]).
pub type FullRecord = serde_json::Value;

pub async fn view(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    election_id: i64,
    raw_nik: &str,
    purpose: &str,
) -> VResult<FullRecord> {
    let election = elections::get(&ctx.db, election_id)
        .await?
        .ok_or(VoterError::ElectionNotFound)?;
    require(actor, &election.region_code, Action::ReadRecord)?;
    let nik = nik::check(raw_nik, super::today(), |_| true).map_err(VoterError::Impossible)?;
    let mut tx = ctx.begin().await?;
    let keys = balai_core::pii::keys(&mut tx, super::PII_PURPOSE).await?;
    let key = nik_hash(&keys, nik.as_str());
    let Some((village, sealed, place)) = records::sealed(&ctx.db, election_id, &key).await? else {
        return Err(VoterError::NotListed);
    };
    let record: FullRecord = open(&keys, &sealed, place).map_err(anyhow::Error::msg)?;
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: actions::PERSONAL_DATA_READ,
            target_kind: actions::TARGET_VOTER,
            target_id: mask(nik.as_str()),
            region_code: Some(village),
            summary: json!({
                "election_id": election_id,
                "nik_masked": mask(nik.as_str()),
                "purpose": purpose.chars().take(300).collect::<String>(),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(record)
}

/// The one record at `place` of a sealed row: a block's other records are dropped unread.
fn open(
    keys: &balai_core::pii::PiiKeys,
    sealed: &[u8],
    place: Place,
) -> Result<FullRecord, String> {
    match place {
        Place::Row(_) => record::decode(&keys.decrypt(sealed)?),
        Place::Block { slot, .. } => {
            let plain = zeroize::Zeroizing::new(keys.decrypt_bytes(sealed)?);
            record::decode_binary(block::record(&plain, slot)?)
        }
    }
}
