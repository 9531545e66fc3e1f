//! Import a version of an election's voter list from CSV: all or nothing. The rows stream
//! through [`super::stream`] (checked, hashed and sealed on every core) and the sealed records
//! are written as they come ([`crate::store::bulk`]), into the election's — or one province's —
//! part only; the index entries are spilled and, once every row is in, checked for a NIK
//! listed twice and packed into buckets. Then, in the same transaction, the TPS the list names
//! are made to exist with their DPT L/P set in the elections feature's master
//! ([`balai_core::tps::TpsMaster`]), the version is stored with its counts per village, and
//! the import is audited. One refused row refuses the file and rolls everything back.

use std::collections::BTreeMap;

use balai_core::audit::{self, AuditEvent};
use balai_core::tps::{TpsDpt, TpsMasters};
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use serde_json::json;

use super::authorize::require;
use super::spill::SpillFiles;
use super::stream;
use super::tally::{self, Tally, TpsTally};
use crate::domain::audit as actions;
use crate::domain::csv::{Problem, Refused};
use crate::domain::pack;
use crate::domain::permissions::Action;
use crate::domain::settings::VoterSettings;
use crate::domain::stage::Stage;
use crate::errors::{VResult, VoterError};
use crate::store::bulk::{Scope, Sink};
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

/// What to import: the stage of the new version, and optionally one province (`PP`) whose part
/// alone is replaced; the other provinces' index, records and counts stay as they are.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options<'a> {
    pub stage: &'a str,
    pub province: Option<u8>,
}

/// Import a list given whole (the API's body, the demo's list).
pub async fn import(
    ctx: &AppCtx,
    meta: &ReqMeta,
    by: By<'_>,
    election_id: i64,
    stage: &str,
    text: &str,
) -> VResult<Imported> {
    let source = Box::new(std::io::Cursor::new(text.as_bytes().to_vec()));
    let opts = Options {
        stage,
        province: None,
    };
    import_from(ctx, meta, by, election_id, opts, source).await
}

/// Import a list read from `source` as it streams: rows are checked, hashed and sealed on
/// every core and the records written as they come, so a national list fits in bounded memory.
pub async fn import_from(
    ctx: &AppCtx,
    meta: &ReqMeta,
    by: By<'_>,
    election_id: i64,
    opts: Options<'_>,
    source: Box<dyn std::io::Read + Send>,
) -> VResult<Imported> {
    let stage = Stage::parse(if opts.stage.is_empty() {
        "dps"
    } else {
        opts.stage
    })
    .ok_or(VoterError::BadStage)?;
    let election = elections::get(&ctx.db, election_id)
        .await?
        .ok_or(VoterError::ElectionNotFound)?;
    if let By::Official(actor) = by {
        require(actor, &election.region_code, Action::ImportList)?;
    }
    let rules = rules(ctx, &election.region_code, opts.province).await?;
    let scope = opts.province.map_or(Scope::Election, Scope::Province);
    let mut tx = ctx.begin().await?;
    elections::lock(&mut tx, election_id).await?;
    let previous = lists::latest_tx(&mut tx, election_id).await?;
    if let Some(prev) = &previous {
        let from = Stage::parse(&prev.stage).unwrap_or(Stage::Dpt);
        if !from.may_follow_with(stage) {
            return Err(VoterError::StageOrder(from.label(), stage.label()));
        }
    }
    let keys = balai_core::pii::keys(&mut tx, super::PII_PURPOSE).await?;
    let t = Stages::start();
    bulk::clear(&mut tx, election_id, scope).await?;
    t.done("cleared");
    let tally = stream_records(&mut tx, election_id, source, rules, keys).await?;
    t.done("records streamed");
    let per_province = parts(&tally.per_province);
    // The TPS tallies are moved, not copied, and the master's copy lives only while it is set:
    // a national list names ~820,000 TPS.
    let (per_tps, spilled, refused) = tally.finish().map_err(anyhow::Error::from)?;
    let set = match (refused.is_empty(), ctx.ext.get::<TpsMasters>()) {
        (true, Some(m)) => {
            let master: Vec<TpsDpt> = per_tps
                .iter()
                .map(|((village, number), t)| TpsDpt {
                    village_code: village.clone(),
                    number: *number,
                    address: t.address.clone(),
                    dpt_l: t.male,
                    dpt_p: t.female,
                })
                .collect();
            m.0.set_dpt(&mut tx, election_id, &master).await?
        }
        _ => balai_core::tps::TpsDptSet::default(),
    };
    t.done("TPS master set");
    let tps_ids = tps_ids(&mut tx, election_id, &per_tps, refused.is_empty()).await?;
    t.done("TPS ids");
    let bits = tally::bits_of(&per_province);
    write_index(&mut tx, election_id, spilled, tps_ids, bits, refused).await?;
    t.done("index packed and written");
    bulk::set_parts(&mut tx, election_id, &per_province).await?;
    bulk::analyze(&mut tx).await?;
    t.done("analyzed");
    let (mut total, mut by_village) = counts(&per_tps);
    if let (Some(p), Some(prev)) = (opts.province, &previous) {
        keep_other_provinces(&mut tx, prev.id, p, &mut total, &mut by_village).await?;
    }
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
                "villages": by_village.len(), "province": opts.province,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    t.done("committed");
    Ok(Imported {
        list_id,
        version,
        stage,
        total,
        tps_created: set.created,
        villages: lists::villages(&ctx.db, list_id).await?,
    })
}

