//! A supervisor's decision on a disputed TPS (two operators entered different numbers):
//! choose one of the disagreeing versions, or ask the operators to enter the paper form again.
//!
//! Choosing a version stores it again as a new version entered by the supervisor, with the
//! reason: the same numbers by a second person make the TPS verified under the double-entry
//! rule, so the published totals count it from that commit on, and the history keeps every
//! version. Asking for a re-entry changes no numbers: the totals keep counting the last
//! verified version (or none) until two operators agree. Either way the decision is kept in
//! `election_dispute_decisions` and in the audit chain, in the same transaction.

use balai_core::audit::{self, AuditEvent};
use balai_core::db::{now, Tx};
use balai_core::ids::{ElectionId, TpsId};
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use balai_core::{with_tx, AppError, AppResult};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::require;
use super::submit_result::{submit_many, Item, SubmitInput};
use crate::domain::audit_actions;
use crate::domain::form::{flatten_owned, FormFields};
use crate::domain::permissions::Action;
use crate::errors::SubmitError;
use crate::queries::load_election;
use crate::store;
use crate::store::results as rstore;

/// What the supervisor decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// One of the disagreeing versions is the paper form's.
    ChooseVersion,
    /// Neither can be trusted: the operators enter the paper form again.
    Reentry,
}

impl Decision {
    pub const fn as_str(self) -> &'static str {
        match self {
            Decision::ChooseVersion => "chose_version",
            Decision::Reentry => "reentry",
        }
    }
}

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveInput {
    pub decision: Decision,
    /// The chosen version (for `choose_version`): one of the disagreeing entries.
    #[serde(default, deserialize_with = "balai_core::web::json_int::opt_i64")]
    #[schema(minimum = 1)]
    pub version: Option<i64>,
    /// Why, 5–500 characters (e.g. "dicocokkan dengan foto C.Hasil-KWK").
    #[schema(min_length = 5, max_length = 500)]
    pub reason: String,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Resolved {
    pub decision: Decision,
    /// The new version stored for `choose_version`.
    pub new_version: Option<i64>,
    pub verified: bool,
}

/// A stored decision, as the TPS page and the queue show it.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct DecisionRow {
    pub decision: String,
    pub chosen_version: Option<i64>,
    pub reason: String,
    pub decided_label: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String)]
    pub decided_at: time::OffsetDateTime,
}

impl DecisionRow {
    /// `decided_at` as RFC 3339, as pages format moments.
    pub fn decided_at_rfc3339(&self) -> String {
        crate::rfc3339(self.decided_at)
    }
}

fn refused(code: &'static str, id: &str, en: &str) -> AppError {
    AppError::unprocessable(code, id.to_string(), en.to_string())
}

async fn insert_decision(
    tx: &mut Tx,
    election: i64,
    tps: i64,
    decision: Decision,
    version: Option<i64>,
    reason: &str,
    actor: &Actor,
) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO election_dispute_decisions (election_id, tps_id, decision, chosen_version,
           reason, decided_by, decided_label, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    )
    .bind(election)
    .bind(tps)
    .bind(decision.as_str())
    .bind(version)
    .bind(reason)
    .bind(actor.user.id)
    .bind(&actor.user.username)
    .bind(now())
    .execute(&mut *c)
    .await
    .map(|_| ()))
}

/// The latest decision on a TPS, if any.
pub async fn latest_decision(
    db: &balai_core::Db,
    tps_id: i64,
) -> Result<Option<DecisionRow>, sqlx::Error> {
    balai_core::with_db!(db, |c| sqlx::query_as::<_, DecisionRow>(
        "SELECT decision, chosen_version, reason, decided_label, decided_at
         FROM election_dispute_decisions WHERE tps_id = $1 ORDER BY id DESC LIMIT 1"
    )
    .bind(tps_id)
    .fetch_optional(c)
    .await)
}

/// The disputed TPS a choice is about.
struct Tally {
    election: i64,
    tps: i64,
    epoch: i64,
}

