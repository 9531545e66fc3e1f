//! The totals' arithmetic: what one TPS adds to every region containing it ([`contribution`]),
//! and the signed change a new version makes ([`Deltas`]): the old contribution out, the new
//! one in, for each district, regency/city and province above its village. Pure; the store
//! adds the deltas to `region_totals` in the write transaction.

use std::collections::BTreeMap;

use serde::Serialize;

use super::form::Form;

/// Sums over the TPS of one region or of each of its children.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Agg {
    pub tps_total: i64,
    pub dpt_master: i64,
    pub tps_entered: i64,
    pub tps_verified: i64,
    pub tps_flagged: i64,
    pub tps_errors: i64,
    pub tps_disputed: i64,
    pub dpt: i64,
    pub pengguna: i64,
    pub suara_sah: i64,
    pub suara_tidak_sah: i64,
    pub votes: BTreeMap<i64, i64>,
}

impl Agg {
    /// `self += sign × other`, field by field (votes per ballot included).
    pub fn add(&mut self, other: &Agg, sign: i64) {
        self.tps_total += sign * other.tps_total;
        self.dpt_master += sign * other.dpt_master;
        self.tps_entered += sign * other.tps_entered;
        self.tps_verified += sign * other.tps_verified;
        self.tps_flagged += sign * other.tps_flagged;
        self.tps_errors += sign * other.tps_errors;
        self.tps_disputed += sign * other.tps_disputed;
        self.dpt += sign * other.dpt;
        self.pengguna += sign * other.pengguna;
        self.suara_sah += sign * other.suara_sah;
        self.suara_tidak_sah += sign * other.suara_tidak_sah;
        for (b, v) in &other.votes {
            *self.votes.entry(*b).or_insert(0) += sign * v;
        }
    }
}

/// The flags of a TPS's state that the totals count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flags {
    pub verified: bool,
    pub disputed: bool,
    pub flagged: bool,
    pub has_errors: bool,
}

/// What one TPS with an accepted version adds to every region containing it: its state's
/// counts, and the numbers of `counted`, the version its totals count (none while it is
/// disputed with no verified version: see [`super::entry::last_verified`]).
pub fn contribution(counted: Option<&Form>, f: Flags) -> Agg {
    let mut a = Agg {
        tps_entered: 1,
        tps_verified: i64::from(f.verified),
        tps_disputed: i64::from(f.disputed),
        tps_flagged: i64::from(f.flagged),
        tps_errors: i64::from(f.has_errors),
        ..Agg::default()
    };
    if let Some(form) = counted {
        a.dpt = i64::from(form.pemilih_dpt.total);
        a.pengguna = i64::from(form.pengguna_total.total);
        a.suara_sah = i64::from(form.suara_sah);
        a.suara_tidak_sah = i64::from(form.suara_tidak_sah);
        a.votes = form
            .votes
            .iter()
            .map(|(b, v)| (i64::from(*b), i64::from(*v)))
            .collect();
    }
    a
}

/// Deltas collected for one transaction, by region code (sorted, so every writer touches the
/// rows in the same order).
#[derive(Debug, Default)]
pub struct Deltas(BTreeMap<String, Agg>);

impl Deltas {
    /// Add `delta` (× `sign`) to every region above the village (the village itself is summed
    /// when read).
    pub fn add(&mut self, village_code: &str, delta: &Agg, sign: i64) {
        for (end, _) in village_code.match_indices('.') {
            self.0
                .entry(village_code[..end].to_string())
                .or_default()
                .add(delta, sign);
        }
    }

    /// A TPS went from `old` (none when it had no result) to `new`.
    pub fn change(&mut self, village_code: &str, old: Option<&Agg>, new: &Agg) {
        if let Some(old) = old {
            self.add(village_code, old, -1);
        }
        self.add(village_code, new, 1);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The delta of one region, made empty if it has none yet.
    pub fn region_mut(&mut self, code: String) -> &mut Agg {
        self.0.entry(code).or_default()
    }

    /// Each region's delta, in region-code order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Agg)> {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delta_reaches_every_level_and_cancels_out() {
        let mut d = Deltas::default();
        let a = Agg {
            tps_entered: 1,
            dpt: 200,
            votes: [(1, 10), (2, 5)].into_iter().collect(),
            ..Agg::default()
        };
        d.add("32.79.01.1001", &a, 1);
        let codes: Vec<&str> = d.0.keys().map(String::as_str).collect();
        assert_eq!(codes, ["32", "32.79", "32.79.01"]);
        d.change("32.79.01.1001", Some(&a), &Agg::default());
        for agg in d.0.values() {
            assert_eq!(agg.dpt, 0);
            assert_eq!(agg.votes.values().copied().collect::<Vec<_>>(), [0, 0]);
        }
    }
}
