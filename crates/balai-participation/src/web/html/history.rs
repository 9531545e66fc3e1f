//! The public change history of an agreement or an activity: when, which agency, and each
//! changed field from what to what, in the reader's language.

use std::collections::HashMap;

use balai_core::i18n::Lang;
use balai_core::{AppResult, Db};

use crate::domain::change::label;
use crate::store::changes;

/// One edit as a page shows it.
pub struct ChangeView {
    pub when: String,
    pub by: String,
    /// (field, before, after).
    pub fields: Vec<(String, String, String)>,
}

fn fields(
    before: &str,
    after: &str,
    lang: Lang,
    places: &HashMap<String, String>,
) -> Vec<(String, String, String)> {
    let b: serde_json::Value = serde_json::from_str(before).unwrap_or_default();
    let a: serde_json::Value = serde_json::from_str(after).unwrap_or_default();
    let Some(after) = a.as_object() else {
        return Vec::new();
    };
    // A date field reads as a date in the reader's language (`1 September 2023`).
    let dash = |s: &str| match balai_core::format::parse_iso_date(s) {
        _ if s.is_empty() => "–".to_string(),
        Some(d) if s.len() == 10 => balai_core::format::date(d, lang),
        _ => s.to_string(),
    };
    after
        .iter()
        .map(|(k, v)| {
            let (id, en) = label(k);
            // A place reads as its name (`Pataruman`), not its code.
            let shown = |s: &str| match places.get(s) {
                Some(name) if k == "region_code" => name.clone(),
                _ => dash(s),
            };
            (
                lang.tr(id, en).to_string(),
                shown(b[k].as_str().unwrap_or("")),
                shown(v.as_str().unwrap_or("")),
            )
        })
        .collect()
}

/// The edits of one record (`agreement` or `activity`), the newest first.
pub async fn of(db: &Db, kind: &str, id: i64, lang: Lang) -> AppResult<Vec<ChangeView>> {
    let rows = changes::of(db, kind, id).await?;
    let codes = rows
        .iter()
        .flat_map(|c| [&c.before_json, &c.after_json])
        .filter_map(|j| serde_json::from_str::<serde_json::Value>(j).ok())
        .filter_map(|v| v["region_code"].as_str().map(str::to_string))
        .collect();
    let places = super::views::names(db, codes).await;
    Ok(rows
        .into_iter()
        .map(|c| {
            let wib = c
                .changed_at
                .to_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC));
            ChangeView {
                when: format!(
                    "{} {:02}.{:02} WIB",
                    balai_core::format::date(wib.date(), lang),
                    wib.hour(),
                    wib.minute()
                ),
                by: c.agency_name,
                fields: fields(&c.before_json, &c.after_json, lang, &places),
            }
        })
        .collect())
}