/// Store the chosen version again as the supervisor's entry; its new version and whether the
/// TPS is now verified.
async fn store_chosen(
    tx: &mut Tx,
    actor: &Actor,
    meta: &ReqMeta,
    t: &Tally,
    history: &[rstore::EntryRow],
    input: &ResolveInput,
    reason: &str,
) -> AppResult<(Option<i64>, bool)> {
    // The versions the queue shows: each operator's latest of the epoch.
    let mut latest: Vec<&rstore::EntryRow> = Vec::new();
    for x in history.iter().rev().filter(|x| x.version >= t.epoch) {
        if !latest.iter().any(|l| l.operator_label == x.operator_label) {
            latest.push(x);
        }
    }
    let chosen = input
        .version
        .and_then(|v| latest.into_iter().find(|h| h.version == v))
        .ok_or_else(|| {
            refused(
                "bad_version",
                "Pilih salah satu versi yang berselisih.",
                "Choose one of the disagreeing versions.",
            )
        })?;
    if chosen.operator_user_id == Some(actor.user.id) {
        return Err(refused(
            "own_version",
            "Versi ini Anda masukkan sendiri; keputusan harus diambil supervisor lain.",
            "You entered this version yourself; another supervisor must decide.",
        ));
    }
    let form: serde_json::Value = serde_json::from_str(&chosen.form).map_err(AppError::internal)?;
    let flat = flatten_owned(form);
    let sub = SubmitInput {
        tps_id: Some(t.tps),
        village_code: None,
        tps_number: None,
        form: FormFields::default(),
        confirm_paper: chosen.confirmed_paper,
        reason: Some(format!(
            "Keputusan supervisor atas selisih entri: versi {} dipilih. {reason}",
            chosen.version
        )),
        psu_ref: None,
    };
    let item = Item {
        election_id: t.election,
        actor,
        meta,
        input: &sub,
        flat: &flat,
    };
    let done = submit_many(tx, std::slice::from_ref(&item))
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::internal(std::io::Error::other("no outcome")))?;
    match done {
        Ok(s) => Ok((Some(s.version), s.verified)),
        Err(SubmitError::Refused(r)) => Err(r.into()),
        Err(SubmitError::Other(err)) => Err(err),
    }
}

pub async fn resolve(
    ctx: &AppCtx,
    actor: &Actor,
    meta: &ReqMeta,
    election: ElectionId,
    tps_id: TpsId,
    input: &ResolveInput,
) -> AppResult<Resolved> {
    let e = load_election(ctx, election.get()).await?;
    let tps = store::get_tps(&ctx.db, election, tps_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    // Those who see the queue decide on it (docs/ROLES.md).
    require(actor, &tps.village_code, Action::ViewDisputes)?;
    let reason = input.reason.trim();
    if !(5..=500).contains(&reason.chars().count()) {
        return Err(refused(
            "reason_required",
            "Tuliskan alasan keputusan (5–500 karakter).",
            "Give the reason for the decision (5–500 characters).",
        ));
    }
    let state = rstore::state(&ctx.db, tps.id).await?;
    if !state.as_ref().is_some_and(|s| s.disputed) {
        return Err(AppError::conflict(
            "not_disputed",
            "TPS ini tidak sedang berselisih; muat ulang antrean.",
            "This TPS is not disputed; reload the queue.",
        ));
    }
    let epoch = state.as_ref().map_or(0, |s| s.epoch_version);
    let history = rstore::entries(&ctx.db, tps.id).await?;
    let mut tx = ctx.begin().await?;
    if store::lock_election(&mut tx, e.id).await?.is_none() {
        return Err(AppError::not_found());
    }
    let (new_version, verified) = match input.decision {
        Decision::Reentry => (None, false),
        Decision::ChooseVersion => {
            let tally = Tally {
                election: e.id,
                tps: tps.id,
                epoch,
            };
            store_chosen(&mut tx, actor, meta, &tally, &history, input, reason).await?
        }
    };
    insert_decision(
        &mut tx,
        e.id,
        tps.id,
        input.decision,
        input
            .version
            .filter(|_| input.decision == Decision::ChooseVersion),
        reason,
        actor,
    )
    .await?;
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: audit_actions::DISPUTE_RESOLVED,
            target_kind: "tps",
            target_id: tps.id.to_string(),
            region_code: Some(tps.village_code.clone()),
            summary: json!({
                "election_id": e.id,
                "decision": input.decision.as_str(),
                "chosen_version": input.version.filter(|_| input.decision == Decision::ChooseVersion),
                "new_version": new_version,
                "reason": reason,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    crate::cache::changed(ctx);
    Ok(Resolved {
        decision: input.decision,
        new_version,
        verified,
    })
}
