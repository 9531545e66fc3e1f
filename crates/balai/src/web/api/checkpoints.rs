//! `GET /api/v1/checkpoints` (public): the signed checkpoints of the audit chain and of each
//! election's publication log, newest first, so that anyone can keep copies; and the signing
//! key at `/.well-known/balai-checkpoint-key.json`. The algorithm is in docs/CHECKPOINTS.md.

use axum::extract::{Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use balai_core::checkpoints::{self, Checkpoint, CheckpointKey};
use balai_core::web::AppCtx;
use balai_core::{AppError, AppResult};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::ApiError;

#[derive(Deserialize, IntoParams)]
pub struct CheckpointQuery {
    /// `audit` or `election:ID`; every chain when absent.
    #[param(pattern = r"^ *(audit|election:[1-9][0-9]{0,17})? *$")]
    chain: Option<String>,
    /// Checkpoints with an id below this: the `next_before` of the previous page.
    before: Option<i64>,
    /// At most 500; default 100.
    limit: Option<i64>,
}

/// The server's checkpoint signing key.
#[derive(Serialize, ToSchema)]
pub struct PublicKey {
    /// Always `Ed25519`.
    pub algorithm: &'static str,
    /// The first 16 hex digits of SHA-256 of the raw public key; each checkpoint names it.
    pub key_id: String,
    /// Base64 of the 32 raw bytes of the public key.
    pub public_key: String,
}

#[derive(Serialize, ToSchema)]
pub struct CheckpointPage {
    /// The key this server signs with now; null when none is configured (no new checkpoints).
    pub key: Option<PublicKey>,
    /// The algorithm in short; docs/CHECKPOINTS.md has it in full.
    pub algorithm: &'static str,
    pub checkpoints: Vec<Checkpoint>,
    /// Pass as `before` for the next page; null on the last one.
    pub next_before: Option<i64>,
}

const ALGORITHM: &str = "Ed25519 signature (base64) over `statement`'s UTF-8 bytes; statement = \"balai-checkpoint/v1\\nchain=C\\nnumber=N\\nseq=S\\nhead=H\\ntime=T\\nkey=K\\nprev=P\\n\"; digest = sha256_hex(statement); prev = digest of the chain's previous checkpoint (64 zeros for the first); key_id = first 16 hex of sha256(raw public key)";

fn public_key(ctx: &AppCtx) -> Option<PublicKey> {
    ctx.ext.get::<CheckpointKey>().map(|k| PublicKey {
        algorithm: "Ed25519",
        key_id: k.id().to_string(),
        public_key: k.public_key().to_string(),
    })
}

fn bad_chain() -> AppError {
    AppError::unprocessable(
        "bad_chain",
        "chain harus `audit` atau `election:ID`.",
        "chain must be `audit` or `election:ID`.",
    )
}

/// `audit` or `election:` followed by a positive number.
fn valid_chain(chain: &str) -> bool {
    chain == checkpoints::AUDIT
        || chain
            .strip_prefix("election:")
            .and_then(|id| id.parse::<i64>().ok())
            .is_some_and(|id| id > 0 && checkpoints::election_chain(id) == chain)
}

fn short_cache(mut res: Response) -> Response {
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=30"),
    );
    res
}

/// Signed checkpoints of the audit chain and of the elections' publication logs (public), newest first.
#[utoipa::path(get, path = "/api/v1/checkpoints", tag = "checkpoints", params(CheckpointQuery),
    responses((status = 200, body = CheckpointPage),
              (status = 422, description = "Unknown chain", body = ApiError)))]
pub async fn list_checkpoints(
    State(ctx): State<AppCtx>,
    Query(q): Query<CheckpointQuery>,
) -> AppResult<Response> {
    let chain = q.chain.as_deref().map(str::trim).filter(|c| !c.is_empty());
    if chain.is_some_and(|c| !valid_chain(c)) {
        return Err(bad_chain());
    }
    let limit = q.limit.unwrap_or(100).clamp(1, 500);
    let page = checkpoints::store::list(&ctx.db, chain, q.before, limit).await?;
    let next_before = match page.last() {
        Some((id, _)) if page.len() as i64 == limit => Some(*id),
        _ => None,
    };
    Ok(short_cache(
        Json(CheckpointPage {
            key: public_key(&ctx),
            algorithm: ALGORITHM,
            checkpoints: page.into_iter().map(|(_, c)| c).collect(),
            next_before,
        })
        .into_response(),
    ))
}

/// The checkpoint signing key (public; 404 when none is configured).
pub async fn well_known_key(State(ctx): State<AppCtx>) -> AppResult<Response> {
    let key = public_key(&ctx).ok_or_else(AppError::not_found)?;
    Ok(short_cache(Json(key).into_response()))
}

#[cfg(test)]
mod tests {
    use super::valid_chain;

    #[test]
    fn chains_are_audit_or_an_election() {
        for ok in ["audit", "election:1", "election:42"] {
            assert!(valid_chain(ok), "{ok}");
        }
        for bad in [
            "",
            "Audit",
            "election:",
            "election:0",
            "election:-1",
            "election:01",
            "election:1x",
        ] {
            assert!(!valid_chain(bad), "{bad}");
        }
    }
}
