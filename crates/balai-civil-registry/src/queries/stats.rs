//! Open statistics: counts only, never personal data.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration as StdDuration;

use balai_core::calendar;
use balai_core::gate::Gate;
use balai_core::regions::{self, RegionCode};
use balai_core::web::AppCtx;
use balai_core::{AppError, Db};
use serde::Serialize;
use time::{Date, Duration, OffsetDateTime};
use utoipa::ToSchema;

use crate::domain::service::{local_date, local_midnight, Channel};
use crate::domain::stats::{hundredths_to_f64, median, percent_hundredths};
use crate::domain::workflow::Status;
use crate::errors::CrResult;
use crate::store::{self, StatRow};

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ServiceStats {
    pub code: String,
    pub name_id: String,
    pub name_en: String,
    /// Applications first submitted in the period.
    pub received: u64,
    /// `received` as a percentage of all received, two decimals, rounded half up. The shares
    /// of all services are reported as computed and need not add up to exactly 100.
    pub share_percent: f64,
    pub online: u64,
    pub counter: u64,
    pub completed: u64,
    pub rejected: u64,
    /// Median working days from submission to completion (completed applications only).
    pub median_processing_working_days: Option<f64>,
    /// Completed on or before the service-standard due day, as a share of completed ones.
    pub completed_within_standard_percent: Option<f64>,
    #[serde(skip)]
    pub share_hundredths: u64,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ChannelStats {
    pub online: u64,
    pub counter: u64,
    pub online_share_percent: f64,
    pub counter_share_percent: f64,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Stats {
    pub region: String,
    pub from: String,
    pub to: String,
    pub total_received: u64,
    pub channels: ChannelStats,
    pub services: Vec<ServiceStats>,
}

/// Counts of one service, while the rows are read.
#[derive(Default)]
struct Acc {
    received: u64,
    online: u64,
    counter: u64,
    completed: u64,
    rejected: u64,
    within: u64,
    days: Vec<i64>,
}

/// Count the rows per service; processing days and the service-standard check use the
/// region's local days.
fn accumulate<'a>(
    rows: &'a [StatRow],
    cal: &calendar::Calendar,
    tz: &str,
) -> BTreeMap<&'a str, Acc> {
    let local = |t: time::OffsetDateTime| local_date(t, tz);
    let mut acc: BTreeMap<&str, Acc> = BTreeMap::new();
    for r in rows {
        let a = acc.entry(r.service_code.as_str()).or_default();
        a.received += 1;
        if Channel::parse(&r.channel) == Channel::Counter {
            a.counter += 1;
        } else {
            a.online += 1;
        }
        match (Status::parse(&r.status), r.completed_at) {
            (Some(Status::Completed), Some(done)) => {
                a.completed += 1;
                a.days
                    .push(cal.working_days_between(local(r.submitted_at), local(done)));
                if local(done) <= r.due_day {
                    a.within += 1;
                }
            }
            (Some(Status::Rejected), _) => a.rejected += 1,
            _ => {}
        }
    }
    acc
}

fn service_stats(s: store::ServiceRow, mut a: Acc, total: u64) -> ServiceStats {
    let share = percent_hundredths(a.received, total);
    ServiceStats {
        code: s.code,
        name_id: s.name_id,
        name_en: s.name_en,
        received: a.received,
        share_percent: hundredths_to_f64(share),
        share_hundredths: share,
        online: a.online,
        counter: a.counter,
        completed: a.completed,
        rejected: a.rejected,
        median_processing_working_days: median(&mut a.days),
        completed_within_standard_percent: (a.completed > 0)
            .then(|| hundredths_to_f64(percent_hundredths(a.within, a.completed))),
    }
}

/// How long computed statistics are served again (open data: a minute late is fine).
const STATS_TTL: Duration = Duration::seconds(60);
/// Entries kept; past this, expired ones go, then all.
const STATS_ENTRIES: usize = 512;

type StatsKey = (Vec<u8>, String, Date, Date);
type StatsCache = Mutex<HashMap<StatsKey, (OffsetDateTime, Arc<Stats>)>>;

/// [`compute`], kept for [`STATS_TTL`] per region and period, and computed by at most two
/// requests at a time (a province over five years reads every application of the period):
/// others wait briefly, then get 503.
pub async fn cached(ctx: &AppCtx, region: &RegionCode, from: Date, to: Date) -> CrResult<Stats> {
    static CACHE: OnceLock<StatsCache> = OnceLock::new();
    static GATE: OnceLock<Gate> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    // The server secret tells databases apart (two test apps in one process).
    let key: StatsKey = (ctx.secret.to_vec(), region.to_string(), from, to);
    let now = OffsetDateTime::now_utc();
    let fresh = |m: &HashMap<StatsKey, (OffsetDateTime, Arc<Stats>)>| {
        m.get(&key)
            .filter(|(at, _)| now - *at < STATS_TTL)
            .map(|(_, s)| Stats::clone(s))
    };
    let lock = || {
        cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    };
    if let Some(s) = fresh(&lock()) {
        return Ok(s);
    }
    let gate =
        GATE.get_or_init(|| Gate::new("civil_registry_stats", 2, 8, StdDuration::from_secs(10)));
    let _pass = gate.enter().await.map_err(AppError::from)?;
    // Someone may have computed it while this request waited.
    if let Some(s) = fresh(&lock()) {
        return Ok(s);
    }
    let stats = compute(&ctx.db, region, from, to).await?;
    let mut m = lock();
    if m.len() >= STATS_ENTRIES {
        m.retain(|_, (at, _)| now - *at < STATS_TTL);
        if m.len() >= STATS_ENTRIES {
            m.clear();
        }
    }
    m.insert(key, (now, Arc::new(stats.clone())));
    Ok(stats)
}

/// Statistics for applications in `region` first submitted between `from` and `to` inclusive,
/// counted in the region's local days (WIB/WITA/WIT from `regions.tz`), as are processing times
/// and the service-standard check.
pub async fn compute(db: &Db, region: &RegionCode, from: Date, to: Date) -> CrResult<Stats> {
    let tz = regions::get(db, region)
        .await?
        .map(|r| r.tz)
        .unwrap_or_else(|| "WIB".to_string());
    let start = local_midnight(from, &tz);
    let until = local_midnight(to + Duration::days(1), &tz);
    let rows = store::stat_rows(db, region.as_str(), start, until).await?;
    let services = store::list_services(db).await?;
    let cal = calendar::load(db).await?;
    let total = rows.len() as u64;
    let mut acc = accumulate(&rows, &cal, &tz);
    let out: Vec<ServiceStats> = services
        .into_iter()
        .map(|s| {
            let a = acc.remove(s.code.as_str()).unwrap_or_default();
            service_stats(s, a, total)
        })
        .collect();
    let online: u64 = out.iter().map(|s| s.online).sum();
    let counter: u64 = out.iter().map(|s| s.counter).sum();
    Ok(Stats {
        region: region.to_string(),
        from: from.to_string(),
        to: to.to_string(),
        total_received: total,
        channels: ChannelStats {
            online,
            counter,
            online_share_percent: hundredths_to_f64(percent_hundredths(online, total)),
            counter_share_percent: hundredths_to_f64(percent_hundredths(counter, total)),
        },
        services: out,
    })
}
