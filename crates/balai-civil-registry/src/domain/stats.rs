//! Exact arithmetic for published statistics, and the periods they cover.

use time::{Date, Month};

use crate::errors::{CivilRegistryError, CrResult};

/// A statistics period: `from` not after `to`, at most five years long.
pub fn check_period(from: Date, to: Date) -> CrResult<()> {
    if to < from || (to - from).whole_days() > 366 * 5 {
        return Err(CivilRegistryError::BadPeriod);
    }
    Ok(())
}

/// `YYYY-MM` → first and last day of that month.
pub fn month_range(s: &str) -> CrResult<(Date, Date)> {
    let bad = || CivilRegistryError::BadMonth;
    let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
    let year: i32 = y.parse().map_err(|_| bad())?;
    let month = m
        .parse::<u8>()
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or_else(bad)?;
    let first = Date::from_calendar_date(year, month, 1).map_err(|_| bad())?;
    let last = Date::from_calendar_date(year, month, month.length(year)).map_err(|_| bad())?;
    Ok((first, last))
}

/// `part / whole` as a percentage rounded half-up to two decimals, computed in integers, so
/// that 1 of 3 is exactly 33.33 and the shares of a breakdown are reported as they are (they
/// may sum to 99.99 or 100.01; they are not forced to 100).
pub fn percent_hundredths(part: u64, whole: u64) -> u64 {
    if whole == 0 {
        return 0;
    }
    let scaled = u128::from(part) * 10_000;
    let w = u128::from(whole);
    let q = scaled / w;
    let r = scaled % w;
    let rounded = if r * 2 >= w { q + 1 } else { q };
    u64::try_from(rounded).unwrap_or(u64::MAX)
}

/// Hundredths as a JSON-friendly number with at most two decimals (33.33, not 33.3299…).
pub fn hundredths_to_f64(h: u64) -> f64 {
    // The shortest decimal representation of this f64 is exactly the two-decimal value.
    format!("{}.{:02}", h / 100, h % 100).parse().unwrap_or(0.0)
}

pub fn format_hundredths(h: u64) -> String {
    format!("{}.{:02}", h / 100, h % 100)
}

/// The median of whole numbers, in halves (a median of 2 and 3 is 2.5).
pub fn median(values: &mut [i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    let m = if n % 2 == 1 {
        values[n / 2] as f64
    } else {
        (values[n / 2 - 1] + values[n / 2]) as f64 / 2.0
    };
    Some(m)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn shares_are_exact_and_not_forced() {
        assert_eq!(percent_hundredths(1, 3), 3333);
        assert_eq!(percent_hundredths(2, 3), 6667);
        // Three equal thirds sum to 99.99: reported as they are.
        assert_eq!(3 * percent_hundredths(1, 3), 9999);
        assert_eq!(percent_hundredths(1, 8), 1250);
        assert_eq!(percent_hundredths(1, 16), 625); // 6.25 exactly
        assert_eq!(percent_hundredths(1, 32), 313); // 3.125 → 3.13 (half up)
        assert_eq!(percent_hundredths(0, 0), 0);
        assert_eq!(percent_hundredths(5, 5), 10000);
        assert_eq!(format_hundredths(3333), "33.33");
        assert_eq!(format_hundredths(5), "0.05");
        assert_eq!(hundredths_to_f64(3333).to_string(), "33.33");
        assert_eq!(hundredths_to_f64(10000), 100.0);
    }

    #[test]
    fn medians() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5, 1, 3]), Some(3.0));
        assert_eq!(median(&mut [4, 1, 3, 2]), Some(2.5));
    }
}
