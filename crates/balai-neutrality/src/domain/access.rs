//! Which agency records an appointment: the appointing government's own Pemda (its BKD or
//! BKPSDM, as the Pemda agency), whose region is exactly the appointing region, or a BKN office
//! whose region covers it. Every other agency, and any agency elsewhere, is refused.

use balai_core::accounts::AgencyKind;
use balai_core::regions::RegionCode;

/// The agency of an acting official, as the rule needs it.
#[derive(Clone, Copy, Debug)]
pub struct AgencyView<'a> {
    pub kind: &'a str,
    pub region_code: &'a str,
}

/// May officials of this agency record (and read the NIP of) appointments of `region`?
pub fn agency_serves(agency: AgencyView<'_>, region: &RegionCode) -> bool {
    if agency.kind == AgencyKind::Pemda.as_str() {
        agency.region_code == region.as_str()
    } else if agency.kind == AgencyKind::Bkn.as_str() {
        RegionCode::parse(agency.region_code).is_ok_and(|r| r.contains(region.as_str()))
    } else {
        false
    }
}

/// Does this agency record appointments at all (Pemda or BKN)?
pub fn records_appointments(kind: &str) -> bool {
    kind == AgencyKind::Pemda.as_str() || kind == AgencyKind::Bkn.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(c: &str) -> RegionCode {
        RegionCode::parse(c).unwrap()
    }

    #[test]
    fn pemda_of_the_region_or_bkn_above_it() {
        let pemda_banjar = AgencyView {
            kind: "pemda",
            region_code: "32.79",
        };
        let pemda_jabar = AgencyView {
            kind: "pemda",
            region_code: "32",
        };
        let bkn_jabar = AgencyView {
            kind: "bkn",
            region_code: "32",
        };
        let bawaslu = AgencyView {
            kind: "bawaslu",
            region_code: "32.79",
        };
        assert!(agency_serves(pemda_banjar, &region("32.79")));
        assert!(!agency_serves(pemda_banjar, &region("32")));
        // The province's Pemda does not appoint the city's officials.
        assert!(!agency_serves(pemda_jabar, &region("32.79")));
        assert!(agency_serves(pemda_jabar, &region("32")));
        assert!(agency_serves(bkn_jabar, &region("32.79")));
        assert!(!agency_serves(bkn_jabar, &region("16.71")));
        assert!(!agency_serves(bawaslu, &region("32.79")));
        assert!(records_appointments("bkn") && !records_appointments("kpu"));
    }
}
