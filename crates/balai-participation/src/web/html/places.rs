//! The places an official chooses from for an activity or a forum, by name not code: the
//! region itself, the regions under it and — while the list stays short enough for a select on
//! a phone — the villages under those (a city's districts and villages, a province's regencies).

use balai_core::regions::{self, Level, RegionCode};
use balai_core::Db;

/// The most places a list offers.
const MAX: usize = 300;

/// A region's name as an official reads it in a list: districts with `Kec.`.
fn shown(code: &str, name: &str) -> String {
    match Level::of(code) {
        Level::District => format!("Kec. {name}"),
        _ => name.to_string(),
    }
}

/// `(code, name)` of `code` and the places under it; `current` (a place already recorded) is
/// kept in the list even when it lies deeper than the list reaches.
pub async fn under(db: &Db, code: &str, current: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Ok(root) = RegionCode::parse(code) else {
        return out;
    };
    let Ok(Some(r)) = regions::get(db, &root).await else {
        return out;
    };
    out.push((r.code.clone(), shown(&r.code, &r.name)));
    let children = regions::children(db, &root).await.unwrap_or_default();
    let mut rows = Vec::new();
    let mut deep = true;
    for c in &children {
        rows.push((c.code.clone(), shown(&c.code, &c.name)));
        if !deep {
            continue;
        }
        let Ok(parsed) = RegionCode::parse(&c.code) else {
            continue;
        };
        let grand = regions::children(db, &parsed).await.unwrap_or_default();
        if children.len() + rows.len() + grand.len() > MAX {
            deep = false;
            rows.retain(|(code, _)| Level::of(code) == Level::of(&c.code));
            continue;
        }
        for g in grand {
            let label = format!("{} ({})", g.name, shown(&c.code, &c.name));
            rows.push((g.code, label));
        }
    }
    out.extend(rows);
    let current = current.trim();
    if !current.is_empty() && !out.iter().any(|(c, _)| c == current) {
        if let Ok(parsed) = RegionCode::parse(current) {
            if let Ok(Some(r)) = regions::get(db, &parsed).await {
                out.insert(0, (r.code.clone(), shown(&r.code, &r.name)));
            }
        }
    }
    out
}
