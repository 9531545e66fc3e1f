//! The village finder inside a form (`templates/finder.html`): without JavaScript a search
//! step that submits the whole form back (so nothing typed is lost) and lists the matching
//! villages as choices; with JavaScript (`finder.js`) the same choices appear while typing.

use super::finder::{self, Query};
use super::Level;

/// How many villages a search step lists.
pub const SHOWN: usize = 10;

/// What the form carried for the finder.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct PickerInput {
    /// The words typed into the search box.
    #[serde(default)]
    pub desa: String,
    /// The regency the search is narrowed to (kept in a hidden field).
    #[serde(default)]
    pub kab: String,
    /// A narrowing button just pressed (`kab_pick=32.79`, or empty for "all").
    pub kab_pick: Option<String>,
    /// The search button (`find=1`) or the change button (`find=change`) was pressed.
    pub find: Option<String>,
}

impl PickerInput {
    /// Read from a form's text fields.
    pub fn from_fields(get: impl Fn(&str) -> Option<String>) -> PickerInput {
        PickerInput {
            desa: get("desa").unwrap_or_default(),
            kab: get("kab").unwrap_or_default(),
            kab_pick: get("kab_pick"),
            find: get("find"),
        }
    }

    /// Is this submission a search step (not the form's own submit)?
    pub fn is_search_step(&self) -> bool {
        self.find.is_some() || self.kab_pick.is_some()
    }
}

/// What the partial shows.
#[derive(Clone, Debug, Default)]
pub struct Picker {
    /// The form field that carries the chosen village's code (`kelurahan`, `village_code`).
    pub field: &'static str,
    pub desa: String,
    /// The regency the search is narrowed to: `(code, name)`.
    pub kab: Option<(String, String)>,
    /// The chosen village: `(code, "Mekarsari — Kec. Banjar, Kota Banjar, Jawa Barat")`.
    pub chosen: Option<(String, String)>,
    /// A search was made (so an empty list means "nothing found").
    pub searched: bool,
    pub hits: Vec<(String, String)>,
    /// How many more matched than are listed.
    pub more: i64,
    /// Regencies to narrow to: `(code, name, matches)`.
    pub regencies: Vec<(String, String, i64)>,
}

impl Picker {
    /// The finder for a form whose chosen village travels in `field` with the value `chosen`.
    pub fn new(field: &'static str, chosen: &str, input: &PickerInput) -> Picker {
        let desa: String = input.desa.trim().chars().take(80).collect();
        let kab_code = input.kab_pick.as_deref().unwrap_or(&input.kab).trim();
        let kab = finder::get(kab_code)
            .filter(|h| h.level == Level::Regency)
            .map(|h| (h.code.to_string(), h.label()));
        let changing = input.find.as_deref() == Some("change");
        let chosen = finder::get(chosen.trim())
            .filter(|h| h.level == Level::Village && !changing)
            .map(|h| (h.code.to_string(), h.label()));
        let mut p = Picker {
            field,
            desa,
            kab,
            chosen,
            ..Picker::default()
        };
        if p.chosen.is_none() && p.desa.chars().count() >= 2 {
            let found = finder::search(&Query {
                text: &p.desa,
                level: Some(Level::Village),
                within: p.kab.as_ref().map(|k| k.0.as_str()),
                limit: SHOWN,
            });
            p.searched = true;
            p.more = i64::try_from(found.total.saturating_sub(found.hits.len())).unwrap_or(0);
            p.hits = found
                .hits
                .iter()
                .map(|h| (h.code.to_string(), h.label()))
                .collect();
            if p.kab.is_none() && found.regencies.len() > 1 {
                p.regencies = found
                    .regencies
                    .into_iter()
                    .take(6)
                    .map(|(c, n, k)| (c.to_string(), n, i64::try_from(k).unwrap_or(0)))
                    .collect();
            }
        }
        p
    }

    /// The chosen village's code, if any.
    pub fn chosen_code(&self) -> Option<&str> {
        self.chosen.as_ref().map(|c| c.0.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_step_then_choice() {
        let input = PickerInput {
            desa: "mekarsari".into(),
            find: Some("1".into()),
            ..PickerInput::default()
        };
        assert!(input.is_search_step());
        let p = Picker::new("kelurahan", "", &input);
        assert!(p.searched && p.chosen.is_none());
        assert_eq!(p.hits.len(), SHOWN);
        assert!(p.more > 0 && p.regencies.len() > 1);
        let narrowed = Picker::new(
            "kelurahan",
            "",
            &PickerInput {
                kab_pick: Some("32.79".into()),
                ..input.clone()
            },
        );
        assert_eq!(narrowed.hits.len(), 1);
        assert_eq!(
            narrowed.hits[0].1,
            "Mekarsari — Kec. Banjar, Kota Banjar, Jawa Barat"
        );
        let chosen = Picker::new("kelurahan", "32.79.01.1002", &PickerInput::default());
        assert_eq!(chosen.chosen_code(), Some("32.79.01.1002"));
        let change = Picker::new(
            "kelurahan",
            "32.79.01.1002",
            &PickerInput {
                find: Some("change".into()),
                ..PickerInput::default()
            },
        );
        assert!(change.chosen.is_none());
    }
}
