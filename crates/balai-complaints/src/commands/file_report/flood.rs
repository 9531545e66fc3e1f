//! Flood control: how many reports an hour one SMS number or one IP address may file.

use balai_core::Db;
use time::Duration;

use crate::domain::ClockConfig;
use crate::errors::{ComplaintError, ComplaintResult};
use crate::store;

/// The flood limit a report counts against, if any: its SMS number, else its IP address
/// (signed-in officials have neither).
pub(super) fn flood_source<'a>(
    sms_from: Option<&'a str>,
    ip: Option<&'a str>,
) -> Option<(bool, &'a str)> {
    match (sms_from, ip) {
        (Some(from), _) => Some((true, from)),
        (None, Some(ip)) => Some((false, ip)),
        (None, None) => None,
    }
}

pub(super) fn flood_limit(cfg: &ClockConfig, by_number: bool) -> i64 {
    if by_number {
        cfg.max_reports_per_number_per_hour
    } else {
        cfg.max_reports_per_ip_per_hour
    }
}

/// Flood control read ahead of the costly checks (photo decoding), on a reader; the write
/// decides again, exactly, in its transaction.
pub(super) async fn flood_check(
    db: &Db,
    sms_from: Option<&str>,
    ip: Option<&str>,
    cfg: &ClockConfig,
) -> ComplaintResult<()> {
    let Some((by_number, who)) = flood_source(sms_from, ip) else {
        return Ok(());
    };
    let since = balai_core::db::now() - Duration::hours(1);
    let n = store::recent_count_on(db, by_number, who, since).await?;
    if n >= flood_limit(cfg, by_number) {
        return Err(ComplaintError::Flooded { by_number });
    }
    Ok(())
}
