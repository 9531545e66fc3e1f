//! Small presentation helpers for the templates: Indonesian number format,
//! SVG bar geometry, drill-down rows and the schedule history with its changes marked.

use balai_core::i18n::Lang;

use crate::domain::election::Stage;
use crate::domain::turnout::Turnout;
use crate::queries::ChildLine;
use crate::store::ScheduleVersion;
use balai_core::format::{date_range, date_text, parse_iso_date};

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

/// One line of text in the chart.
#[derive(Clone, Debug)]
pub struct ChartLine {
    pub y: usize,
    pub text: String,
}

/// One candidate pair in a chart and its table: the full names (never cut: long names wrap
/// onto more lines above the bar), the votes and the share of the pairs' votes.
#[derive(Clone, Debug)]
pub struct Bar {
    pub ballot: i64,
    pub head: String,
    pub deputy: String,
    pub value: i64,
    /// `45,67%` / `45.67%` (two decimals, from the exact fraction).
    pub share: String,
    /// The name lines above the bar.
    pub lines: Vec<ChartLine>,
    pub y: usize,
    pub text_y: usize,
    pub width: i64,
    pub value_x: i64,
}

/// The chart's drawing width: about the width of a 360-px phone's content, so the SVG is drawn
/// near 1:1 there and its 14-px text stays at least 12 px on screen.
pub const CHART_WIDTH: usize = 320;
/// Room for the longest bar, leaving the rest for `1.234.567 (100,00%)` after it.
const BAR_MAX: i64 = 160;
const LINE: usize = 18;
const BAR_H: usize = 20;
const GAP: usize = 14;
/// Characters of 14-px text that fit the chart's width (a conservative average).
const LINE_CHARS: usize = 36;

/// Split `text` at spaces into lines of at most `max` characters (a longer word keeps its own
/// line: nothing is cut).
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(l) if l.chars().count() + 1 + word.chars().count() <= max => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// A candidate pair with its votes, as a chart takes it.
pub struct PairVotes {
    pub ballot: i64,
    pub head: String,
    pub deputy: String,
    pub votes: i64,
}

/// The chart's bars and its height: each pair's names on their own lines, then its bar.
pub fn bars(values: &[PairVotes], lang: Lang) -> (Vec<Bar>, usize) {
    let max = values.iter().map(|p| p.votes).max().unwrap_or(0).max(1);
    let whole: u64 = values.iter().map(|p| p.votes.max(0) as u64).sum();
    let mut y = 4;
    let mut out = Vec::with_capacity(values.len());
    for p in values {
        let label = format!("{}. {} – {}", p.ballot, p.head, p.deputy);
        let lines: Vec<ChartLine> = wrap(&label, LINE_CHARS)
            .into_iter()
            .map(|text| {
                y += LINE;
                ChartLine { y: y - 4, text }
            })
            .collect();
        y += 4;
        let width = p.votes.max(0) * BAR_MAX / max;
        out.push(Bar {
            ballot: p.ballot,
            head: p.head.clone(),
            deputy: p.deputy.clone(),
            value: p.votes,
            share: balai_core::format::percent(p.votes.max(0) as u64, whole, lang),
            lines,
            y,
            text_y: y + BAR_H - 5,
            width,
            value_x: width + 6,
        });
        y += BAR_H + GAP;
    }
    (out, y)
}

