//! Import a version of an election's voter list from CSV: all or nothing. Every row is checked
//! first ([`crate::domain::csv`]); then, in one transaction, the TPS the list names are made
//! to exist with their DPT L/P set in the elections feature's master
//! ([`balai_core::tps::TpsMaster`]), the election's look-up index and sealed records are
//! replaced ([`crate::store::bulk`]), the version is stored with its counts per village, and
//! the import is audited.

use std::collections::{BTreeMap, HashMap};

use balai_core::audit::{self, AuditEvent};
use balai_core::nik::Sex;
use balai_core::tps::{TpsDpt, TpsMasters};
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use serde_json::json;

use super::authorize::require;
use super::lookup::{name_hash, nik_hash};
use crate::domain::audit as actions;
use crate::domain::csv::{self, Context, Voter};
use crate::domain::name;
use crate::domain::permissions::Action;
use crate::domain::settings::VoterSettings;
use crate::domain::stage::Stage;
use crate::errors::{VResult, VoterError};
use crate::store::bulk::Entry;
use crate::store::lists::Counts;
use crate::store::tps::TpsKey;
use crate::store::{bulk, elections, lists, tps};

/// Who imports: an official (API, page) or the server's own console (`balai import dpt`,
/// which whoever runs it on the host may do).
#[derive(Clone, Copy, Debug)]
pub enum By<'a> {
    Official(&'a Actor),
    Console,
}

impl By<'_> {
    fn actor(&self) -> Option<&Actor> {
        match self {
            By::Official(a) => Some(a),
            By::Console => None,
        }
    }
}

/// What an import stored.
#[derive(Clone, Debug)]
pub struct Imported {
    pub list_id: i64,
    pub version: i64,
    pub stage: Stage,
    pub total: Counts,
    pub tps_created: usize,
    /// Per village: code, name, counts.
    pub villages: Vec<(String, String, Counts)>,
}

