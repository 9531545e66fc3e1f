//! `balai verify-log --election ID`: check an election's publication log against itself and
//! against the stored results, using only the algorithm documented in [`crate::domain::publog`].
//!
//! 1. the chain: sequence without gaps, each `prev_hash` linking, each hash recomputed;
//! 2. the head: the election's published head is the last entry (nothing removed at the end);
//! 3. the results: replaying the log (the counted form per TPS) gives, for the election's region
//!    and every village with a TPS, the same sums the results endpoint publishes; and every
//!    stored result version equals the payload published for it. Both the incrementally kept
//!    totals (what the endpoint serves) and a recount from the stored versions are checked.

use std::collections::BTreeMap;

use balai_core::db::Db;
use balai_core::with_db;

use crate::domain::audit_actions;
use crate::domain::form::Form;
use crate::domain::publog::{self, GENESIS};
use crate::store::{self, results as rstore, totals};

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub entries: usize,
    pub regions_checked: usize,
}

fn sums(forms: &[&Form]) -> (i64, i64, i64, i64, BTreeMap<i64, i64>) {
    let mut votes = BTreeMap::new();
    let (mut d, mut p, mut s, mut t) = (0i64, 0i64, 0i64, 0i64);
    for f in forms {
        d += i64::from(f.pemilih_dpt.total);
        p += i64::from(f.pengguna_total.total);
        s += i64::from(f.suara_sah);
        t += i64::from(f.suara_tidak_sah);
        for (b, v) in &f.votes {
            *votes.entry(i64::from(*b)).or_insert(0) += i64::from(*v);
        }
    }
    (d, p, s, t, votes)
}

/// `Ok(Ok(report))` when everything holds, `Ok(Err(problem))` naming the first problem.
pub async fn verify_log(db: &Db, election_id: i64) -> anyhow::Result<Result<Report, String>> {
    let Some(e) = store::get_election(db, election_id).await? else {
        return Ok(Err(format!("election {election_id} does not exist")));
    };
    let entries = rstore::log(db, election_id).await?;
    if let Err(p) = publog::verify(&entries) {
        return Ok(Err(format!("publication log broken: {p:?}")));
    }
    let last = entries.last().map(|x| x.hash.as_str()).unwrap_or(GENESIS);
    if entries.len() as i64 != e.log_seq || last != e.log_head {
        return Ok(Err(format!(
            "publication log truncated: head says {} entries ending in {}, found {}",
            e.log_seq,
            e.log_head,
            entries.len()
        )));
    }
    let replay = match publog::counted(&entries) {
        Ok(r) => r,
        Err(p) => return Ok(Err(format!("unreadable payload: {p:?}"))),
    };
    // Each stored version equals what was published for it.
    let pairs: Vec<(i64, i64, String)> = with_db!(db, |c| {
        sqlx::query_as(
        "SELECT l.seq, r.id, r.form FROM election_log l JOIN result_entries r ON r.id = l.entry_id
         WHERE l.election_id = $1 ORDER BY l.seq"
    )
    .bind(election_id)
    .fetch_all(c)
    .await
    })?;
    for ((seq, entry_id, form), published) in pairs.iter().zip(&entries) {
        let p: publog::Payload = serde_json::from_str(&published.payload)?;
        let stored: Form = serde_json::from_str(form)?;
        if *seq != published.seq || stored != p.form {
            return Ok(Err(format!(
                "result version {entry_id} differs from what log entry {seq} published"
            )));
        }
    }
    if pairs.len() != entries.len() {
        return Ok(Err("a published entry has no stored result version".into()));
    }
    let mut regions: Vec<String> = vec![e.region_code.clone()];
    regions.extend(replay.values().map(|p| p.village_code.clone()));
    regions.sort();
    regions.dedup();
    for region in &regions {
        let tps: Vec<&publog::Counted> = replay
            .values()
            .filter(|p| {
                p.village_code == *region || p.village_code.starts_with(&format!("{region}."))
            })
            .collect();
        let inside: Vec<&Form> = tps.iter().filter_map(|p| p.form.as_ref()).collect();
        let (d, p, s, t, votes) = sums(&inside);
        let recount = rstore::aggregate(db, election_id, region, region.len())
            .await?
            .remove(region)
            .unwrap_or_default();
        // The totals the results endpoint publishes, kept incrementally.
        let published = totals::get(db, election_id, region).await?;
        for agg in [recount, published] {
            let nonzero = |v: &BTreeMap<i64, i64>| {
                v.iter()
                    .filter(|(_, n)| **n != 0)
                    .map(|(b, n)| (*b, *n))
                    .collect::<BTreeMap<_, _>>()
            };
            if (agg.dpt, agg.pengguna, agg.suara_sah, agg.suara_tidak_sah) != (d, p, s, t)
                || nonzero(&agg.votes) != nonzero(&votes)
                || agg.tps_entered != tps.len() as i64
            {
                return Ok(Err(format!(
                    "published results of {region} do not follow from the log"
                )));
            }
        }
    }
    Ok(Ok(Report {
        entries: entries.len(),
        regions_checked: regions.len(),
    }))
}

/// For the command line: prints the outcome, returns the exit code (0 intact, 1 broken). With
/// `checkpoint`, the election's checkpoints in that file must also be signed and still be a
/// prefix of the log (see `balai_core::checkpoints`).
pub async fn cli(
    db: &Db,
    election_id: i64,
    checkpoint: Option<&std::path::Path>,
) -> anyhow::Result<i32> {
    let r = match verify_log(db, election_id).await? {
        Ok(r) => {
            println!(
                "publication log of election {election_id} intact: {} entries, results of {} regions follow from it",
                r.entries, r.regions_checked
            );
            r
        }
        Err(problem) => {
            eprintln!("PUBLICATION LOG CHECK FAILED: {problem}");
            return Ok(1);
        }
    };
    let Some(path) = checkpoint else {
        return Ok(0);
    };
    let chain = balai_core::checkpoints::election_chain(election_id);
    balai_core::checkpoints::cli_check(path, &chain, r.entries as i64, |seq| {
        crate::store::heads::hash_at(db, election_id, seq)
    })
    .await
}

/// `balai rebuild-totals [--election ID]`: recompute the per-region totals from the stored
/// versions (after a restore, or if `verify-log` ever finds them apart), audited. Safe while
/// servers run: each election is rebuilt in one transaction under its row lock, and the
/// servers notice the change within their cache's check interval.
pub async fn rebuild_totals_cli(db: &Db, election: Option<i64>) -> anyhow::Result<i32> {
    let ids: Vec<i64> = match election {
        Some(id) => vec![id],
        None => store::list_elections(db)
            .await?
            .into_iter()
            .map(|e| e.id)
            .collect(),
    };
    for id in ids {
        let mut tx = db.begin().await?;
        if store::lock_election(&mut tx, id).await?.is_none() {
            eprintln!("election {id} does not exist");
            return Ok(1);
        }
        totals::rebuild(&mut tx, id).await?;
        balai_core::audit::record(
            &mut tx,
            &balai_core::audit::AuditContext::cli("rebuild-totals"),
            balai_core::audit::AuditEvent {
                action: audit_actions::TOTALS_REBUILT,
                target_kind: "election",
                target_id: id.to_string(),
                region_code: None,
                summary: serde_json::json!({}),
            },
        )
        .await?;
        tx.commit().await?;
        println!("totals of election {id} rebuilt");
    }
    Ok(0)
}
