//! The registration check: a NIK *and* the name it was registered under. A NIK alone is no
//! secret (it holds its owner's birth date and sex), so the list answers only when the name
//! matches too; an unknown NIK and a wrong name get the same answer after the same work (one
//! index read, one constant-time comparison per registration or against a dummy; the TPS of a
//! registration is read only for a match). A NIK that
//! cannot exist is refused with its reason. Every answer counts against the client's budget,
//! and every failure against the NIK's and the breaker's.

use balai_core::web::AppCtx;
use subtle::ConstantTimeEq;

use super::shield::{LookupShield, Outcome};
use crate::domain::{name, nik};
use crate::errors::{VResult, VoterError};
use crate::store::{self, index::Located, lookup::Registration};

/// What the check answers.
#[derive(Clone, Debug, Default)]
pub struct Answer {
    /// Registrations whose name matched (empty: not found, for either reason).
    pub registrations: Vec<Registration>,
}

/// The 16-byte index key of a NIK.
pub fn nik_hash(keys: &balai_core::pii::PiiKeys, nik: &str) -> [u8; 16] {
    nik_hash_with(&keys.lookup_hasher(), nik)
}

/// [`nik_hash`] with a hasher keyed once (an import hashes millions).
pub fn nik_hash_with(hasher: &balai_core::pii::LookupHasher, nik: &str) -> [u8; 16] {
    let full = hasher.hash("voter-nik", nik);
    let mut out = [0u8; 16];
    out.copy_from_slice(&full[..16]);
    out
}

/// The 8-byte hash of a normalised name.
pub fn name_hash(keys: &balai_core::pii::PiiKeys, normalised: &str) -> [u8; 8] {
    name_hash_with(&keys.lookup_hasher(), normalised)
}

/// [`name_hash`] with a hasher keyed once.
pub fn name_hash_with(hasher: &balai_core::pii::LookupHasher, normalised: &str) -> [u8; 8] {
    let full = hasher.hash("voter-name", normalised);
    let mut out = [0u8; 8];
    out.copy_from_slice(&full[..8]);
    out
}

pub async fn lookup(ctx: &AppCtx, client: &str, raw_nik: &str, raw_name: &str) -> VResult<Answer> {
    let Some(shield) = ctx.ext.get::<LookupShield>() else {
        return Err(VoterError::Core(balai_core::AppError::internal(
            anyhow::anyhow!("the voter look-up shield is not registered"),
        )));
    };
    if let Err(retry_after) = shield.admit(client) {
        shield.count(ctx, Outcome::Throttled).await;
        return Err(VoterError::TooMany { retry_after });
    }
    // Structure first: a made-up NIK costs no query.
    let nik = match nik::check(raw_nik, super::today(), |_| true) {
        Ok(n) => n,
        Err(e) => return refuse(ctx, shield, e).await,
    };
    let keys = shield.keys(ctx).await?;
    let key = nik_hash(keys, nik.as_str());
    let nik_key = hex::encode(key);
    // Only a NIK whose regency exists ever spends its failures (below), so the order of this
    // and the regency's check does not change any answer.
    if let Some(retry_after) = shield.nik_exhausted(&nik_key) {
        shield.count(ctx, Outcome::Throttled).await;
        return Err(VoterError::TooMany { retry_after });
    }
    let prefix = nik::regency_prefix(&nik);
    let read = store::index::lookup(&ctx.db, &shield.parts, &key, &prefix).await?;
    if !read.regency_known {
        return refuse(ctx, shield, nik::Impossible::Region(prefix)).await;
    }
    let wanted = name_hash(keys, &name::normalise(raw_name));
    let matched = matching(read.entries, &wanted);
    let found = !matched.is_empty();
    shield.after(Some(&nik_key), !found);
    shield
        .count(
            ctx,
            if found {
                Outcome::Found
            } else {
                Outcome::NotFound
            },
        )
        .await;
    Ok(Answer {
        registrations: store::lookup::registrations(&ctx.db, matched).await?,
    })
}

/// A NIK that cannot exist: 422 with the reason, counted as refused.
async fn refuse(ctx: &AppCtx, shield: &LookupShield, e: nik::Impossible) -> VResult<Answer> {
    shield.after(None, true);
    shield.count(ctx, Outcome::Refused).await;
    Err(VoterError::Impossible(e))
}

/// The entries whose name hash equals `wanted`, each compared in constant time; with no entry
/// at all, one comparison against a dummy, so both paths do the same work.
fn matching(entries: Vec<Located>, wanted: &[u8; 8]) -> Vec<Located> {
    if entries.is_empty() {
        let dummy = [0u8; 8];
        let _ = std::hint::black_box(bool::from(dummy.ct_eq(wanted)));
        return Vec::new();
    }
    entries
        .into_iter()
        .filter(|l| bool::from(l.found.name_hash.ct_eq(wanted)))
        .collect()
}
