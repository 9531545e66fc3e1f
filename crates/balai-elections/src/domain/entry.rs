//! Versions and double entry of a TPS result (the rules are listed in the crate README).
//!
//! Every accepted submission is a new version; nothing is overwritten and the current version
//! is the latest. A re-vote (PSU, a `psu_ref` given) starts a new **epoch** at its version:
//! earlier versions stay in the history but no longer count for double entry. Within an epoch
//! the TPS is **verified** when the new version's numbers (its content hash) equal an entry by
//! a different operator, and **disputed** when other operators entered different numbers.
//! An operator's second entry in an epoch is a **correction** and needs a reason; sending
//! exactly the same entry again is refused.

/// The most forms one batch may hold (one transaction).
pub const MAX_BATCH: usize = 1000;

/// The shortest and longest decision reference a re-vote (PSU) may cite.
pub const PSU_REF_CHARS: (usize, usize) = (8, 200);

/// Does `r` (trimmed) look like the reference of a decision ordering a re-vote, e.g.
/// `Keputusan KPU Kota Banjar No. 12/PL.02.6-Kpt/3279/2024`? Between [`PSU_REF_CHARS`]
/// characters, with a number and a word in it, and no control characters: a real decision is
/// numbered and named, so `x` or `-` is refused.
pub fn psu_ref_valid(r: &str) -> bool {
    let n = r.chars().count();
    (PSU_REF_CHARS.0..=PSU_REF_CHARS.1).contains(&n)
        && r.chars().any(|c| c.is_ascii_digit())
        && r.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && !r.chars().any(char::is_control)
}

/// Why a new version of a TPS result is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryRefusal {
    /// The same operator sent exactly this entry already, as this version.
    Duplicate { version: i64 },
    /// A correction of one's own entry needs a reason.
    ReasonRequired,
}

/// What a version is, as stored in `result_entries.kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntryKind {
    /// An operator's first entry in the epoch.
    Entry,
    /// A later entry of the same operator in the epoch.
    Correction,
    /// The first entry of a re-vote, which starts a new epoch.
    Psu,
}

impl EntryKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            EntryKind::Entry => "entry",
            EntryKind::Correction => "correction",
            EntryKind::Psu => "psu",
        }
    }

    pub fn parse(s: &str) -> Option<EntryKind> {
        [EntryKind::Entry, EntryKind::Correction, EntryKind::Psu]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// An earlier version of the TPS result, as the decision needs it.
pub trait PastEntry {
    fn version(&self) -> i64;
    fn is_psu(&self) -> bool;
    /// The operator who entered it (their user name).
    fn operator(&self) -> &str;
    fn content_hash(&self) -> &str;
    fn psu_ref(&self) -> Option<&str>;
}

/// The new version's number, kind and epochs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision {
    pub version: i64,
    pub kind: EntryKind,
    /// The epoch the TPS was in before this version (the last PSU's version, 0 without one).
    pub old_epoch: i64,
}

impl Decision {
    /// The epoch of the new version: its own for a PSU, else the one it joins.
    pub fn epoch(&self) -> i64 {
        if self.kind == EntryKind::Psu {
            self.version
        } else {
            self.old_epoch
        }
    }
}

/// Decide the new version of a TPS result from its history (in version order), who enters it,
/// its content hash and its PSU reference and reason (trimmed, empty as none).
pub fn decide<E: PastEntry>(
    history: &[E],
    operator: &str,
    hash: &str,
    psu_ref: Option<&str>,
    reason: Option<&str>,
) -> Result<Decision, EntryRefusal> {
    let old_epoch = history
        .iter()
        .filter(|e| e.is_psu())
        .map(PastEntry::version)
        .max()
        .unwrap_or(0);
    let version = history.last().map(PastEntry::version).unwrap_or(0) + 1;
    let in_old_epoch = || history.iter().filter(move |e| e.version() >= old_epoch);
    if let Some(mine) = in_old_epoch().rev().find(|e| e.operator() == operator) {
        if mine.content_hash() == hash && (psu_ref.is_none() || mine.psu_ref() == psu_ref) {
            return Err(EntryRefusal::Duplicate {
                version: mine.version(),
            });
        }
    }
    let kind = if psu_ref.is_some() {
        EntryKind::Psu
    } else if in_old_epoch().any(|e| e.operator() == operator) {
        EntryKind::Correction
    } else {
        EntryKind::Entry
    };
    if kind == EntryKind::Correction && reason.is_none() {
        return Err(EntryRefusal::ReasonRequired);
    }
    Ok(Decision {
        version,
        kind,
        old_epoch,
    })
}

/// The earlier entries of the old epoch with other numbers: the warnings compare the new
/// version with them (a PSU compares with none, see [`Decision::kind`]).
pub fn differing<'h, E: PastEntry>(
    history: &'h [E],
    d: &Decision,
    hash: &'h str,
) -> impl Iterator<Item = &'h E> + 'h {
    let old_epoch = d.old_epoch;
    history
        .iter()
        .filter(move |e| e.version() >= old_epoch && e.content_hash() != hash)
}

