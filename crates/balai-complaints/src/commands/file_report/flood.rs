//! Flood control: how many reports an hour one SMS number or one IP address may file.

use balai_core::Db;
use time::{Duration, OffsetDateTime};

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
    let now = balai_core::db::now();
    let since = now - Duration::hours(1);
    let n = store::recent_count_on(db, by_number, who, since).await?;
    let limit = flood_limit(cfg, by_number);
    if n >= limit {
        let (sms_from, ip) = split(by_number, who);
        let entry = store::window_entry_on(db, sms_from, ip, since, n - limit).await?;
        return Err(ComplaintError::Flooded {
            by_number,
            retry_after: seconds_until_open(entry, now),
        });
    }
    Ok(())
}

/// The source as the store's (SMS number, IP) pair.
pub(super) fn split(by_number: bool, who: &str) -> (Option<&str>, Option<&str>) {
    if by_number {
        (Some(who), None)
    } else {
        (None, Some(who))
    }
}

/// Seconds until the flood window lets the next report through: an hour after the report that
/// has to leave it (`entry`, see `store::window_entry`) was submitted; a full hour when the
/// reports over the limit are not stored yet (filed in the same batch). At least one.
pub(super) fn seconds_until_open(entry: Option<OffsetDateTime>, now: OffsetDateTime) -> u64 {
    let opens = entry.unwrap_or(now) + Duration::hours(1);
    let wait = opens - now;
    let seconds = wait.whole_seconds() + i64::from(wait.subsec_nanoseconds() > 0);
    u64::try_from(seconds.clamp(1, 3600)).unwrap_or(3600)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_opens_an_hour_after_the_report_that_leaves_it() {
        let now = time::macros::datetime!(2026-12-05 10:00:00 UTC);
        // Filed 59 min 29.5 s ago: it leaves the window in 30.5 s, so 31 whole seconds.
        let entry = now - Duration::seconds(3569) - Duration::milliseconds(500);
        assert_eq!(seconds_until_open(Some(entry), now), 31);
        assert_eq!(seconds_until_open(None, now), 3600);
        assert_eq!(seconds_until_open(Some(now - Duration::hours(2)), now), 1);
    }
}