pub async fn import(
    ctx: &AppCtx,
    meta: &ReqMeta,
    by: By<'_>,
    election_id: i64,
    stage: &str,
    text: &str,
) -> VResult<Imported> {
    let stage =
        Stage::parse(if stage.is_empty() { "dps" } else { stage }).ok_or(VoterError::BadStage)?;
    let election = elections::get(&ctx.db, election_id)
        .await?
        .ok_or(VoterError::ElectionNotFound)?;
    if let By::Official(actor) = by {
        require(actor, &election.region_code, Action::ImportList)?;
    }
    let settings = ctx.ext.get::<VoterSettings>().cloned().unwrap_or_default();
    let villages = elections::villages_in(&ctx.db, &election.region_code).await?;
    let regencies = elections::regencies(&ctx.db).await?;
    let cx = Context {
        today: super::today(),
        villages: &villages,
        regencies: &regencies,
        max_per_tps: settings.max_voters_per_tps,
    };
    let voters = csv::parse(text, &cx).map_err(VoterError::Refused)?;
    let mut tx = ctx.begin().await?;
    elections::lock(&mut tx, election_id).await?;
    let previous = lists::latest_tx(&mut tx, election_id).await?;
    if let Some(prev) = &previous {
        let from = Stage::parse(&prev.stage).unwrap_or(Stage::Dpt);
        if !from.may_follow_with(stage) {
            return Err(VoterError::StageOrder(from.label(), stage.label()));
        }
    }
    let per_tps = tps_counts(&voters);
    let master: Vec<TpsDpt> = per_tps
        .iter()
        .map(|((village, number), (l, p, address))| TpsDpt {
            village_code: village.clone(),
            number: *number,
            address: address.clone(),
            dpt_l: *l,
            dpt_p: *p,
        })
        .collect();
    let set = match ctx.ext.get::<TpsMasters>() {
        Some(m) => m.0.set_dpt(&mut tx, election_id, &master).await?,
        None => balai_core::tps::TpsDptSet::default(),
    };
    let named: Vec<(TpsKey, String)> = per_tps
        .iter()
        .map(|(k, (_, _, address))| (k.clone(), address.clone()))
        .collect();
    let tps_ids = tps::ensure(&mut tx, election_id, &named).await?;
    let keys = balai_core::pii::keys(&mut tx, super::PII_PURPOSE).await?;
    let entries = seal(&keys, &voters, &tps_ids)?;
    bulk::replace(&mut tx, election_id, &entries).await?;
    let (total, by_village) = counts(&voters, &per_tps);
    let version = previous.as_ref().map_or(1, |p| p.version + 1);
    let list_id = lists::insert(
        &mut tx,
        election_id,
        version,
        stage.as_str(),
        &total,
        &by_village,
        by.actor().map(|a| a.user.id),
    )
    .await?;
    audit::record(
        &mut tx,
        &meta.audit(by.actor()),
        AuditEvent {
            action: actions::LIST_IMPORTED,
            target_kind: actions::TARGET_ELECTION,
            target_id: election_id.to_string(),
            region_code: Some(election.region_code.clone()),
            summary: json!({
                "version": version, "stage": stage.as_str(), "voters": total.voters,
                "male": total.male, "female": total.female, "tps": total.tps,
                "tps_created": set.created, "tps_dpt_changed": set.updated,
                "villages": by_village.len(),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Imported {
        list_id,
        version,
        stage,
        total,
        tps_created: set.created,
        villages: lists::villages(&ctx.db, list_id).await?,
    })
}

type PerTps = BTreeMap<TpsKey, (u32, u32, String)>;

/// Each TPS's men and women, and the first address the list gives it.
fn tps_counts(voters: &[Voter]) -> PerTps {
    let mut out: PerTps = BTreeMap::new();
    for v in voters {
        let e = out
            .entry((v.village_code.clone(), v.tps_number))
            .or_insert_with(|| (0, 0, v.address.chars().take(300).collect()));
        match v.sex {
            Sex::Male => e.0 += 1,
            Sex::Female => e.1 += 1,
        }
    }
    out
}

fn counts(voters: &[Voter], per_tps: &PerTps) -> (Counts, Vec<(String, Counts)>) {
    let mut villages: BTreeMap<String, Counts> = BTreeMap::new();
    for ((village, _), (l, p, _)) in per_tps {
        let c = villages.entry(village.clone()).or_default();
        c.male += i64::from(*l);
        c.female += i64::from(*p);
        c.voters += i64::from(*l) + i64::from(*p);
        c.tps += 1;
    }
    let total = Counts {
        voters: i64::try_from(voters.len()).unwrap_or(i64::MAX),
        male: villages.values().map(|c| c.male).sum(),
        female: villages.values().map(|c| c.female).sum(),
        tps: i64::try_from(per_tps.len()).unwrap_or(i64::MAX),
    };
    (total, villages.into_iter().collect())
}

/// The index entry and sealed record of every voter, in index-key order (sequential inserts).
fn seal(
    keys: &balai_core::pii::PiiKeys,
    voters: &[Voter],
    tps_ids: &HashMap<TpsKey, i64>,
) -> VResult<Vec<Entry>> {
    let mut out = Vec::with_capacity(voters.len());
    for v in voters {
        let tps_id = tps_ids
            .get(&(v.village_code.clone(), v.tps_number))
            .copied()
            .ok_or_else(|| anyhow::anyhow!("TPS {} {} missing", v.village_code, v.tps_number))?;
        let record = json!({
            "nik": v.nik.as_str(), "nkk": v.nkk, "name": v.name, "birth_place": v.birth_place,
            "birth_date": v.birth_date.to_string(), "sex": v.sex.as_str(),
            "village_code": v.village_code, "tps_number": v.tps_number, "address": v.address,
            "disability": v.disability, "marital_status": v.marital_status,
        });
        out.push(Entry {
            nik_hash: nik_hash(keys, v.nik.as_str()),
            tps_id,
            name_hash: name_hash(keys, &name::normalise(&v.name)),
            name_masked: name::mask(&v.name),
            village_code: v.village_code.clone(),
            sealed: keys
                .encrypt(&record.to_string())
                .map_err(anyhow::Error::msg)?,
        });
    }
    out.sort_unstable_by_key(|e| e.nik_hash);
    Ok(out)
}
