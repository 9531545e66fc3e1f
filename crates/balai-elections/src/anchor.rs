//! The publication logs in the signed checkpoints (`balai_core::checkpoints`): their heads for
//! the background job, and a checkpoint of the log and of the audit chain right after each
//! recapitulation, the moment a region's results become official.

use std::sync::Arc;

use balai_core::checkpoints::job::{self, HeadSource};
use balai_core::checkpoints::CheckpointKey;
use balai_core::db::Db;
use balai_core::web::AppCtx;

use crate::store::heads;

/// The heads of every election's publication log, and the hash of one entry, for the
/// background job.
pub fn heads_source() -> HeadSource {
    HeadSource {
        heads: Arc::new(|db| Box::pin(async move { heads::heads(&db).await })),
        hash_at: Arc::new(|db, chain, seq| {
            Box::pin(async move { hash_at(&db, &chain, seq).await })
        }),
    }
}

/// The hash of entry `seq` of the chain named `chain` (`election:ID`).
async fn hash_at(db: &Db, chain: &str, seq: i64) -> Result<Option<String>, sqlx::Error> {
    match chain
        .strip_prefix("election:")
        .and_then(|id| id.parse().ok())
    {
        Some(id) => heads::hash_at(db, id, seq).await,
        None => Ok(None),
    }
}

/// Sign the election's log and the audit chain now (after a recapitulation has committed).
/// The recapitulation stands whatever happens here: a failure is logged, and the background
/// job signs the same heads on its next round.
pub async fn checkpoint_now(ctx: &AppCtx, election_id: i64) {
    let Some(key) = ctx.ext.get::<CheckpointKey>() else {
        return;
    };
    let outcome = async {
        job::sign_audit(&ctx.db, key).await?;
        if let Some(h) = heads::head(&ctx.db, election_id).await? {
            let (db, chain) = (ctx.db.clone(), h.chain.clone());
            job::sign(&ctx.db, key, &h, move |seq| {
                Box::pin(async move { hash_at(&db, &chain, seq).await })
            })
            .await?;
        }
        Ok::<_, sqlx::Error>(())
    }
    .await;
    if let Err(e) = outcome {
        tracing::warn!(error = %e, election_id, "checkpoint after the recapitulation failed");
    }
}
