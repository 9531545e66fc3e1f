//! The timeline of a region's register as standalone SVG (server-rendered, no script, legible
//! at 360 px): one lane per election with its two windows and its voting day, and one lane of
//! appointments coloured by their flags. The same facts are in the page's lists and tables.

use balai_core::i18n::Lang;
use balai_core::schedule::StageKind;
use time::{Date, Duration, Month};

use crate::domain::window::Rule;
use crate::queries::register::Register;

const W: f64 = 640.0;
const PAD: f64 = 10.0;
const AXIS_H: f64 = 34.0;
const LANE_H: f64 = 40.0;

/// Colours (presentation attributes; the CSP allows no inline style).
pub const RED: &str = "#b91c1c";
pub const AMBER: &str = "#d97706";
pub const GREY: &str = "#6b7280";
const BAND_71: &str = "#fecaca";
const BAND_162: &str = "#fed7aa";
const VOTE: &str = "#0b5cad";

/// The first and last day the timeline shows, padded by a month; `None` with nothing to show.
fn span(reg: &Register) -> Option<(Date, Date)> {
    let mut days: Vec<Date> = reg.entries.iter().map(|e| e.row.decree_date).collect();
    for e in &reg.elections {
        for w in &e.windows {
            days.push(w.from);
            days.extend(w.to);
        }
        days.extend(e.stages.iter().map(|s| s.end_day));
    }
    let first = *days.iter().min()?;
    let last = *days.iter().max()?;
    Some((first - Duration::days(31), last + Duration::days(31)))
}

/// The timeline, or an empty string when there is nothing to draw.
pub fn svg(reg: &Register, lang: Lang) -> String {
    let Some((start, end)) = span(reg) else {
        return String::new();
    };
    let total = f64::from(
        i32::try_from((end - start).whole_days())
            .unwrap_or(1)
            .max(1),
    );
    let x = |d: Date| {
        let off = f64::from(i32::try_from((d - start).whole_days()).unwrap_or(0));
        PAD + (W - 2.0 * PAD) * off.clamp(0.0, total) / total
    };
    let lanes = reg.elections.len() + 1;
    let h = AXIS_H + LANE_H * lanes as f64 + 6.0;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {W} {h}\" role=\"img\" aria-label=\"{}\">",
        lang.tr(
            "Garis waktu masa larangan dan pengangkatan",
            "Timeline of the restricted periods and the appointments"
        )
    );
    // Years on the axis, with a tick at each 1 January.
    // A label needs about 60 units; the first year is labelled only if its part is that wide.
    let mut year = start.year();
    while year <= end.year() {
        let jan = Date::from_calendar_date(year, Month::January, 1).unwrap_or(start);
        let next = Date::from_calendar_date(year + 1, Month::January, 1).unwrap_or(end);
        let xx = x(if jan < start { start } else { jan });
        if jan >= start {
            s.push_str(&format!(
                "<line x1=\"{xx:.1}\" y1=\"0\" x2=\"{xx:.1}\" y2=\"{h}\" stroke=\"#d0d7de\"/>"
            ));
        }
        if x(if next > end { end } else { next }) - xx > 60.0 {
            s.push_str(&format!(
                "<text x=\"{:.1}\" y=\"24\" font-size=\"22\" fill=\"#1b1f23\">{year}</text>",
                xx + 4.0
            ));
        }
        year += 1;
    }
    for (i, e) in reg.elections.iter().enumerate() {
        let top = AXIS_H + LANE_H * i as f64;
        for w in &e.windows {
            let (x1, x2) = (x(w.from), x(w.to.unwrap_or(end)));
            let fill = if w.rule == Rule::Pasal71Ayat2 {
                BAND_71
            } else {
                BAND_162
            };
            s.push_str(&format!(
                "<rect x=\"{x1:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"26\" fill=\"{fill}\" stroke=\"{RED}\" stroke-width=\"1\"/>",
                top + 4.0,
                (x2 - x1).max(2.0)
            ));
        }
        if let Some(v) = e.stage_start(StageKind::PemungutanSuara) {
            let xv = x(v);
            s.push_str(&format!(
                "<line x1=\"{xv:.1}\" y1=\"{:.1}\" x2=\"{xv:.1}\" y2=\"{:.1}\" stroke=\"{VOTE}\" stroke-width=\"4\"/>",
                top + 1.0,
                top + 33.0
            ));
        }
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"20\" fill=\"#1b1f23\">{}</text>",
            PAD + 2.0,
            top + 24.0,
            i + 1
        ));
    }
    let top = AXIS_H + LANE_H * reg.elections.len() as f64;
    for e in &reg.entries {
        let colour = if e.flags.is_empty() {
            GREY
        } else if e.unapproved() {
            RED
        } else {
            AMBER
        };
        s.push_str(&format!(
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"8\" fill=\"{colour}\" fill-opacity=\"0.8\"/>",
            x(e.row.decree_date),
            top + 18.0
        ));
    }
    s.push_str("</svg>");
    s
}

/// A small swatch of a colour for the legend.
pub fn swatch(colour: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"14\" height=\"14\" viewBox=\"0 0 14 14\" aria-hidden=\"true\"><circle cx=\"7\" cy=\"7\" r=\"6\" fill=\"{colour}\"/></svg>"
    )
}

/// A swatch of a window's band.
pub fn band(rule: Rule) -> String {
    let fill = if rule == Rule::Pasal71Ayat2 {
        BAND_71
    } else {
        BAND_162
    };
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"22\" height=\"14\" viewBox=\"0 0 22 14\" aria-hidden=\"true\"><rect x=\"1\" y=\"1\" width=\"20\" height=\"12\" fill=\"{fill}\" stroke=\"{RED}\"/></svg>"
    )
}

/// A swatch of the voting-day mark.
pub fn vote_mark() -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"14\" height=\"14\" viewBox=\"0 0 14 14\" aria-hidden=\"true\"><rect x=\"5\" y=\"0\" width=\"4\" height=\"14\" fill=\"{VOTE}\"/></svg>"
    )
}
