//! Dashboard figures, computed from plain rows: counts, medians, share within deadline, the
//! monthly trend and its server-rendered SVG (the numbers are also shown in a table).

use std::collections::BTreeMap;

use balai_core::calendar::Calendar;
use serde::Serialize;
use time::{Date, OffsetDateTime};

/// One report as the dashboard sees it (no personal data).
#[derive(Clone, Debug)]
pub struct StatRow {
    pub status: String,
    pub category: String,
    pub channel: String,
    pub submitted_at: OffsetDateTime,
    pub dispatched_at: Option<OffsetDateTime>,
    pub answered_at: Option<OffsetDateTime>,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Summary {
    pub total: u64,
    pub by_status: Vec<(String, u64)>,
    pub by_category: Vec<(String, u64)>,
    pub by_channel: Vec<(String, u64)>,
    /// Median hours from submission to dispatch, over dispatched reports.
    pub median_hours_to_dispatch: Option<f64>,
    /// Median hours from submission to the first answer.
    pub median_hours_to_answer: Option<f64>,
    /// Share (0–1) of dispatched reports dispatched within the dispatch deadline.
    pub dispatched_within_deadline: Option<f64>,
    /// Share (0–1) of answered reports answered within the follow-up deadline after dispatch.
    pub answered_within_deadline: Option<f64>,
    /// (YYYY-MM, reports submitted) for the last months, oldest first.
    pub monthly: Vec<(String, u64)>,
}

fn counts<'a>(it: impl Iterator<Item = &'a str>) -> Vec<(String, u64)> {
    let mut m: BTreeMap<&str, u64> = BTreeMap::new();
    for k in it {
        *m.entry(k).or_default() += 1;
    }
    let mut v: Vec<(String, u64)> = m.into_iter().map(|(k, n)| (k.to_string(), n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

/// The median of `xs` (mean of the middle two for an even count).
pub fn median(mut xs: Vec<f64>) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(|a, b| a.total_cmp(b));
    let n = xs.len();
    Some(if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    })
}

fn hours(from: OffsetDateTime, to: OffsetDateTime) -> f64 {
    (to - from).as_seconds_f64() / 3600.0
}

fn wib(t: OffsetDateTime) -> Date {
    t.to_offset(time::macros::offset!(+7)).date()
}

fn share(hits: usize, of: usize) -> Option<f64> {
    (of > 0).then(|| hits as f64 / of as f64)
}

/// Summarise rows; deadlines in working days (`dispatch_days`, `follow_up_days`) on `cal`.
pub fn summarise(
    rows: &[StatRow],
    cal: &Calendar,
    dispatch_days: u32,
    follow_up_days: u32,
    today: Date,
    months: u8,
) -> Summary {
    let dispatched: Vec<_> = rows
        .iter()
        .filter_map(|r| r.dispatched_at.map(|d| (r, d)))
        .collect();
    let answered: Vec<_> = rows
        .iter()
        .filter_map(|r| r.answered_at.map(|a| (r, a)))
        .collect();
    let on_time_dispatch = dispatched
        .iter()
        .filter(|(r, d)| {
            cal.working_days_between(wib(r.submitted_at), wib(*d)) <= i64::from(dispatch_days)
        })
        .count();
    let on_time_answer = answered
        .iter()
        .filter(|(r, a)| {
            let from = r.dispatched_at.unwrap_or(r.submitted_at);
            cal.working_days_between(wib(from), wib(*a)) <= i64::from(follow_up_days)
        })
        .count();
    // The last `months` calendar months, including the current one.
    let mut keys = Vec::new();
    let (mut y, mut m) = (today.year(), u8::from(today.month()));
    for _ in 0..months.max(1) {
        keys.push(format!("{y:04}-{m:02}"));
        if m == 1 {
            y -= 1;
            m = 12;
        } else {
            m -= 1;
        }
    }
    keys.reverse();
    let mut per: BTreeMap<String, u64> = keys.iter().map(|k| (k.clone(), 0)).collect();
    for r in rows {
        let d = wib(r.submitted_at);
        let k = format!("{:04}-{:02}", d.year(), u8::from(d.month()));
        if let Some(n) = per.get_mut(&k) {
            *n += 1;
        }
    }
    Summary {
        total: rows.len() as u64,
        by_status: counts(rows.iter().map(|r| r.status.as_str())),
        by_category: counts(rows.iter().map(|r| r.category.as_str())),
        by_channel: counts(rows.iter().map(|r| r.channel.as_str())),
        median_hours_to_dispatch: median(
            dispatched
                .iter()
                .map(|(r, d)| hours(r.submitted_at, *d))
                .collect(),
        ),
        median_hours_to_answer: median(
            answered
                .iter()
                .map(|(r, a)| hours(r.submitted_at, *a))
                .collect(),
        ),
        dispatched_within_deadline: share(on_time_dispatch, dispatched.len()),
        answered_within_deadline: share(on_time_answer, answered.len()),
        monthly: per.into_iter().collect(),
    }
}

/// A bar chart of the monthly trend as SVG (no script, no inline style; colours from
/// attributes). The same numbers are in the page's table.
pub fn monthly_svg(monthly: &[(String, u64)]) -> String {
    let (w, h, pad) = (600u32, 200u32, 24u32);
    let max = monthly.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let n = monthly.len().max(1) as u32;
    let slot = (w - 2 * pad) / n;
    let bar = slot.saturating_sub(6).max(2);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"100%\" role=\"img\" aria-label=\"Laporan per bulan\">"
    );
    for (i, (month, count)) in monthly.iter().enumerate() {
        let bh = (u64::from(h - 2 * pad) * count / max) as u32;
        let x = pad + i as u32 * slot + 3;
        let y = h - pad - bh;
        out.push_str(&format!(
            "<rect x=\"{x}\" y=\"{y}\" width=\"{bar}\" height=\"{bh}\" fill=\"#0b5cad\"><title>{month}: {count}</title></rect>"
        ));
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">{}</text>",
            x + bar / 2,
            h - 8,
            month.get(5..).unwrap_or(month)
        ));
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">{count}</text>",
            x + bar / 2,
            y.saturating_sub(3).max(10)
        ));
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use time::macros::{date, datetime};

    fn row(
        sub: OffsetDateTime,
        disp: Option<OffsetDateTime>,
        ans: Option<OffsetDateTime>,
    ) -> StatRow {
        StatRow {
            status: if ans.is_some() {
                "answered"
            } else {
                "submitted"
            }
            .into(),
            category: "infrastruktur".into(),
            channel: "web".into(),
            submitted_at: sub,
            dispatched_at: disp,
            answered_at: ans,
        }
    }

    #[test]
    fn medians() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
    }

    #[test]
    fn summary_counts_medians_shares_and_months() {
        let cal = Calendar::default();
        // Monday 6 Jan 2025, 02:00 UTC (09:00 WIB).
        let mon = datetime!(2025-01-06 02:00 UTC);
        let rows = vec![
            // Dispatched after 24 h (1 working day), answered after 48 h.
            row(
                mon,
                Some(mon + time::Duration::hours(24)),
                Some(mon + time::Duration::hours(48)),
            ),
            // Dispatched after 8 days (6 working days: late); answered 1 day later.
            row(
                mon,
                Some(mon + time::Duration::days(8)),
                Some(mon + time::Duration::days(9)),
            ),
            row(datetime!(2024-12-20 02:00 UTC), None, None),
        ];
        let s = summarise(&rows, &cal, 3, 5, date!(2025 - 01 - 20), 3);
        assert_eq!(s.total, 3);
        assert_eq!(
            s.by_status,
            vec![("answered".into(), 2), ("submitted".into(), 1)]
        );
        assert_eq!(s.median_hours_to_dispatch, Some((24.0 + 192.0) / 2.0));
        assert_eq!(s.dispatched_within_deadline, Some(0.5));
        assert_eq!(s.answered_within_deadline, Some(1.0));
        assert_eq!(
            s.monthly,
            vec![
                ("2024-11".into(), 0),
                ("2024-12".into(), 1),
                ("2025-01".into(), 2)
            ]
        );
        let svg = monthly_svg(&s.monthly);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(svg.contains("<title>2025-01: 2</title>"));
    }
}
