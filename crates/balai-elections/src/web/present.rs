//! Small presentation helpers for the templates: Indonesian number format,
//! SVG bar geometry, drill-down rows and the schedule history with its changes marked.

use balai_core::i18n::Lang;

use crate::domain::turnout::Turnout;
use crate::queries::ChildLine;
use crate::store::ScheduleVersion;

/// Number formatting for a page's language (its text comes from `page.tr`).
#[derive(Clone, Copy, Debug)]
pub struct L(pub Lang);

impl L {
    /// `1.234.567` (Indonesian) or `1,234,567` (English).
    pub fn n(&self, v: impl AsI64) -> String {
        let v = &v.as_i64();
        let digits: Vec<char> = v.unsigned_abs().to_string().chars().rev().collect();
        let sep = if self.0 == Lang::Id { '.' } else { ',' };
        let mut out: String = digits
            .chunks(3)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join(&sep.to_string())
            .chars()
            .rev()
            .collect();
        if *v < 0 {
            out.insert(0, '-');
        }
        out
    }
}

/// Numbers the templates format (owned or borrowed, as askama passes them).
pub trait AsI64 {
    fn as_i64(&self) -> i64;
}

impl AsI64 for i64 {
    fn as_i64(&self) -> i64 {
        *self
    }
}

impl AsI64 for u32 {
    fn as_i64(&self) -> i64 {
        i64::from(*self)
    }
}

impl<T: AsI64 + ?Sized> AsI64 for &T {
    fn as_i64(&self) -> i64 {
        (**self).as_i64()
    }
}

/// One bar of a horizontal SVG bar chart (viewBox 0 0 600 H).
#[derive(Clone, Debug)]
pub struct Bar {
    pub label: String,
    pub value: i64,
    pub y: usize,
    pub text_y: usize,
    pub width: i64,
    pub value_x: i64,
}

const BAR_X: i64 = 220;
const BAR_MAX: i64 = 300;

pub fn bars(values: &[(String, i64)]) -> Vec<Bar> {
    let max = values.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    values
        .iter()
        .enumerate()
        .map(|(i, (label, v))| {
            let width = (*v).max(0) * BAR_MAX / max;
            Bar {
                label: label.chars().take(32).collect(),
                value: *v,
                y: i * 32 + 4,
                text_y: i * 32 + 22,
                width,
                value_x: BAR_X + width + 6,
            }
        })
        .collect()
}

/// A drill-down table row with numbers already formatted.
#[derive(Clone, Debug)]
pub struct ChildRow {
    pub code: String,
    pub name: String,
    pub href: String,
    pub tps: String,
    pub verified: String,
    pub flagged: i64,
    pub disputed: i64,
    pub dpt: String,
    pub pengguna: String,
    pub turnout: String,
    pub votes: Vec<String>,
}

pub fn child_rows(kids: &[ChildLine], ballots: &[(i64, String)], l: L) -> Vec<ChildRow> {
    kids.iter()
        .map(|k| ChildRow {
            code: k.code.clone(),
            name: k.name.clone(),
            href: k.href.clone(),
            tps: format!("{}/{}", l.n(k.agg.tps_entered), l.n(k.agg.tps_total)),
            verified: l.n(k.agg.tps_verified),
            flagged: k.agg.tps_flagged,
            disputed: k.agg.tps_disputed,
            dpt: l.n(k.agg.dpt),
            pengguna: l.n(k.agg.pengguna),
            turnout: Turnout::new(k.agg.pengguna.max(0) as u64, k.agg.dpt.max(0) as u64)
                .display(l.0),
            votes: ballots
                .iter()
                .map(|(b, _)| l.n(k.agg.votes.get(b).copied().unwrap_or(0)))
                .collect(),
        })
        .collect()
}

/// A schedule stage with whether it changed against the previous version.
#[derive(Clone, Debug)]
pub struct HistoryStage {
    pub name: String,
    pub start: String,
    pub end: String,
    pub changed: bool,
}

#[derive(Clone, Debug)]
pub struct HistoryVersion {
    pub v: ScheduleVersion,
    pub stages: Vec<HistoryStage>,
}

/// Versions newest first, each stage marked when its dates differ from the version before.
pub fn history_rows(versions: &[ScheduleVersion]) -> Vec<HistoryVersion> {
    versions
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let before = versions.get(i + 1);
            HistoryVersion {
                v: v.clone(),
                stages: v
                    .stages
                    .iter()
                    .map(|s| HistoryStage {
                        name: s.name.clone(),
                        start: s.start.clone(),
                        end: s.end.clone(),
                        changed: before.is_some_and(|b| {
                            !b.stages
                                .iter()
                                .any(|o| o.name == s.name && o.start == s.start && o.end == s.end)
                        }),
                    })
                    .collect(),
            }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_bars() {
        let l = L(Lang::Id);
        assert_eq!(l.n(1_234_567i64), "1.234.567");
        assert_eq!(l.n(0i64), "0");
        assert_eq!(l.n(-1000i64), "-1.000");
        assert_eq!(L(Lang::En).n(1000u32), "1,000");
        let b = bars(&[("a".into(), 50), ("b".into(), 100), ("c".into(), 0)]);
        assert_eq!(b[1].width, BAR_MAX);
        assert_eq!(b[0].width, BAR_MAX / 2);
        assert_eq!(b[2].width, 0);
    }
}