/// A drill-down table row with numbers already formatted.
#[derive(Clone, Debug)]
pub struct ChildRow {
    /// The region code, or `TPS 001`.
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

/// A schedule stage as the history shows it: dates as people write them and, when it changed
/// against the version before, from which dates to which.
#[derive(Clone, Debug)]
pub struct HistoryStage {
    pub name: String,
    /// The kind's name, when the stage has one.
    pub kind: Option<&'static str>,
    pub start: String,
    pub end: String,
    pub changed: bool,
    /// `23 September 2020 → 9 Desember 2020`, or "new stage".
    pub change: Option<String>,
}

#[derive(Clone, Debug)]
pub struct HistoryVersion {
    pub v: ScheduleVersion,
    pub stages: Vec<HistoryStage>,
    /// Stages of the version before that this one no longer has.
    pub removed: Vec<String>,
}

fn same_stage(a: &Stage, b: &Stage) -> bool {
    match (a.kind, b.kind) {
        (Some(x), Some(y)) => x == y,
        _ => a.name.trim().eq_ignore_ascii_case(b.name.trim()),
    }
}

fn span(s: &Stage, lang: Lang) -> String {
    let (Some(a), Some(b)) = (parse_iso_date(&s.start), parse_iso_date(&s.end)) else {
        return format!("{} – {}", s.start, s.end);
    };
    date_range(a, b, lang)
}

/// Versions newest first, each stage marked when its dates differ from the version before,
/// with the old and new dates.
pub fn history_rows(versions: &[ScheduleVersion], lang: Lang) -> Vec<HistoryVersion> {
    versions
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let before = versions.get(i + 1);
            let stages = v
                .stages
                .iter()
                .map(|s| {
                    let old = before.and_then(|b| b.stages.iter().find(|o| same_stage(o, s)));
                    let change = match (before, old) {
                        (None, _) => None,
                        (Some(_), None) => Some(lang.tr("tahapan baru", "new stage").to_string()),
                        (Some(_), Some(o)) if o.start != s.start || o.end != s.end => {
                            Some(format!("{} → {}", span(o, lang), span(s, lang)))
                        }
                        (Some(_), Some(_)) => None,
                    };
                    HistoryStage {
                        name: s.name.clone(),
                        kind: s.kind.map(|k| k.label(lang)),
                        start: date_text(&s.start, lang),
                        end: date_text(&s.end, lang),
                        changed: change.is_some(),
                        change,
                    }
                })
                .collect();
            let removed = before
                .map(|b| {
                    b.stages
                        .iter()
                        .filter(|o| !v.stages.iter().any(|s| same_stage(o, s)))
                        .map(|o| o.name.clone())
                        .collect()
                })
                .unwrap_or_default();
            HistoryVersion {
                v: v.clone(),
                stages,
                removed,
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
        let pair = |ballot, votes| PairVotes {
            ballot,
            head: "Hj. Sri Wahyuni, S.E.".into(),
            deputy: "Dedi Kurniawan Saputra, S.H., M.H.".into(),
            votes,
        };
        let (b, height) = bars(&[pair(1, 50), pair(2, 100), pair(3, 0)], Lang::Id);
        assert_eq!(b[1].width, BAR_MAX);
        assert_eq!(b[0].width, BAR_MAX / 2);
        assert_eq!(b[2].width, 0);
        assert_eq!(b[0].share, "33,33%");
        assert_eq!(b[1].share, "66,67%");
        assert_eq!(b[2].share, "0,00%");
        // Every name is whole, over two lines, above its own bar, and nothing overlaps.
        let text: Vec<String> = b[0].lines.iter().map(|l| l.text.clone()).collect();
        assert_eq!(
            text.join(" "),
            "1. Hj. Sri Wahyuni, S.E. – Dedi Kurniawan Saputra, S.H., M.H."
        );
        assert!(b[0].lines.len() >= 2);
        for w in b.windows(2) {
            assert!(w[0].y + 20 < w[1].lines[0].y - 14);
        }
        for x in &b {
            assert!(x.lines.last().unwrap().y < x.y);
        }
        assert!(height > b[2].y + 20);
        assert_eq!(wrap("a bb ccc", 4), ["a bb", "ccc"]);
        assert_eq!(wrap("abcdefgh x", 4), ["abcdefgh", "x"]);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod history_tests {
    use super::*;
    use crate::domain::election::StageKind;

    fn version(n: i64, vote: &str) -> ScheduleVersion {
        ScheduleVersion {
            version: n,
            reason: "r".into(),
            legal_basis: "b".into(),
            author: "u".into(),
            author_name: "U".into(),
            created_at: "2020-06-01T00:00:00Z".into(),
            stages: vec![
                Stage {
                    kind: Some(StageKind::Kampanye),
                    name: "Kampanye".into(),
                    start: "2020-09-26".into(),
                    end: "2020-12-05".into(),
                },
                Stage {
                    kind: Some(StageKind::PemungutanSuara),
                    name: "Pemungutan suara".into(),
                    start: vote.into(),
                    end: vote.into(),
                },
            ],
        }
    }

    #[test]
    fn history_says_from_which_date_to_which() {
        let h = history_rows(
            &[version(2, "2020-12-09"), version(1, "2020-09-23")],
            Lang::Id,
        );
        assert_eq!(h[0].stages[0].change, None);
        assert_eq!(
            h[0].stages[1].change.as_deref(),
            Some("23 September 2020 → 9 Desember 2020")
        );
        assert_eq!(h[0].stages[1].start, "9 Desember 2020");
        assert_eq!(h[0].stages[1].kind, Some("Pemungutan suara"));
        assert!(h[1].stages.iter().all(|s| s.change.is_none()));
    }
}
