//! Single-form submissions that arrive together are written together: each request queues its
//! form and waits; one writer task takes everything queued (up to [`MAX_GROUP`]) and submits it
//! as one [`submit_many`] — the same checks, one transaction, multi-row statements — and
//! answers each request with its own outcome only after the commit.
//!
//! On election night thousands of operators submit one form each; written one transaction per
//! form, the election's row lock (PostgreSQL) or SQLite's single writer and one fsync per commit
//! bound the rate. Grouped, the fixed cost of a transaction is shared by every form in it.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use crate::cache::{per_context, PerContext};

use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use balai_core::{AppError, AppResult};
use tokio::sync::oneshot;

use super::results::{check_config, submit_many, Item, SubmitInput, Submitted};

/// At most this many forms per transaction (the batch API's limit too).
pub const MAX_GROUP: usize = 1000;

struct Pending {
    election_id: i64,
    actor: Actor,
    meta: ReqMeta,
    input: SubmitInput,
    reply: oneshot::Sender<AppResult<Submitted>>,
}

#[derive(Default)]
struct Queue {
    pending: Mutex<Vec<Pending>>,
    running: AtomicBool,
}

/// One queue per application context.
fn queue(ctx: &AppCtx) -> Arc<Queue> {
    static ALL: PerContext<Queue> = OnceLock::new();
    per_context(&ALL, ctx)
}

/// Submit one form; it is written with whatever else is queued at the time.
pub async fn submit(
    ctx: &AppCtx,
    actor: &Actor,
    meta: &ReqMeta,
    election_id: i64,
    input: &SubmitInput,
) -> AppResult<Submitted> {
    // The group is written by a task of its own, outside this request: an Idempotency-Key
    // is claimed here, before the form is queued.
    if let Some(slot) = balai_core::idempotency::take_claim() {
        if !balai_core::idempotency::claim_now(ctx, &slot).await? {
            return Err(balai_core::idempotency::lost_claim().into());
        }
    }
    let (reply, answer) = oneshot::channel();
    let q = queue(ctx);
    q.pending
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(Pending {
            election_id,
            actor: actor.clone(),
            meta: meta.clone(),
            input: input.clone(),
            reply,
        });
    if !q.running.swap(true, Ordering::SeqCst) {
        // A task of its own, so a client hanging up never stops other requests' writes.
        tokio::spawn(drain(ctx.clone(), q));
    }
    answer
        .await
        .map_err(|_| AppError::internal(anyhow::anyhow!("result writer stopped")))?
}

async fn drain(ctx: AppCtx, q: Arc<Queue>) {
    loop {
        let group: Vec<Pending> = {
            let mut p = q.pending.lock().unwrap_or_else(PoisonError::into_inner);
            let n = p.len().min(MAX_GROUP);
            p.drain(..n).collect()
        };
        if group.is_empty() {
            q.running.store(false, Ordering::SeqCst);
            // A form queued between the look and the store found `running` still set: take
            // it over unless its own request already started a writer.
            let empty = q
                .pending
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .is_empty();
            if empty || q.running.swap(true, Ordering::SeqCst) {
                return;
            }
            continue;
        }
        write(&ctx, group).await;
    }
}

/// Write a group: elections in id order (every writer locks election rows in that order),
/// one transaction. Should the transaction fail as a whole, each form is tried on its own so
/// one form's trouble is not every form's answer.
async fn write(ctx: &AppCtx, group: Vec<Pending>) {
    match write_together(ctx, &group).await {
        Ok(outcomes) => {
            crate::cache::changed(ctx);
            for (p, o) in group.into_iter().zip(outcomes) {
                let _ = p.reply.send(o);
            }
        }
        Err(e) if group.len() == 1 => {
            if let Some(p) = group.into_iter().next() {
                let _ = p.reply.send(Err(e));
            }
        }
        Err(e) => {
            tracing::warn!(error = %e.info.message_en, forms = group.len(), "group write failed; writing one by one");
            for p in group {
                let one = write_together(ctx, std::slice::from_ref(&p))
                    .await
                    .and_then(|mut v| {
                        v.pop()
                            .ok_or_else(|| AppError::internal(anyhow::anyhow!("no outcome")))
                    })
                    .and_then(|o| o);
                if one.is_ok() {
                    crate::cache::changed(ctx);
                }
                let _ = p.reply.send(one);
            }
        }
    }
}

async fn write_together(ctx: &AppCtx, group: &[Pending]) -> AppResult<Vec<AppResult<Submitted>>> {
    let config = check_config(ctx).await?;
    let mut by_election: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (i, p) in group.iter().enumerate() {
        by_election.entry(p.election_id).or_default().push(i);
    }
    let mut outcomes: Vec<Option<AppResult<Submitted>>> = group.iter().map(|_| None).collect();
    let mut tx = ctx.db.begin().await?;
    for (election_id, indexes) in by_election {
        let items: Vec<Item<'_>> = indexes
            .iter()
            .map(|i| Item {
                actor: &group[*i].actor,
                meta: &group[*i].meta,
                input: &group[*i].input,
            })
            .collect();
        let results = match submit_many(&mut tx, &config, election_id, &items).await {
            Ok(r) => r,
            // An election that does not exist is that form's answer, not the group's.
            Err(e) if e.status().is_client_error() => {
                indexes.iter().map(|_| Err(AppError::not_found())).collect()
            }
            Err(e) => return Err(e),
        };
        for (i, r) in indexes.into_iter().zip(results) {
            outcomes[i] = Some(r);
        }
    }
    tx.commit().await?;
    Ok(outcomes
        .into_iter()
        .map(|o| o.unwrap_or_else(|| Err(AppError::internal(anyhow::anyhow!("no outcome")))))
        .collect())
}
