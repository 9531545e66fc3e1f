//! The KPIs as shown on a unit's page: each figure's value and target as people read them,
//! and the six-month trend (a table and the IKM bars).

use balai_core::i18n::Lang;
use balai_core::kpi::KpiValue;

use super::{count, number};
use crate::domain::ikm;
use crate::queries::kpis::{KpiRow, MonthKpis};

/// One KPI as shown: its name, value, target and whether the target is met.
pub struct KpiView {
    pub key: String,
    pub label: String,
    pub value: String,
    pub target: String,
    pub met: Option<bool>,
}

/// One month's bar of the IKM trend chart.
pub struct TrendBar {
    pub x: usize,
    pub height: i64,
    pub y: i64,
    pub label: String,
    pub value: String,
}

/// A figure's value as people read it: `78,40% (49 dari 62)`, `3`, `2,50 hari kerja`, `–`.
pub fn value_text(r: &KpiRow, lang: Lang) -> String {
    let Some(level) = r.level else {
        return "–".into();
    };
    match r.figure.value {
        KpiValue::Share { part, whole } => format!(
            "{}% ({} {} {})",
            number(ikm::Hundredths(level), lang),
            count(part, lang),
            lang.tr("dari", "of"),
            count(whole, lang)
        ),
        KpiValue::Count(n) => count(n, lang),
        KpiValue::WorkingDays(_) => format!(
            "{} {}",
            number(ikm::Hundredths(level), lang),
            lang.tr("hari kerja", "working days")
        ),
    }
}

fn target_text(r: &KpiRow, lang: Lang) -> String {
    match (r.target, &r.figure.value) {
        (None, _) => String::new(),
        (Some(t), KpiValue::Share { .. }) => format!("{}%", number(ikm::Hundredths(t), lang)),
        (Some(t), _) => number(ikm::Hundredths(t), lang),
    }
}

pub fn kpi_view(r: &KpiRow, lang: Lang) -> KpiView {
    KpiView {
        key: r.figure.key.clone(),
        label: if lang == Lang::En {
            r.figure.label_en.clone()
        } else {
            r.figure.label_id.clone()
        },
        value: value_text(r, lang),
        target: target_text(r, lang),
        met: r.met,
    }
}

/// The month's satisfaction index as a KPI row: its value and grade, its target, whether met;
/// none when the month has neither answers nor a target.
pub fn ikm_view(m: &MonthKpis, lang: Lang) -> Option<KpiView> {
    if m.ikm.is_none() && m.ikm_target.is_none() {
        return None;
    }
    let en = lang == Lang::En;
    Some(KpiView {
        key: crate::domain::kpi::IKM_KEY.into(),
        label: lang
            .tr(
                "Indeks kepuasan masyarakat (IKM)",
                "Community satisfaction index (IKM)",
            )
            .into(),
        value: m.ikm.as_ref().map_or_else(
            || "–".into(),
            |i| {
                format!(
                    "{} ({} — {})",
                    number(i.ikm, lang),
                    i.grade.as_str(),
                    i.grade.label(en)
                )
            },
        ),
        target: m
            .ikm_target
            .map(|t| number(ikm::Hundredths(t), lang))
            .unwrap_or_default(),
        met: crate::domain::kpi::met(
            m.ikm.as_ref().map(|i| i.ikm.0),
            m.ikm_target,
            balai_core::kpi::Better::Higher,
        ),
    })
}

/// The trend: month labels, one row per figure (its name and a value per month), IKM bars.
pub type TrendViews = (Vec<String>, Vec<(String, Vec<String>)>, Vec<TrendBar>);

/// The trend table (one row per KPI, one column per month) and the IKM bars.
pub fn trend_views(months: &[MonthKpis], lang: Lang) -> TrendViews {
    let labels: Vec<String> = months
        .iter()
        .map(|m| {
            crate::domain::period::parse_month(&m.month)
                .map(|(d, _)| {
                    format!(
                        "{} {}",
                        balai_core::format::month_name(d.month(), lang)
                            .chars()
                            .take(3)
                            .collect::<String>(),
                        d.year() % 100
                    )
                })
                .unwrap_or_else(|| m.month.clone())
        })
        .collect();
    let mut rows: Vec<(String, Vec<String>)> = vec![(
        "IKM".into(),
        months
            .iter()
            .map(|m| m.ikm.as_ref().map_or("–".into(), |i| number(i.ikm, lang)))
            .collect(),
    )];
    if let Some(last) = months.last() {
        for k in last.kpis() {
            rows.push((
                kpi_view(k, lang).label,
                months
                    .iter()
                    .map(|m| {
                        m.rows
                            .iter()
                            .find(|r| r.figure.key == k.figure.key)
                            .and_then(|r| {
                                r.level.map(|l| match r.figure.value {
                                    KpiValue::Share { .. } => {
                                        format!("{}%", number(ikm::Hundredths(l), lang))
                                    }
                                    KpiValue::Count(n) => count(n, lang),
                                    KpiValue::WorkingDays(_) => number(ikm::Hundredths(l), lang),
                                })
                            })
                            .unwrap_or_else(|| "–".into())
                    })
                    .collect(),
            ));
        }
    }
    let bars = months
        .iter()
        .zip(&labels)
        .enumerate()
        .map(|(i, (m, label))| {
            let v = m.ikm.as_ref().map_or(0, |x| x.ikm.0);
            let height = v * 120 / 10000;
            TrendBar {
                x: i * 56 + 8,
                height,
                y: 130 - height,
                label: label.clone(),
                value: m.ikm.as_ref().map_or("–".into(), |x| number(x.ikm, lang)),
            }
        })
        .collect();
    (labels, rows, bars)
}