type PerTps = BTreeMap<TpsKey, TpsTally>;

/// Each province's part: its voters, and the bucket bits that keep its buckets small.
fn parts(per_province: &BTreeMap<u8, i64>) -> Vec<(u8, i64, u8)> {
    per_province
        .iter()
        .map(|(p, n)| (*p, *n, pack::bits_for(u64::try_from(*n).unwrap_or(0))))
        .collect()
}

/// What the rows are checked against: the villages of the election's region (of the one
/// province, if only its part is imported).
async fn rules(ctx: &AppCtx, region: &str, province: Option<u8>) -> VResult<stream::Rules> {
    let settings = ctx.ext.get::<VoterSettings>().cloned().unwrap_or_default();
    let mut villages = elections::villages_in(&ctx.db, region).await?;
    if let Some(p) = province {
        villages.retain(|v| pack::province(v) == p);
        if villages.is_empty() {
            return Err(VoterError::Refused(vec![Refused {
                line: 1,
                problem: Problem::VillageOutside(format!("{p:02}")),
            }]));
        }
    }
    Ok(stream::Rules {
        today: super::today(),
        villages,
        regencies: elections::regencies(&ctx.db).await?,
        max_per_tps: settings.max_voters_per_tps,
    })
}

/// Stream the rows: records written as they are sealed, everything else tallied.
async fn stream_records(
    tx: &mut balai_core::Tx,
    election_id: i64,
    source: Box<dyn std::io::Read + Send>,
    rules: stream::Rules,
    keys: balai_core::pii::PiiKeys,
) -> VResult<Tally> {
    let hasher = keys.lookup_hasher();
    let mut tally = Tally::new(rules.max_per_tps, keys).map_err(anyhow::Error::from)?;
    let mut rows = stream::spawn(source, rules, hasher);
    let mut sink = Sink::records(tx, election_id).await?;
    while let Some(chunk) = rows.recv().await {
        let records = tally.take(chunk).map_err(anyhow::Error::from)?;
        if !records.is_empty() {
            sink.records_batch(&records).await?;
        }
        if let Some(e) = &tally.failed {
            sink.abort().await?;
            return Err(anyhow::anyhow!("sealing the list failed: {e}").into());
        }
    }
    let last = tally.flush();
    if let Some(e) = &tally.failed {
        sink.abort().await?;
        return Err(anyhow::anyhow!("sealing the list failed: {e}").into());
    }
    if !last.is_empty() {
        sink.records_batch(&last).await?;
    }
    if tally.refused.is_empty() {
        sink.finish().await?;
    } else {
        sink.abort().await?;
    }
    Ok(tally)
}

/// The counts of the version: the list's, and each village's.
fn counts(per_tps: &PerTps) -> (Counts, Vec<(String, Counts)>) {
    let mut villages: BTreeMap<String, Counts> = BTreeMap::new();
    for ((village, _), t) in per_tps {
        let c = villages.entry(village.clone()).or_default();
        c.male += i64::from(t.male);
        c.female += i64::from(t.female);
        c.voters += i64::from(t.male) + i64::from(t.female);
        c.tps += 1;
    }
    let total = sum(villages.values());
    (total, villages.into_iter().collect())
}

