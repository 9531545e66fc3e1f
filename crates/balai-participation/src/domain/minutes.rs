//! Minutes go from draft to published once every attending agency (and the organiser) has
//! approved the current version; a new draft version needs every approval again.

use std::collections::BTreeSet;

/// The agencies whose approval publishes the minutes: the organiser and every attending
/// Balai agency.
pub fn approvers(organiser: Option<i64>, attending: &[Option<i64>]) -> BTreeSet<i64> {
    organiser
        .into_iter()
        .chain(attending.iter().flatten().copied())
        .collect()
}

/// Has every required agency approved?
pub fn complete(required: &BTreeSet<i64>, approved: &BTreeSet<i64>) -> bool {
    required.is_subset(approved)
}

/// The state of an activity's minutes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MinutesStatus {
    None,
    Draft,
    Published,
}

impl MinutesStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            MinutesStatus::None => "none",
            MinutesStatus::Draft => "draft",
            MinutesStatus::Published => "published",
        }
    }

    pub fn parse(s: &str) -> MinutesStatus {
        match s {
            "draft" => MinutesStatus::Draft,
            "published" => MinutesStatus::Published,
            _ => MinutesStatus::None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_attending_agency_approves() {
        let req = approvers(Some(1), &[Some(2), None, Some(2), Some(3)]);
        assert_eq!(req.iter().copied().collect::<Vec<_>>(), [1, 2, 3]);
        assert!(!complete(&req, &[1, 2].into_iter().collect()));
        assert!(complete(&req, &[1, 2, 3, 9].into_iter().collect()));
        assert!(complete(&approvers(None, &[]), &BTreeSet::new()));
        assert_eq!(MinutesStatus::parse("published"), MinutesStatus::Published);
    }
}
