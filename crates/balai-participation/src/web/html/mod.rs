//! Server-rendered pages: the public "Kolaborasi" page of a region (agreements in force,
//! activities as a list and a calendar, follow-ups, published minutes, forums), an agreement's
//! and an activity's page, the participation page of an election (target against turnout, the
//! outreach per district beside its turnout, an SVG chart and the same numbers in a table),
//! the exports (iCalendar, CSV) and the officials' pages.

pub mod attendance_form;
pub mod chart;
pub mod documents;
pub mod exports;
pub mod history;
pub mod places;
pub mod public;
pub mod staff;
pub mod staff_activity;
pub mod staff_agreement;
pub mod turnout;
pub mod views;

use balai_core::i18n::Lang;
use time::Date;

/// A refused form's message to show on the page again, or the refusal itself when it is not
/// about what was typed (not allowed, not found, a failure).
pub fn typed_refusal(
    e: crate::errors::ParticipationError,
    lang: Lang,
) -> Result<String, balai_core::AppError> {
    use crate::errors::ParticipationError as E;
    match e {
        E::Forbidden | E::Core(_) | E::NotFound => Err(e.into()),
        e => Ok(e.message(lang)),
    }
}

/// A date as people write it: `22 Maret 2024` / `22 March 2024`.
pub fn day(d: Date, lang: Lang) -> String {
    balai_core::format::date(d, lang)
}

/// A target group's name in the page's language (the code itself if unknown).
pub fn group_label(code: &str, lang: Lang) -> String {
    crate::domain::target_group::TargetGroup::parse(code).map_or_else(
        || code.to_string(),
        |g| lang.tr(g.label().0, g.label().1).to_string(),
    )
}

/// Hundredths of a percent as `77,50%` (Indonesian) or `77.50%`; a dash for none.
pub fn percent(h: Option<i64>, lang: Lang) -> String {
    h.map_or_else(
        || "–".into(),
        |h| format!("{}%", balai_core::format::hundredths(h, lang)),
    )
}

/// Percentage points with a sign: `+1,25 pp` / `−3,33 pp`; a dash for none.
pub fn points(h: Option<i64>, lang: Lang) -> String {
    h.map_or_else(
        || "–".into(),
        |h| {
            let sign = if h < 0 { "−" } else { "+" };
            format!(
                "{sign}{} {}",
                balai_core::format::hundredths(h.abs(), lang),
                lang.tr("poin", "pp")
            )
        },
    )
}
