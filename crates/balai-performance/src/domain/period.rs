//! Reporting periods: a range of days (surveys) or a month (KPIs).

use time::{Date, Month};

/// The longest period a report covers.
pub const MAX_DAYS: i64 = 366 * 5;

/// `YYYY-MM-DD`.
pub fn parse_day(s: &str) -> Option<Date> {
    balai_core::calendar::parse_iso_day(s.trim())
}

/// A valid period: `from` not after `to`, at most five years.
pub fn check(from: Date, to: Date) -> bool {
    from <= to && (to - from).whole_days() <= MAX_DAYS
}

/// `YYYY-MM` → its first and last day.
pub fn parse_month(s: &str) -> Option<(Date, Date)> {
    let (y, m) = s.split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let year: i32 = y.parse().ok()?;
    // Four digits without a leading zero (1000–9999), as the API document says.
    if !(1000..=9999).contains(&year) {
        return None;
    }
    let month = Month::try_from(m.parse::<u8>().ok()?).ok()?;
    let first = Date::from_calendar_date(year, month, 1).ok()?;
    let last = Date::from_calendar_date(year, month, month.length(year)).ok()?;
    Some((first, last))
}

/// `YYYY-MM` of a day.
pub fn month_key(d: Date) -> String {
    format!("{:04}-{:02}", d.year(), u8::from(d.month()))
}

/// The `n` months ending with the month of `last`, oldest first, as `YYYY-MM`.
pub fn months_back(last: Date, n: u32) -> Vec<String> {
    let mut y = last.year();
    let mut m = i32::from(u8::from(last.month()));
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(format!("{y:04}-{m:02}"));
        m -= 1;
        if m == 0 {
            m = 12;
            y -= 1;
        }
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn months() {
        assert_eq!(
            parse_month("2024-02"),
            Some((date!(2024 - 02 - 01), date!(2024 - 02 - 29)))
        );
        assert_eq!(parse_month("2024-13"), None);
        assert_eq!(parse_month("24-01"), None);
        assert_eq!(parse_month("0000-01"), None);
        assert!(parse_month("1000-01").is_some() && parse_month("9999-12").is_some());
        assert_eq!(month_key(date!(2026 - 01 - 31)), "2026-01");
        assert_eq!(
            months_back(date!(2026 - 02 - 10), 3),
            ["2025-12", "2026-01", "2026-02"]
        );
        assert!(check(date!(2026 - 01 - 01), date!(2026 - 01 - 01)));
        assert!(!check(date!(2026 - 01 - 02), date!(2026 - 01 - 01)));
    }
}
