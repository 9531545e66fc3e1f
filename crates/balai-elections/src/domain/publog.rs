//! The publication log: every accepted result version of an election, hash-chained.
//!
//! # Algorithm (so that any script can check it)
//!
//! `GET /api/v1/elections/{id}/log` returns `{"election_id", "entries": [...]}`; each entry has
//! `seq` (1, 2, 3, … without gaps), `prev_hash`, `hash` and `payload`. `payload` is a **string**
//! holding the JSON document of one accepted result version, exactly as hashed; do not
//! re-serialise it, hash the string's UTF-8 bytes as given.
//!
//! ```text
//! prev_hash(1)   = "0" × 64
//! prev_hash(n)   = hash(n-1)
//! hash(n)        = lowercase hex( SHA-256( prev_hash(n) ‖ "\n" ‖ decimal(seq) ‖ "\n" ‖ payload ) )
//! ```
//!
//! The payload carries `election_id`, `tps_id`, `village_code`, `tps_number`, `version` (per
//! TPS, increasing), `kind` (`entry`, `correction` or `psu`), `psu_ref`, `entered_at`,
//! `flagged`, and `form` (the C.Hasil-KWK numbers with the field names of DOMAIN.md §3).
//!
//! A payload may also carry `counted_version`: present only when the TPS is **disputed** after
//! that version (two operators' entries disagree), it names the version whose numbers the
//! totals count meanwhile — the last verified one of the TPS's epoch — or is `0` when none is
//! counted. Without it the version itself counts.
//!
//! To check that the published results follow from the log: walk the entries in `seq` order,
//! keep for each `tps_id` the `form` of every version and which is the latest; the counted
//! form of a TPS is its latest entry's `form`, or the form of its `counted_version` (none for
//! `0`). Add the counted forms up over the TPS of a region (`village_code` equal to the region
//! code or starting with it followed by `.`). The sums of `pemilih_dpt.total` (dpt),
//! `pengguna_total.total` (pengguna), `votes.*`, `suara_sah` and `suara_tidak_sah` must equal
//! `GET /api/v1/elections/{id}/results?region=CODE`, and the number of TPS with an entry its
//! `tps_entered`.
//! A rewritten payload changes its hash; a removed or reordered entry breaks the chain; the
//! head (`head_seq`, `head_hash`) published with the log exposes a removed tail.
//!
//! A Python check: `h = sha256(f"{prev}\n{seq}\n{payload}".encode()).hexdigest()`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::form::Form;

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

pub fn entry_hash(prev_hash: &str, seq: i64, payload: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(b"\n");
    h.update(seq.to_string().as_bytes());
    h.update(b"\n");
    h.update(payload.as_bytes());
    hex::encode(h.finalize())
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct LogEntry {
    pub seq: i64,
    pub prev_hash: String,
    pub hash: String,
    pub payload: String,
}

/// What one log payload says (the fields replay needs).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Payload {
    pub election_id: i64,
    pub tps_id: i64,
    pub village_code: String,
    pub tps_number: i64,
    pub version: i64,
    pub kind: String,
    pub psu_ref: Option<String>,
    pub entered_at: String,
    pub flagged: bool,
    pub form: Form,
    /// Only while the TPS is disputed after this version: the version its totals count, `0`
    /// for none (see the module documentation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counted_version: Option<i64>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum LogProblem {
    Gap { expected: i64, found: i64 },
    Relinked { seq: i64 },
    Altered { seq: i64 },
    BadPayload { seq: i64 },
}

/// Check the chain; `Ok(n)` is the number of entries.
pub fn verify(entries: &[LogEntry]) -> Result<usize, LogProblem> {
    let mut prev = GENESIS.to_string();
    for (i, e) in entries.iter().enumerate() {
        let expected = i as i64 + 1;
        if e.seq != expected {
            return Err(LogProblem::Gap {
                expected,
                found: e.seq,
            });
        }
        if e.prev_hash != prev {
            return Err(LogProblem::Relinked { seq: e.seq });
        }
        if entry_hash(&e.prev_hash, e.seq, &e.payload) != e.hash {
            return Err(LogProblem::Altered { seq: e.seq });
        }
        prev = e.hash.clone();
    }
    Ok(entries.len())
}

/// The current form per TPS according to the log.
pub fn replay(entries: &[LogEntry]) -> Result<BTreeMap<i64, Payload>, LogProblem> {
    let mut out: BTreeMap<i64, Payload> = BTreeMap::new();
    for e in entries {
        let p: Payload =
            serde_json::from_str(&e.payload).map_err(|_| LogProblem::BadPayload { seq: e.seq })?;
        out.insert(p.tps_id, p);
    }
    Ok(out)
}

/// What the log says a TPS contributes: its village and the form its totals count (none while
/// disputed without a verified version).
#[derive(Clone, Debug)]
pub struct Counted {
    pub village_code: String,
    pub form: Option<Form>,
}

/// The counted form per TPS according to the log (see the module documentation).
pub fn counted(entries: &[LogEntry]) -> Result<BTreeMap<i64, Counted>, LogProblem> {
    let mut forms: BTreeMap<(i64, i64), Form> = BTreeMap::new();
    let latest = replay(entries)?;
    for e in entries {
        let p: Payload =
            serde_json::from_str(&e.payload).map_err(|_| LogProblem::BadPayload { seq: e.seq })?;
        forms.insert((p.tps_id, p.version), p.form);
    }
    Ok(latest
        .into_iter()
        .map(|(tps, p)| {
            let form = match p.counted_version {
                None => Some(p.form),
                Some(v) => forms.get(&(tps, v)).cloned(),
            };
            let village_code = p.village_code;
            (tps, Counted { village_code, form })
        })
        .collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn chain(payloads: &[&str]) -> Vec<LogEntry> {
        let mut prev = GENESIS.to_string();
        let mut out = Vec::new();
        for (i, p) in payloads.iter().enumerate() {
            let seq = i as i64 + 1;
            let hash = entry_hash(&prev, seq, p);
            out.push(LogEntry {
                seq,
                prev_hash: prev.clone(),
                hash: hash.clone(),
                payload: p.to_string(),
            });
            prev = hash;
        }
        out
    }

    #[test]
    fn detects_edits_gaps_and_relinks() {
        let log = chain(&["{\"a\":1}", "{\"a\":2}", "{\"a\":3}"]);
        assert_eq!(verify(&log), Ok(3));
        // A known vector, so other implementations can test themselves against this one.
        assert_eq!(
            entry_hash(GENESIS, 1, "{}"),
            hex::encode(Sha256::digest(format!("{GENESIS}\n1\n{{}}").as_bytes()))
        );
        let mut edited = log.clone();
        edited[1].payload = "{\"a\":9}".into();
        assert_eq!(verify(&edited), Err(LogProblem::Altered { seq: 2 }));
        let mut gap = log.clone();
        gap.remove(1);
        assert_eq!(
            verify(&gap),
            Err(LogProblem::Gap {
                expected: 2,
                found: 3
            })
        );
        let mut relinked = chain(&["{\"a\":1}", "{\"a\":9}", "{\"a\":3}"]);
        relinked[1] = log[1].clone();
        relinked[2].prev_hash = log[1].hash.clone();
        assert!(verify(&relinked).is_err());
    }
}
