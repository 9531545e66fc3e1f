//! Signed checkpoints: the head of a hash chain (the audit chain, an election's publication log)
//! at a moment, signed with the server's Ed25519 key, linked to the chain's previous checkpoint
//! and published (`GET /api/v1/checkpoints`) so that outsiders keep copies. Whoever can write to
//! the database can rewrite a chain and recompute every hash after the change, but cannot sign:
//! a checkpoint kept outside shows the rewrite, because its `(seq, head_hash)` is no longer a
//! prefix of the chain (`balai audit verify --checkpoint FILE`, `balai verify-log --checkpoint`).
//!
//! The exact bytes signed are documented in `docs/CHECKPOINTS.md` (and built by [`statement`]):
//!
//! ```text
//! balai-checkpoint/v1
//! chain=audit
//! number=3
//! seq=120
//! head=<64 hex>
//! time=2026-12-05T15:37:29Z
//! key=<key id>
//! prev=<64 hex>
//! ```
//!
//! each line ending in `\n`, UTF-8. The signature is Ed25519 (RFC 8032) over those bytes.

pub mod job;
pub mod key;
pub mod store;

use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

pub use key::CheckpointKey;

/// The first line of every statement; a different format gets a different line.
pub const FORMAT: &str = "balai-checkpoint/v1";
/// `prev` of a chain's first checkpoint.
pub const NO_PREV: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// The audit chain's name.
pub const AUDIT: &str = "audit";

/// The name of an election's publication log as a chain.
pub fn election_chain(election_id: i64) -> String {
    format!("election:{election_id}")
}

/// A chain and its head: the sequence number of its last entry and that entry's hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    pub chain: String,
    pub seq: i64,
    pub hash: String,
}

/// One signed checkpoint, as stored and as served (the JSON of `GET /api/v1/checkpoints`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Checkpoint {
    /// `audit` or `election:ID`.
    pub chain: String,
    /// 1, 2, 3, … within the chain.
    pub number: i64,
    /// The sequence number of the chain's last entry when the checkpoint was made.
    pub seq: i64,
    /// That entry's hash (lowercase hex).
    pub head_hash: String,
    /// When it was made, RFC 3339 in UTC to the second (`2026-12-05T15:37:29Z`).
    pub made_at: String,
    /// The signing key's id: the first 16 hex digits of SHA-256 of the raw public key.
    pub key_id: String,
    /// The signing key, base64 of its 32 raw bytes.
    pub public_key: String,
    /// [`Checkpoint::digest`] of the chain's previous checkpoint (64 zeros for the first).
    pub prev: String,
    /// The exact text signed (see `docs/CHECKPOINTS.md`); it repeats the fields above.
    pub statement: String,
    /// Ed25519 signature of `statement`'s UTF-8 bytes, base64.
    pub signature: String,
    /// Lowercase hex SHA-256 of `statement`: what the chain's next checkpoint names as `prev`.
    pub digest: String,
}

/// RFC 3339 in UTC to the second: the only time format a statement holds.
pub fn format_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// The bytes signed.
#[allow(clippy::too_many_arguments)]
pub fn statement(
    chain: &str,
    number: i64,
    seq: i64,
    head_hash: &str,
    made_at: &str,
    key_id: &str,
    prev: &str,
) -> String {
    format!(
        "{FORMAT}\nchain={chain}\nnumber={number}\nseq={seq}\nhead={head_hash}\ntime={made_at}\nkey={key_id}\nprev={prev}\n"
    )
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Checkpoint {
    /// The statement its fields make (which `statement` must equal).
    pub fn expected_statement(&self) -> String {
        statement(
            &self.chain,
            self.number,
            self.seq,
            &self.head_hash,
            &self.made_at,
            &self.key_id,
            &self.prev,
        )
    }

    /// Check that the statement is the one the fields make, that the key id names the public
    /// key, and that the signature verifies with it. Does not say whether the key is the one
    /// you trust: compare [`Checkpoint::key_id`] with the published key.
    pub fn verify_signature(&self) -> Result<(), String> {
        if self.statement != self.expected_statement() {
            return Err(format!(
                "checkpoint {} #{}: its statement does not match its fields",
                self.chain, self.number
            ));
        }
        if self.digest != sha256_hex(self.statement.as_bytes()) {
            return Err(format!(
                "checkpoint {} #{}: its digest is not the SHA-256 of its statement",
                self.chain, self.number
            ));
        }
        let b64 = base64::engine::general_purpose::STANDARD;
        let pk = b64
            .decode(&self.public_key)
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
            .ok_or_else(|| {
                format!(
                    "checkpoint {} #{}: the public key is not base64 of 32 bytes",
                    self.chain, self.number
                )
            })?;
        if key::key_id(&pk) != self.key_id {
            return Err(format!(
                "checkpoint {} #{}: key id {} does not name its public key",
                self.chain, self.number, self.key_id
            ));
        }
        let sig = b64
            .decode(&self.signature)
            .ok()
            .and_then(|b| <[u8; 64]>::try_from(b.as_slice()).ok())
            .ok_or_else(|| {
                format!(
                    "checkpoint {} #{}: the signature is not base64 of 64 bytes",
                    self.chain, self.number
                )
            })?;
        let vk = ed25519_dalek::VerifyingKey::from_bytes(&pk).map_err(|_| {
            format!(
                "checkpoint {} #{}: not an Ed25519 public key",
                self.chain, self.number
            )
        })?;
        vk.verify_strict(
            self.statement.as_bytes(),
            &ed25519_dalek::Signature::from_bytes(&sig),
        )
        .map_err(|_| {
            format!(
                "checkpoint {} #{}: the signature does not verify (forged or altered)",
                self.chain, self.number
            )
        })
    }
}

/// The checkpoints of one chain in a file as served: either one checkpoint, or a page of
/// `GET /api/v1/checkpoints` (`{"checkpoints": [...]}`), or a JSON array of checkpoints.
/// Those of other chains are left out; none of `chain` is an error.
pub fn read_file(path: &std::path::Path, chain: &str) -> Result<Vec<Checkpoint>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read checkpoint file {}: {e}", path.display()))?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("checkpoint file {} is not JSON: {e}", path.display()))?;
    let items = match value {
        serde_json::Value::Object(mut o) if o.contains_key("checkpoints") => {
            o.remove("checkpoints").unwrap_or_default()
        }
        serde_json::Value::Array(a) => serde_json::Value::Array(a),
        one => serde_json::Value::Array(vec![one]),
    };
    let all: Vec<Checkpoint> = serde_json::from_value(items).map_err(|e| {
        format!(
            "checkpoint file {} does not hold checkpoints as served: {e}",
            path.display()
        )
    })?;
    let mine: Vec<Checkpoint> = all.into_iter().filter(|c| c.chain == chain).collect();
    if mine.is_empty() {
        return Err(format!(
            "checkpoint file {} has no checkpoint of chain {chain}",
            path.display()
        ));
    }
    Ok(mine)
}

