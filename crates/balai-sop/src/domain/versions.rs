//! Versions of an SOP in time: which version applied on a day, which parent version an
//! adoption follows (minor versions flow through, a major one waits for review), and whether an
//! adoption needs review. Pure: no IO.

use time::Date;

/// What the rules need to know of one version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VersionInfo {
    pub number: u32,
    pub major: bool,
    /// The day it was published (in the SOP's region's time zone); `None`: a draft.
    pub published_on: Option<Date>,
}

impl VersionInfo {
    fn published_by(&self, day: Option<Date>) -> bool {
        match (self.published_on, day) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(p), Some(d)) => p <= d,
        }
    }
}

/// The version in force on `day` (today and after: `None`): the highest published on or before
/// that day. `None` before the first publication.
pub fn in_force(versions: &[VersionInfo], day: Option<Date>) -> Option<u32> {
    versions
        .iter()
        .filter(|v| v.published_by(day))
        .map(|v| v.number)
        .max()
}

/// The parent version an adoption of version `adopted` follows on `day`: the adopted one and
/// every minor version published after it, up to (not including) the first major one.
pub fn followed(parent: &[VersionInfo], adopted: u32, day: Option<Date>) -> u32 {
    let mut published: Vec<&VersionInfo> = parent
        .iter()
        .filter(|v| v.number > adopted && v.published_by(day))
        .collect();
    published.sort_by_key(|v| v.number);
    let mut at = adopted;
    for v in published {
        if v.major {
            break;
        }
        at = v.number;
    }
    at
}

/// Does an adoption of version `adopted` need review: has the parent published a major version
/// after it?
pub fn needs_review(parent: &[VersionInfo], adopted: u32) -> bool {
    parent
        .iter()
        .any(|v| v.major && v.number > adopted && v.published_on.is_some())
}

/// The number the next version gets.
pub fn next_number(versions: &[VersionInfo]) -> u32 {
    versions.iter().map(|v| v.number).max().unwrap_or(0) + 1
}

/// Is a draft waiting to be published (a new version must wait for it)?
pub fn draft_pending(versions: &[VersionInfo]) -> Option<u32> {
    versions
        .iter()
        .filter(|v| v.published_on.is_none())
        .map(|v| v.number)
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn v(number: u32, major: bool, on: Option<Date>) -> VersionInfo {
        VersionInfo {
            number,
            major,
            published_on: on,
        }
    }

    fn history() -> Vec<VersionInfo> {
        vec![
            v(1, true, Some(date!(2026 - 01 - 10))),
            v(2, false, Some(date!(2026 - 03 - 01))),
            v(3, true, Some(date!(2026 - 06 - 01))),
            v(4, false, Some(date!(2026 - 07 - 01))),
            v(5, true, None),
        ]
    }

    #[test]
    fn the_version_in_force_is_the_last_published_by_that_day() {
        let h = history();
        assert_eq!(in_force(&h, Some(date!(2026 - 01 - 09))), None);
        assert_eq!(in_force(&h, Some(date!(2026 - 01 - 10))), Some(1));
        assert_eq!(in_force(&h, Some(date!(2026 - 05 - 31))), Some(2));
        assert_eq!(in_force(&h, Some(date!(2026 - 06 - 01))), Some(3));
        // The draft is never in force.
        assert_eq!(in_force(&h, None), Some(4));
        assert_eq!(in_force(&[v(1, true, None)], None), None);
    }

    #[test]
    fn an_adoption_follows_minor_versions_up_to_the_next_major_one() {
        let h = history();
        assert_eq!(followed(&h, 1, None), 2);
        assert_eq!(followed(&h, 1, Some(date!(2026 - 02 - 01))), 1);
        assert_eq!(followed(&h, 2, None), 2);
        assert_eq!(followed(&h, 3, None), 4);
        assert_eq!(followed(&h, 3, Some(date!(2026 - 06 - 15))), 3);
        assert_eq!(followed(&h, 4, None), 4);
    }

    #[test]
    fn only_a_published_major_version_after_the_adopted_one_needs_review() {
        let h = history();
        assert!(needs_review(&h, 1));
        assert!(needs_review(&h, 2));
        // Version 4 is minor and 5 is a draft.
        assert!(!needs_review(&h, 3));
        assert!(!needs_review(&h, 4));
        assert_eq!(next_number(&h), 6);
        assert_eq!(next_number(&[]), 1);
        assert_eq!(draft_pending(&h), Some(5));
        assert_eq!(draft_pending(&h[..4]), None);
    }
}