fn sum<'a>(villages: impl Iterator<Item = &'a Counts>) -> Counts {
    villages.fold(Counts::default(), |mut t, c| {
        t.voters += c.voters;
        t.male += c.male;
        t.female += c.female;
        t.tps += c.tps;
        t
    })
}

/// A province's import: the other provinces' villages keep their counts of the version before.
async fn keep_other_provinces(
    tx: &mut balai_core::Tx,
    previous_list: i64,
    province: u8,
    total: &mut Counts,
    by_village: &mut Vec<(String, Counts)>,
) -> VResult<()> {
    let before = lists::village_counts_tx(tx, previous_list).await?;
    by_village.extend(
        before
            .into_iter()
            .filter(|(code, _)| pack::province(code) != province),
    );
    by_village.sort_by(|a, b| a.0.cmp(&b.0));
    *total = sum(by_village.iter().map(|(_, c)| c));
    Ok(())
}

/// Make every named TPS exist for the check; each one's id by its position in the import.
async fn tps_ids(
    tx: &mut balai_core::Tx,
    election_id: i64,
    per_tps: &PerTps,
    wanted: bool,
) -> VResult<Vec<u32>> {
    if !wanted {
        return Ok(Vec::new());
    }
    let named: Vec<(&str, u32, &str)> = per_tps
        .iter()
        .map(|((village, number), t)| (village.as_str(), *number, t.address.as_str()))
        .collect();
    let mut out = vec![0u32; per_tps.len()];
    tps::ensure(tx, election_id, &named, |village, number, id| {
        let key = (village, number);
        if let (Some(t), Ok(id)) = (per_tps.get(&key), u32::try_from(id)) {
            if let Some(slot) = out.get_mut(t.ord as usize) {
                *slot = id;
            }
        }
    })
    .await?;
    if let Some((ord, _)) = out.iter().enumerate().find(|(_, id)| **id == 0) {
        let missing = per_tps.iter().find(|(_, t)| t.ord as usize == ord);
        let (v, n) = missing.map(|(k, _)| k.clone()).unwrap_or_default();
        return Err(anyhow::anyhow!("TPS {v} {n} missing").into());
    }
    Ok(out)
}

/// Read the spilled entries back a file at a time ([`super::spill`]): refuse the NIKs listed
/// twice, or write the packed buckets. Any refused row refuses the whole list. The files are
/// read, sorted and packed on a thread of their own while the buckets of the file before are
/// written, so both cores work (at most two files' buckets wait in between).
async fn write_index(
    tx: &mut balai_core::Tx,
    election_id: i64,
    mut spilled: SpillFiles,
    tps_ids: Vec<u32>,
    bits: tally::Bits,
    mut refused: Vec<Refused>,
) -> VResult<()> {
    let mut sink = if refused.is_empty() {
        Some(Sink::index(tx, election_id).await?)
    } else {
        None
    };
    let (packed, mut rows) = tokio::sync::mpsc::channel(2);
    let packer = tokio::task::spawn_blocking(move || -> std::io::Result<Vec<Refused>> {
        while let Some(file) = spilled.next_file() {
            let buckets = tally::buckets(file?, &tps_ids, &bits, &mut refused);
            if !buckets.is_empty() && packed.blocking_send(buckets).is_err() {
                break;
            }
        }
        Ok(refused)
    });
    while let Some(buckets) = rows.recv().await {
        if let Some(s) = sink.as_mut() {
            s.index_batch(&buckets).await?;
        }
    }
    let refused = packer
        .await
        .map_err(anyhow::Error::from)?
        .map_err(anyhow::Error::from)?;
    if !refused.is_empty() {
        if let Some(s) = sink.take() {
            s.abort().await?;
        }
        return Err(VoterError::Refused(tally::settle(refused)));
    }
    if let Some(s) = sink {
        s.finish().await?;
    }
    Ok(())
}

/// The import's stages, each logged (`BALAI_LOG=balai_voters=info`) with the seconds since
/// the import began and the process's peak memory so far, to see where time and memory go.
struct Stages(std::time::Instant);

impl Stages {
    fn start() -> Stages {
        Stages(std::time::Instant::now())
    }

    fn done(&self, stage: &str) {
        let peak_kb = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("VmHWM:"))
                    .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
            })
            .unwrap_or(0);
        tracing::info!(
            stage,
            seconds = self.0.elapsed().as_secs_f64(),
            peak_rss_mb = peak_kb / 1024,
            "voter list import"
        );
    }
}