/// Check checkpoints of one chain against the chain as it is now. `hash_at(seq)` gives the
/// hash of the chain's entry `seq` (`None` if there is none); the chain itself must already
/// have been verified from its start. Checks each signature, the links between consecutive
/// checkpoints, and that each `(seq, head_hash)` is still in the chain: a rewritten history
/// fails here even when every hash after the change was recomputed.
pub async fn check_against<F, Fut>(
    checkpoints: &[Checkpoint],
    chain_len: i64,
    mut hash_at: F,
) -> anyhow::Result<Result<String, String>>
where
    F: FnMut(i64) -> Fut,
    Fut: std::future::Future<Output = Result<Option<String>, sqlx::Error>>,
{
    let mut sorted: Vec<&Checkpoint> = checkpoints.iter().collect();
    sorted.sort_by_key(|c| c.number);
    for c in &sorted {
        if let Err(e) = c.verify_signature() {
            return Ok(Err(e));
        }
    }
    for w in sorted.windows(2) {
        if w[1].number == w[0].number + 1 && w[1].prev != w[0].digest {
            return Ok(Err(format!(
                "checkpoint {} #{} does not link to #{}",
                w[1].chain, w[1].number, w[0].number
            )));
        }
    }
    let mut keys: Vec<&str> = sorted.iter().map(|c| c.key_id.as_str()).collect();
    keys.dedup();
    for c in &sorted {
        if c.seq > chain_len {
            return Ok(Err(format!(
                "the chain {} ends at #{chain_len}, but checkpoint #{} of {} signed it up to #{}: entries were removed, history was rewritten",
                c.chain, c.number, c.made_at, c.seq
            )));
        }
        if c.seq == 0 {
            continue;
        }
        let now = hash_at(c.seq).await?;
        if now.as_deref() != Some(c.head_hash.as_str()) {
            return Ok(Err(format!(
                "checkpoint #{} of {} (chain {}, seq {}, hash {}) is no longer a prefix of the chain: entry #{} now hashes to {}; history was rewritten after the checkpoint",
                c.number,
                c.made_at,
                c.chain,
                c.seq,
                c.head_hash,
                c.seq,
                now.as_deref().unwrap_or("(missing)")
            )));
        }
    }
    Ok(Ok(format!(
        "{} checkpoint(s) of {} verified (signed by key {}); each is a prefix of the chain",
        sorted.len(),
        sorted.first().map(|c| c.chain.as_str()).unwrap_or(""),
        keys.join(", ")
    )))
}

/// For the command line: check the checkpoints of `chain` in the file at `path` against the
/// chain (already verified, `chain_len` entries), print the outcome and return the exit code
/// (0 when every checkpoint holds, 1 naming the first that does not).
pub async fn cli_check<F, Fut>(
    path: &std::path::Path,
    chain: &str,
    chain_len: i64,
    hash_at: F,
) -> anyhow::Result<i32>
where
    F: FnMut(i64) -> Fut,
    Fut: std::future::Future<Output = Result<Option<String>, sqlx::Error>>,
{
    let outcome = match read_file(path, chain) {
        Ok(cps) => check_against(&cps, chain_len, hash_at).await?,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(msg) => {
            println!("{msg}");
            Ok(0)
        }
        Err(problem) => {
            eprintln!("CHECKPOINT CHECK FAILED: {problem}");
            Ok(1)
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn signed_statement_verifies_and_any_change_breaks_it() {
        let key = CheckpointKey::from_seed([7u8; 32]);
        let t = time::macros::datetime!(2026-12-05 15:37:29.123 UTC);
        let c = key.sign(
            &Head {
                chain: AUDIT.into(),
                seq: 12,
                hash: "ab".repeat(32),
            },
            1,
            NO_PREV,
            t,
        );
        assert_eq!(c.made_at, "2026-12-05T15:37:29Z");
        assert!(c
            .statement
            .starts_with("balai-checkpoint/v1\nchain=audit\nnumber=1\nseq=12\n"));
        c.verify_signature().unwrap();
        let mut other = c.clone();
        other.seq = 13;
        assert!(other.verify_signature().is_err());
        other.statement = other.expected_statement();
        other.digest = sha256_hex(other.statement.as_bytes());
        assert!(other
            .verify_signature()
            .unwrap_err()
            .contains("signature does not verify"));
    }
}
