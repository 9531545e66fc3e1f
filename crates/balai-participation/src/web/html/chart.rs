//! The participation chart as standalone SVG (server-rendered, no script, legible at 360 px):
//! for each district, its turnout as a bar, its target as a mark on the bar, and the number of
//! outreach activities held there. The same numbers are in the page's table.

use balai_core::i18n::Lang;

use crate::domain::targets::turnout_hundredths;
use crate::queries::participation::Place;

const W: i64 = 360;
const LABEL_H: i64 = 16;
const BAR_H: i64 = 14;
const ROW_H: i64 = LABEL_H + BAR_H + 10;
const LEFT: i64 = 4;
/// The bar's 100% width; the activity count is written to its right.
const BAR_W: i64 = 250;
const TURNOUT: &str = "#0b5cad";
const TARGET: &str = "#b91c1c";
const TRACK: &str = "#e5e7eb";
const INK: &str = "#111827";

/// Escape text for SVG.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// x of a percentage in hundredths (clamped to 0–100%).
fn x_of(h: i64) -> i64 {
    LEFT + BAR_W * h.clamp(0, 10_000) / 10_000
}

/// The chart, or an empty string without districts.
pub fn svg(places: &[Place], lang: Lang) -> String {
    if places.is_empty() {
        return String::new();
    }
    let h = ROW_H * i64::try_from(places.len()).unwrap_or(0) + 6;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {W} {h}\" role=\"img\" aria-label=\"{}\">",
        esc(lang.tr(
            "Partisipasi per kecamatan: tingkat partisipasi, target dan jumlah kegiatan sosialisasi",
            "Turnout per district: turnout, target and number of outreach activities"
        ))
    );
    for (i, p) in places.iter().enumerate() {
        let y = ROW_H * i64::try_from(i).unwrap_or(0);
        let bar_y = y + LABEL_H;
        s.push_str(&format!(
            "<text x=\"{LEFT}\" y=\"{}\" font-size=\"12\" fill=\"{INK}\">{}</text>",
            y + 12,
            esc(&p.name)
        ));
        s.push_str(&format!(
            "<rect x=\"{LEFT}\" y=\"{bar_y}\" width=\"{BAR_W}\" height=\"{BAR_H}\" fill=\"{TRACK}\"/>"
        ));
        let turnout = p
            .turnout
            .and_then(|t| turnout_hundredths(t.pengguna, t.dpt));
        if let Some(t) = turnout {
            s.push_str(&format!(
                "<rect x=\"{LEFT}\" y=\"{bar_y}\" width=\"{}\" height=\"{BAR_H}\" fill=\"{TURNOUT}\"><title>{}</title></rect>",
                x_of(t) - LEFT,
                super::percent(Some(t), lang)
            ));
        }
        if let Some(target) = p.target {
            let x = x_of(target);
            s.push_str(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"3\" height=\"{}\" fill=\"{TARGET}\"><title>{}</title></rect>",
                x - 1,
                bar_y - 3,
                BAR_H + 6,
                super::percent(Some(target), lang)
            ));
        }
        s.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"{INK}\">{} {}</text>",
            LEFT + BAR_W + 8,
            bar_y + 11,
            p.outreach.activities,
            lang.tr("keg.", "act.")
        ));
    }
    s.push_str("</svg>");
    s
}

/// The legend's swatches: (svg, text).
pub fn legend(lang: Lang) -> Vec<(String, &'static str)> {
    let swatch = |c: &str| {
        format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"14\" height=\"14\" viewBox=\"0 0 14 14\" aria-hidden=\"true\"><rect width=\"14\" height=\"14\" fill=\"{c}\"/></svg>")
    };
    vec![
        (swatch(TURNOUT), lang.tr("Tingkat partisipasi", "Turnout")),
        (swatch(TARGET), lang.tr("Target", "Target")),
    ]
}
