//! Which agency may act on which record, beside the role table: a party to an agreement, the
//! organiser (or an attendee) of an activity, an agency whose region covers the place, and the
//! KPU of a region for its turnout targets. And an agreement's region: the smallest region that
//! covers every Balai agency among its parties.

use balai_core::accounts::AgencyKind;
use balai_core::regions::RegionCode;

/// Does the agency's region cover `region` (the same region or one inside it)?
pub fn covers(agency_region: &str, region: &str) -> bool {
    RegionCode::parse(agency_region).is_ok_and(|a| a.contains(region))
}

/// The smallest region containing every code (their common ancestor), `None` when they have
/// no province in common or there are none.
pub fn common_region<'a>(codes: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut common: Option<Vec<&str>> = None;
    for code in codes {
        let parts: Vec<&str> = code.split('.').collect();
        common = Some(match common {
            None => parts,
            Some(prev) => prev
                .iter()
                .zip(&parts)
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| *a)
                .collect(),
        });
    }
    common.filter(|c| !c.is_empty()).map(|c| c.join("."))
}

/// Does this agency kind set turnout targets (the election commission)?
pub fn sets_targets(kind: &str) -> bool {
    kind == AgencyKind::Kpu.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_of_parties() {
        assert_eq!(common_region(["32.79", "32.79"]).as_deref(), Some("32.79"));
        assert_eq!(common_region(["32.79", "32"]).as_deref(), Some("32"));
        assert_eq!(
            common_region(["32.79.01", "32.79.02"]).as_deref(),
            Some("32.79")
        );
        assert_eq!(common_region(["32.79", "16.71"]), None);
        assert_eq!(common_region([]), None);
        assert!(covers("32.79", "32.79.01.1001"));
        assert!(covers("32", "32.79"));
        assert!(!covers("32.79", "32"));
        assert!(!covers("16.71", "32.79"));
        assert!(sets_targets("kpu") && !sets_targets("kesbangpol"));
    }
}
