//! Key performance indicators that a feature computes from its own records, for one service
//! unit (agency) and period, read by another feature (Kinerja's pages per unit and the regional
//! league table) without depending on it: each feature implements [`KpiSource`], the binary
//! keeps them all in [`KpiSources`] in the application state, and Kinerja asks each in turn.
//! No feature rules here: only the shape of a figure.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use time::{Date, OffsetDateTime, Time};

use crate::accounts::Agency;
use crate::db::Db;
use crate::format::Zone;
use crate::with_db;

/// The value of one figure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KpiValue {
    /// `part` of `whole` (a share; `whole` 0: nothing to count in the period).
    Share { part: i64, whole: i64 },
    /// A number of things.
    Count(i64),
    /// A median duration in hundredths of a working day (`None`: nothing measured).
    WorkingDays(Option<i64>),
}

/// Whether more is better, less is better, or the figure is a breakdown not to be ranked or
/// given a target (a family's share of the documents processed, say).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Better {
    Higher,
    Lower,
    Neither,
}

/// One figure of one unit for one period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KpiFigure {
    /// Stable key, `<feature>.<figure>` (targets are stored by it).
    pub key: String,
    pub label_id: String,
    pub label_en: String,
    pub value: KpiValue,
    pub better: Better,
}

/// What a source's [`KpiSource::figures`] returns.
pub type KpiFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Vec<KpiFigure>, sqlx::Error>> + Send + 'a>>;

/// What a source's [`KpiSource::served`] returns.
pub type ServedFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Option<i64>, sqlx::Error>> + Send + 'a>>;

/// A feature's figures for a unit and the days `from..=to` (the unit's local days). A feature
/// returns nothing for a unit whose kind it does not serve.
pub trait KpiSource: Send + Sync {
    fn figures<'a>(&'a self, db: &'a Db, unit: &'a Agency, from: Date, to: Date) -> KpiFuture<'a>;

    /// How many service users the unit served in the days `from..=to` by this feature's own
    /// records (reports routed to it, applications it received, requests filed to it), for the
    /// survey's sample size; `None` when the feature keeps no such record for the unit.
    fn served<'a>(
        &'a self,
        _db: &'a Db,
        _unit: &'a Agency,
        _from: Date,
        _to: Date,
    ) -> ServedFuture<'a> {
        Box::pin(async { Ok(None) })
    }
}

/// Every feature's source, kept in the application state's extensions by the binary.
#[derive(Clone, Default)]
pub struct KpiSources(pub Arc<Vec<Arc<dyn KpiSource>>>);

impl KpiSources {
    pub fn new(sources: Vec<Arc<dyn KpiSource>>) -> Self {
        KpiSources(Arc::new(sources))
    }

    /// Every source's figures for the unit and period, in the sources' order.
    pub async fn figures(
        &self,
        db: &Db,
        unit: &Agency,
        from: Date,
        to: Date,
    ) -> Result<Vec<KpiFigure>, sqlx::Error> {
        let mut out = Vec::new();
        for s in self.0.iter() {
            out.extend(s.figures(db, unit, from, to).await?);
        }
        Ok(out)
    }

    /// The service users every source counted in its own records for the unit and period,
    /// added up; `None` when no source has a record of one (then the survey's own count, or
    /// what the unit entered, stands in).
    pub async fn served(
        &self,
        db: &Db,
        unit: &Agency,
        from: Date,
        to: Date,
    ) -> Result<Option<i64>, sqlx::Error> {
        let mut total = 0i64;
        for s in self.0.iter() {
            total = total.saturating_add(s.served(db, unit, from, to).await?.unwrap_or(0));
        }
        Ok((total > 0).then_some(total))
    }
}

/// The instants that bound the local days `from..=to` of a region (from the first day's
/// midnight to the midnight after the last, in the region's WIB/WITA/WIT), for a source's
/// `occurred_at >= $1 AND occurred_at < $2`.
pub fn local_days(region: &str, from: Date, to: Date) -> (OffsetDateTime, OffsetDateTime) {
    let offset = Zone::for_region(region).offset();
    let start = |d: Date| OffsetDateTime::new_in_offset(d, Time::MIDNIGHT, offset);
    (start(from), start(to.next_day().unwrap_or(to)))
}

/// Today in a region (its WIB/WITA/WIT day), for a source that counts what has come due.
pub fn local_today(region: &str) -> Date {
    crate::db::now()
        .to_offset(Zone::for_region(region).offset())
        .date()
}

/// Counts a share for a unit and period: `sql` selects two `BIGINT`s, the whole and the part,
/// with `$1` the unit's id, `$2..=$3` the period's local days and `$4` the unit's local today.
pub async fn count_share(
    db: &Db,
    sql: &str,
    unit: &Agency,
    from: Date,
    to: Date,
) -> Result<(i64, i64), sqlx::Error> {
    let today = local_today(&unit.region_code);
    with_db!(db, |c| sqlx::query_as(sql)
        .bind(unit.id)
        .bind(from)
        .bind(to)
        .bind(today)
        .fetch_one(c)
        .await)
}

/// Counts the unit's records of the period for [`KpiSource::served`]: `sql` selects one
/// `BIGINT`, with `$1` the unit's id and `$2..$3` the instants that bound the period's local days
/// (see [`local_days`]).
pub async fn count_in_local_days(
    db: &Db,
    sql: &str,
    unit: &Agency,
    from: Date,
    to: Date,
) -> Result<Option<i64>, sqlx::Error> {
    let (since, until) = local_days(&unit.region_code, from, to);
    let n: i64 = with_db!(db, |c| sqlx::query_scalar::<_, i64>(sql)
        .bind(unit.id)
        .bind(since)
        .bind(until)
        .fetch_one(c)
        .await)?;
    Ok(Some(n))
}

/// A share where more is better, as a source's figures: none when there was nothing to count
/// (`whole` 0), so that the unit shows no figure rather than 0 of 0.
pub fn higher_share(
    key: &str,
    label_id: &str,
    label_en: &str,
    (whole, part): (i64, i64),
) -> Vec<KpiFigure> {
    if whole == 0 {
        return Vec::new();
    }
    vec![KpiFigure {
        key: key.into(),
        label_id: label_id.into(),
        label_en: label_en.into(),
        value: KpiValue::Share { part, whole },
        better: Better::Higher,
    }]
}

/// The median of some values (the mean of the middle two for an even count), in hundredths,
/// rounded half up; `None` for no values. For sources' `WorkingDays` figures.
pub fn median_hundredths(values: &mut [i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    let mid = n / 2;
    let (a, b) = if n % 2 == 1 {
        (values.get(mid)?, values.get(mid)?)
    } else {
        (values.get(mid - 1)?, values.get(mid)?)
    };
    // (a + b) / 2 in hundredths = (a + b) × 50, exact.
    Some((a + b) * 50)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median_hundredths(&mut []), None);
        assert_eq!(median_hundredths(&mut [3]), Some(300));
        assert_eq!(median_hundredths(&mut [5, 1, 2, 4]), Some(300));
        assert_eq!(median_hundredths(&mut [1, 2]), Some(150));
    }
}
