//! Server-rendered pages: the survey (citizens), the unit's index and KPIs (public), issuing
//! codes and printing cards (officials), and what they share.

pub mod follow_ups;
pub mod kpi_views;
pub mod league;
pub mod print;
pub mod public;
pub mod questions;
pub mod report;
pub mod staff;
pub mod survey;
pub mod targets;
pub mod unit_forms;
pub mod unit_settings;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use balai_core::format;
use balai_core::i18n::Lang;
use balai_core::AppError;
use time::Date;

use crate::domain::ikm::Hundredths;

/// A day as people write it: `9 Desember 2020` / `9 December 2020`.
pub fn day(d: Date, lang: Lang) -> String {
    format::date(d, lang)
}

/// A two-decimal number with the language's decimal mark: `88,31` / `88.31`.
pub fn number(h: Hundredths, lang: Lang) -> String {
    format::hundredths(h.0, lang)
}

/// A whole number with the language's thousands separator: `1.234` / `1,234`.
pub fn count(n: i64, lang: Lang) -> String {
    format::integer(n, lang)
}

/// A month `YYYY-MM` as people write it: `Desember 2026`.
pub fn month_label(key: &str, lang: Lang) -> String {
    match crate::domain::period::parse_month(key) {
        Some((first, _)) => format!(
            "{} {}",
            format::month_name(first.month(), lang),
            first.year()
        ),
        None => key.to_string(),
    }
}

/// A month field's choices, newest first: the 36 months up to `today`'s, and the chosen one
/// if it lies outside them; each (`YYYY-MM`, `Desember 2026`, chosen). A select rather than
/// `<input type=month>`, which some browsers show as bare `2026-12` text.
pub fn month_choices(chosen: &str, today: Date, lang: Lang) -> Vec<(String, String, bool)> {
    let mut keys = crate::domain::period::months_back(today, 36);
    keys.reverse();
    if !keys.iter().any(|k| k == chosen) && crate::domain::period::parse_month(chosen).is_some() {
        keys.push(chosen.to_string());
    }
    keys.into_iter()
        .map(|k| {
            let label = month_label(&k, lang);
            let chosen = k == chosen;
            (k, label, chosen)
        })
        .collect()
}

/// A page rendered with a status other than 200.
pub fn with_status(
    status: StatusCode,
    page: Result<Response, AppError>,
) -> Result<Response, AppError> {
    Ok((status, page?).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn dates_and_numbers_as_people_write_them() {
        assert_eq!(day(date!(2020 - 12 - 09), Lang::Id), "9 Desember 2020");
        assert_eq!(day(date!(2020 - 12 - 09), Lang::En), "9 December 2020");
        assert_eq!(number(Hundredths(8831), Lang::Id), "88,31");
        assert_eq!(number(Hundredths(8831), Lang::En), "88.31");
        assert_eq!(count(1_234_567, Lang::Id), "1.234.567");
        assert_eq!(count(999, Lang::En), "999");
        let m = month_choices("2020-01", date!(2026 - 12 - 06), Lang::Id);
        assert_eq!(m.len(), 37);
        assert_eq!(m[0], ("2026-12".into(), "Desember 2026".into(), false));
        assert_eq!(m[36], ("2020-01".into(), "Januari 2020".into(), true));
        assert!(month_choices("2026-11", date!(2026 - 12 - 06), Lang::En)[1].2);
    }
}