/// The version a disputed TPS counts in the totals: the latest of `epoch` that was verified
/// when it was accepted (an earlier entry of the epoch by another operator had the same
/// numbers), or none. A dispute never puts unconfirmed numbers into the published totals; the
/// history keeps every version. `history` is in version order.
pub fn last_verified<E: PastEntry>(history: &[E], epoch: i64) -> Option<&E> {
    history.iter().enumerate().rev().find_map(|(i, e)| {
        let confirmed = e.version() >= epoch
            && history[..i].iter().any(|o| {
                o.version() >= epoch
                    && o.operator() != e.operator()
                    && o.content_hash() == e.content_hash()
            });
        confirmed.then_some(e)
    })
}

/// Double entry in the new version's epoch: `(verified, disputed)`.
pub fn double_entry<E: PastEntry>(
    history: &[E],
    d: &Decision,
    operator: &str,
    hash: &str,
) -> (bool, bool) {
    let epoch = d.epoch();
    let mut others = history
        .iter()
        .filter(|e| e.version() >= epoch && e.operator() != operator)
        .peekable();
    let any_other = others.peek().is_some();
    let verified = others.any(|e| e.content_hash() == hash);
    (verified, !verified && any_other)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct E(i64, &'static str, &'static str, Option<&'static str>);

    impl PastEntry for E {
        fn version(&self) -> i64 {
            self.0
        }
        fn is_psu(&self) -> bool {
            self.3.is_some()
        }
        fn operator(&self) -> &str {
            self.1
        }
        fn content_hash(&self) -> &str {
            self.2
        }
        fn psu_ref(&self) -> Option<&str> {
            self.3
        }
    }

    #[test]
    fn a_second_operator_with_the_same_numbers_verifies() {
        let h = [E(1, "a", "x", None)];
        let d = decide(&h, "b", "x", None, None).unwrap();
        assert_eq!((d.version, d.kind), (2, EntryKind::Entry));
        assert_eq!(double_entry(&h, &d, "b", "x"), (true, false));
        assert_eq!(double_entry(&h, &d, "b", "y"), (false, true));
    }

    #[test]
    fn corrections_need_a_reason_and_duplicates_are_refused() {
        let h = [E(1, "a", "x", None)];
        assert_eq!(
            decide(&h, "a", "x", None, Some("r")),
            Err(EntryRefusal::Duplicate { version: 1 })
        );
        assert_eq!(
            decide(&h, "a", "y", None, None),
            Err(EntryRefusal::ReasonRequired)
        );
        let d = decide(&h, "a", "y", None, Some("r")).unwrap();
        assert_eq!(d.kind, EntryKind::Correction);
    }

    #[test]
    fn a_dispute_counts_the_last_verified_version_of_the_epoch() {
        let h = [
            E(1, "a", "x", None),
            E(2, "b", "x", None),
            E(3, "c", "y", None),
        ];
        assert_eq!(last_verified(&h, 0).map(|e| e.0), Some(2));
        let unconfirmed = [E(1, "a", "x", None), E(2, "b", "y", None)];
        assert!(last_verified(&unconfirmed, 0).is_none());
        // A re-vote's epoch does not count the versions before it.
        let psu = [
            E(1, "a", "x", None),
            E(2, "b", "x", None),
            E(3, "a", "z", Some("SK 1")),
            E(4, "b", "w", None),
        ];
        assert!(last_verified(&psu, 3).is_none());
    }

    #[test]
    fn a_psu_cites_a_numbered_decision() {
        assert!(psu_ref_valid("Keputusan KPU Kota Banjar 12/2024"));
        assert!(psu_ref_valid("SK No. 12/PL.02.6-Kpt/3279/2024"));
        for bad in [
            "x",
            "SK 1",
            "--------",
            "12345678",
            "Keputusan KPU",
            "SK 12\u{0}/2024",
        ] {
            assert!(!psu_ref_valid(bad), "{bad}");
        }
        assert!(!psu_ref_valid(&format!("SK 1{}", "a".repeat(200))));
    }

    #[test]
    fn a_psu_starts_a_new_epoch() {
        let h = [E(1, "a", "x", None), E(2, "b", "x", None)];
        let d = decide(&h, "a", "z", Some("SK 1"), None).unwrap();
        assert_eq!((d.version, d.kind, d.epoch()), (3, EntryKind::Psu, 3));
        assert_eq!(double_entry(&h, &d, "a", "z"), (false, false));
        let h2 = [E(1, "a", "x", None), E(2, "a", "z", Some("SK 1"))];
        let d2 = decide(&h2, "b", "z", None, None).unwrap();
        assert_eq!((d2.old_epoch, d2.kind), (2, EntryKind::Entry));
        assert_eq!(double_entry(&h2, &d2, "b", "z"), (true, false));
        assert_eq!(EntryKind::parse("psu"), Some(EntryKind::Psu));
    }
}
