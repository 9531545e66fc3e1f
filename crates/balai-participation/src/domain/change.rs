//! A change to a recorded agreement or activity: the fields as they were and as they are,
//! compared field by field. Only the fields that changed go into the audit event and the public
//! history; an edit that changes nothing is refused.

use std::collections::BTreeMap;

use super::invalid::Invalid;

/// A record's fields as shown: field key → displayed value (lists joined).
pub type Snapshot = BTreeMap<&'static str, String>;

/// One changed field: (key, before, after).
pub type Changed = (&'static str, String, String);

/// The fields whose value differs, in key order; `Invalid::NoChange` when none does.
pub fn diff(before: &Snapshot, after: &Snapshot) -> Result<Vec<Changed>, Invalid> {
    let changed: Vec<Changed> = after
        .iter()
        .filter_map(|(k, a)| {
            let b = before.get(k).cloned().unwrap_or_default();
            (b != *a).then(|| (*k, b, a.clone()))
        })
        .collect();
    if changed.is_empty() {
        Err(Invalid::NoChange)
    } else {
        Ok(changed)
    }
}

/// The changed fields as two JSON objects (before, after).
pub fn as_json(changed: &[Changed]) -> (serde_json::Value, serde_json::Value) {
    let mut b = serde_json::Map::new();
    let mut a = serde_json::Map::new();
    for (k, before, after) in changed {
        b.insert((*k).to_string(), before.clone().into());
        a.insert((*k).to_string(), after.clone().into());
    }
    (b.into(), a.into())
}

pub use super::labels::label;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_changed() {
        let before: Snapshot = [("title", "A".to_string()), ("number", "1".to_string())]
            .into_iter()
            .collect();
        let mut after = before.clone();
        assert_eq!(diff(&before, &after), Err(Invalid::NoChange));
        after.insert("number", "2".into());
        let d = diff(&before, &after).unwrap();
        assert_eq!(d, vec![("number", "1".to_string(), "2".to_string())]);
        let (b, a) = as_json(&d);
        assert_eq!(
            (b["number"].as_str(), a["number"].as_str()),
            (Some("1"), Some("2"))
        );
        assert!(b.get("title").is_none());
        assert_eq!(label("valid_until").1, "Valid until");
    }
}
