//! `balai import …`: files loaded through the same commands as the API (result forms, a voter
//! list), printing the counts and every refused row.

use balai_core::accounts;
use balai_core::config::Config;
use balai_core::Db;

/// `balai import results`: each block of up to `MAX_BATCH` rows is one transaction, exactly as
/// the API's CSV import; prints the counts and every rejected row with its rule(s).
pub async fn import_results(
    db: &Db,
    cfg: &Config,
    election: i64,
    operator: &str,
    file: &std::path::Path,
) -> anyhow::Result<i32> {
    use balai_core::accounts::AgencyKind;
    use balai_core::identity::{actor_for_user, AuthVia};
    use balai_core::web::actor::ReqMeta;
    use balai_elections::commands::submit_batch::{self as batch, BatchInput, MAX_BATCH};
    let text = std::fs::read_to_string(file)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    let user = accounts::user_by_name(db, &operator.to_lowercase())
        .await?
        .ok_or_else(|| anyhow::anyhow!("no user {operator:?}"))?;
    let actor = actor_for_user(db, user.id, AuthVia::Command)
        .await?
        .ok_or_else(|| anyhow::anyhow!("user {operator:?} is disabled"))?;
    let is_kpu = actor.agency.as_ref().is_some_and(|a| a.is(AgencyKind::Kpu));
    // The writes go through the same writer and checks as the API's import.
    let ctx = crate::app::context(db.clone(), cfg.clone()).await?;
    if actor.require_writer().is_err() || !(actor.is_superadmin() || is_kpu) {
        anyhow::bail!("{operator:?} is not a KPU official who may enter results");
    }
    let e = balai_elections::queries::load_election(&ctx, election)
        .await
        .map_err(|e| anyhow::anyhow!("election {election}: {}", e.info.message_en))?;
    // The operator's area covers the election's region, or lies inside it (a regency's KPU in
    // a governor election); each row is still checked against its TPS by the submission.
    let region = balai_core::regions::RegionCode::parse(&e.region_code)
        .map_err(|_| anyhow::anyhow!("election {election} has a bad region code"))?;
    let inside = actor
        .scope
        .region_prefix()
        .is_some_and(|p| region.contains(p));
    if !(actor.scope.covers(&e.region_code, AgencyKind::Kpu.as_str()) || inside) {
        anyhow::bail!(
            "{operator:?} is not a KPU official for the region {} of election {election}",
            e.region_code
        );
    }
    let items = match batch::parse_results_csv(&text) {
        Ok(items) => items,
        Err(problems) => {
            for (id, en) in &problems {
                eprintln!("{id} / {en}");
            }
            anyhow::bail!("{} is not a readable results CSV", file.display());
        }
    };
    let meta = ReqMeta {
        request_id: format!("cli-{}", uuid::Uuid::now_v7()),
        ip: "local".into(),
        user_agent: "balai-cli import results".into(),
    };
    let (mut accepted, mut rejected) = (0usize, Vec::new());
    for (block, chunk) in items.chunks(MAX_BATCH).enumerate() {
        let input = BatchInput {
            items: chunk.to_vec(),
        };
        let out = batch::submit_batch(&ctx, &actor, &meta, election, &input)
            .await
            .map_err(|e| anyhow::anyhow!("{} / {}", e.info.message_id, e.info.message_en))?;
        accepted += out.accepted;
        for item in out.items.into_iter().filter(|i| i.result.is_none()) {
            // Line 1 is the header.
            rejected.push((block * MAX_BATCH + item.index + 2, item));
        }
    }
    println!("accepted: {accepted}");
    println!("rejected: {}", rejected.len());
    for (line, item) in &rejected {
        let rules: Vec<String> = item
            .details
            .as_ref()
            .and_then(|d| d.get("errors"))
            .and_then(|e| e.as_array())
            .map(|errs| {
                errs.iter()
                    .map(|f| {
                        format!(
                            "rule {} {} [{}]: {}",
                            f["rule"],
                            f["code"].as_str().unwrap_or(""),
                            f["fields"]
                                .as_array()
                                .map(|a| a
                                    .iter()
                                    .filter_map(|x| x.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", "))
                                .unwrap_or_default(),
                            f["message_id"].as_str().unwrap_or("")
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let code = item.code.as_deref().unwrap_or("");
        let msg = item.message_id.as_deref().unwrap_or("");
        if rules.is_empty() {
            println!("line {line}: {} {code}: {msg}", item.status);
        } else {
            println!("line {line}: {} {code}: {}", item.status, rules.join("; "));
        }
    }
    Ok(if rejected.is_empty() { 0 } else { 1 })
}

/// `balai import dpt`: import a voter list version, print its counts (or every refused row).
pub async fn import_dpt(
    db: &Db,
    cfg: &Config,
    election: i64,
    stage: &str,
    province: Option<u8>,
    file: &std::path::Path,
) -> anyhow::Result<i32> {
    use balai_core::web::actor::ReqMeta;
    use balai_voters::commands::import::{import_from, By, Options};
    use balai_voters::errors::VoterError;
    let source = std::fs::File::open(file)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    let ctx = crate::app::context(db.clone(), cfg.clone()).await?;
    let meta = ReqMeta {
        request_id: format!("cli-{}", uuid::Uuid::now_v7()),
        ip: "local".into(),
        user_agent: "balai-cli import dpt".into(),
    };
    let started = std::time::Instant::now();
    let opts = Options { stage, province };
    let done = import_from(&ctx, &meta, By::Console, election, opts, Box::new(source)).await;
    match done {
        Ok(done) => {
            let secs = started.elapsed().as_secs_f64();
            println!(
                "election {election}: version {} ({}) imported: {} voters ({} L, {} P) in {} TPS, {} new TPS; {:.1} s ({:.0} voters/s)",
                done.version,
                done.stage.label(),
                done.total.voters,
                done.total.male,
                done.total.female,
                done.total.tps,
                done.tps_created,
                secs,
                done.total.voters as f64 / secs.max(1e-9)
            );
            for (code, name, c) in &done.villages {
                println!(
                    "  {code} {name}: {} ({} L, {} P), {} TPS",
                    c.voters, c.male, c.female, c.tps
                );
            }
            Ok(0)
        }
        Err(VoterError::Refused(rows)) => {
            for r in &rows {
                let (_, en) = r.problem.messages();
                eprintln!("line {}: {} ({en})", r.line, r.problem.code());
            }
            eprintln!(
                "{}: {} rows refused, nothing imported",
                file.display(),
                rows.len()
            );
            Ok(1)
        }
        Err(e) => anyhow::bail!("{}", e.message_en()),
    }
}
