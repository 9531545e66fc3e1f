//! The publication logs in the signed checkpoints (`balai_core::checkpoints`): their heads for
//! the background job, and a checkpoint of the log and of the audit chain right after each
//! recapitulation, the moment a region's results become official.

use std::sync::Arc;

use balai_core::checkpoints::job::{self, HeadSource};
use balai_core::checkpoints::{store as cstore, CheckpointKey};
use balai_core::web::AppCtx;

use crate::store::heads;

/// The heads of every election's publication log, for the background job.
pub fn heads_source() -> HeadSource {
    Arc::new(|db| Box::pin(async move { heads::heads(&db).await }))
}

/// Sign the election's log and the audit chain now (after a recapitulation has committed).
/// The recapitulation stands whatever happens here: a failure is logged, and the background
/// job signs the same heads on its next round.
pub async fn checkpoint_now(ctx: &AppCtx, election_id: i64) {
    let Some(key) = ctx.ext.get::<CheckpointKey>() else {
        return;
    };
    let outcome = async {
        let mut all = vec![job::audit_head(&ctx.db).await?];
        all.extend(heads::head(&ctx.db, election_id).await?);
        for h in &all {
            cstore::make(&ctx.db, key, h).await?;
        }
        Ok::<_, sqlx::Error>(())
    }
    .await;
    if let Err(e) = outcome {
        tracing::warn!(error = %e, election_id, "checkpoint after the recapitulation failed");
    }
}
