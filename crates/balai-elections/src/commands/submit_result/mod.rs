//! Submitting C.Hasil-KWK forms: parse, check, version, double entry, publication log, totals,
//! audit — one transaction for one form or a batch.
//!
//! Versions: every accepted submission is a new version of the TPS result; nothing is
//! overwritten. The current version is the latest. A re-vote (`psu_ref` given) starts a new
//! epoch: earlier versions stay in the history but no longer count for double entry.
//! Double entry: the TPS is **verified** when the current version's numbers equal an entry of
//! the same epoch by a different operator; when two operators' entries differ it is
//! **disputed** and listed for a supervisor.
//!
//! A submission first loads what it needs for all its forms (TPS, earlier versions, states,
//! recapitulations: [`known`]), plans each form in memory (later forms of a batch see the
//! earlier ones), then writes everything ([`write`]): on SQLite row by row on the write
//! connection directly, on PostgreSQL in one statement.
//!
//! Single-form submissions that arrive together are written together: each request queues its
//! form with balai-core's group-commit writer ([`GroupCommit::run_batched`]), which hands every
//! form queued meanwhile to one [`write_group`] — the same checks as a batch, multi-row
//! statements, one transaction — and answers each request with its own outcome only after the
//! commit. Should the group fail as a whole, each form is written again on its own. One
//! election's forms go through one writer lane, so its log stays one chain; grouped, the fixed
//! cost of a transaction is shared by every form in it.
//!
//! [`GroupCommit::run_batched`]: balai_core::group_commit::GroupCommit::run_batched

use std::collections::BTreeMap;

use balai_core::group_commit::TxFuture;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use balai_core::{AppResult, Tx};

mod input;
mod known;
mod plan;
mod write;

pub use input::{Item, SubmitInput, Submitted};
use known::Asked;

use crate::errors::SubmitError;
use crate::store::submit::on_sqlite;

/// One queued form.
struct Form {
    election_id: i64,
    actor: Actor,
    meta: ReqMeta,
    input: SubmitInput,
    /// The form's fields, moved out of `input.form`.
    flat: BTreeMap<String, serde_json::Value>,
}

/// Submit one form; it is written with whatever else is queued at the time.
pub async fn submit(
    ctx: &AppCtx,
    actor: &Actor,
    meta: &ReqMeta,
    election_id: i64,
    mut input: SubmitInput,
) -> Result<Submitted, SubmitError> {
    // The form was flattened as the request was read; the writer reads only the fields.
    let flat = std::mem::take(&mut input.form.0);
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
) -> TxFuture<'a, Result<Vec<Result<Submitted, SubmitError>>, SubmitError>> {
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
        Ok(submit_many(tx, &items).await?)
    })
}

/// Submit forms, of one election or several, inside the caller's transaction: one outcome per
/// input, in order. A refused form (a client error, a form for an election that does not
/// exist among them) changes nothing and the others go ahead; anything else is returned as
/// the error of the whole call. The statements are the same few however many elections the
/// forms are for.
///
/// On SQLite the reads, the planning and the writes run on the write connection directly, in
/// one hand-over to its thread; on PostgreSQL they are one read and
/// one write statement.
pub async fn submit_many(
    tx: &mut Tx,
    items: &[Item<'_>],
) -> AppResult<Vec<Result<Submitted, SubmitError>>> {
    let asked = Asked::of(items);
    let at = balai_core::db::now();
    let done = match on_sqlite(tx, |c| write::submit_sqlite(c, items, &asked, at)).await? {
        Some(done) => done?,
        None => write::submit_pg(tx, items, &asked, at).await?,
    };
    write::finish(tx, items, done).await
}
