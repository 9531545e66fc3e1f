//! Single-form submissions that arrive together are written together: each request queues its
//! form with balai-core's group-commit writer ([`GroupCommit::run_batched`]), which hands every
//! form queued meanwhile to one [`write_group`] — the same checks as a batch, multi-row
//! statements, one transaction — and answers each request with its own outcome only after the
//! commit. Should the group fail as a whole, each form is written again on its own.
//! On PostgreSQL the elections are spread over the writer's lanes, so forms of elections on
//! different lanes are written side by side.
//!
//! On election night thousands of operators submit one form each; written one transaction per
//! form, the election's row lock (PostgreSQL) or SQLite's single writer and one fsync per commit
//! bound the rate. Grouped, the fixed cost of a transaction is shared by every form in it.
//!
//! [`GroupCommit::run_batched`]: balai_core::group_commit::GroupCommit::run_batched

use std::collections::BTreeMap;

use balai_core::group_commit::TxFuture;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use balai_core::{AppResult, Tx};

use super::results::{submit_many, Item, SubmitInput, Submitted};

/// One queued form.
struct Form {
    election_id: i64,
    actor: Actor,
    meta: ReqMeta,
    input: SubmitInput,
    /// The form with dotted keys (taken out of `input.form`), made by the request's own task,
    /// not by the writer.
    flat: BTreeMap<String, serde_json::Value>,
}

/// Submit one form; it is written with whatever else is queued at the time.
pub async fn submit(
    ctx: &AppCtx,
    actor: &Actor,
    meta: &ReqMeta,
    election_id: i64,
    mut input: SubmitInput,
) -> AppResult<Submitted> {
    // The form's values move into the flat map; the writer reads only that.
    let flat = crate::domain::form::flatten_owned(std::mem::take(&mut input.form));
    let form = Form {
        election_id,
        actor: actor.clone(),
        meta: meta.clone(),
        input,
        flat,
    };
    // One election's forms go through one writer lane, in order (its log is one chain).
    let lane = u64::try_from(election_id).unwrap_or(0);
    let out = ctx.run_batched_on(lane, form, write_group).await;
    if out.is_ok() {
        crate::cache::changed(ctx);
    }
    out
}

fn write_group<'a>(
    tx: &'a mut Tx,
    group: &'a [Form],
) -> TxFuture<'a, AppResult<Vec<AppResult<Submitted>>>> {
    Box::pin(async move {
        let items: Vec<Item<'_>> = group
            .iter()
            .map(|f| Item {
                election_id: f.election_id,
                actor: &f.actor,
                meta: &f.meta,
                input: &f.input,
                flat: &f.flat,
            })
            .collect();
        // Forms of every election together: the same few statements for the whole group.
        submit_many(tx, &items).await
    })
}
