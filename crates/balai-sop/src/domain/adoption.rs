//! Where an SOP may be adopted: a province's SOP by a regency or city of that province. Pure.

use balai_core::regions::{Level, RegionCode};

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlacementError {
    /// Only a province's SOP is adopted.
    #[error("Hanya SOP provinsi yang dapat diadopsi kabupaten/kota.")]
    ParentNotProvince,
    /// The adopting region is not a regency or city.
    #[error("Yang mengadopsi harus kabupaten atau kota (kode PP.KK).")]
    NotRegency,
    #[error("Kabupaten/kota ini berada di luar provinsi pemilik SOP.")]
    OutsideProvince,
}

impl PlacementError {
    pub fn message_en(self) -> &'static str {
        match self {
            PlacementError::ParentNotProvince => {
                "Only a province's SOP can be adopted by its regencies and cities."
            }
            PlacementError::NotRegency => {
                "The adopting region must be a regency or city (code PP.KK)."
            }
            PlacementError::OutsideProvince => {
                "This regency or city lies outside the province that owns the SOP."
            }
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            PlacementError::ParentNotProvince => "parent_not_province",
            PlacementError::NotRegency => "not_regency",
            PlacementError::OutsideProvince => "region_outside_province",
        }
    }
}

/// May `region` adopt an SOP of `parent_region`?
pub fn check_placement(
    parent_region: &RegionCode,
    region: &RegionCode,
) -> Result<(), PlacementError> {
    if parent_region.level() != Level::Province {
        return Err(PlacementError::ParentNotProvince);
    }
    if region.level() != Level::Regency {
        return Err(PlacementError::NotRegency);
    }
    if !parent_region.contains(region.as_str()) {
        return Err(PlacementError::OutsideProvince);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap_or_else(|_| unreachable!())
    }

    #[test]
    fn a_regency_of_the_province_adopts_its_sop() {
        assert_eq!(check_placement(&r("16"), &r("16.71")), Ok(()));
        assert_eq!(
            check_placement(&r("16"), &r("32.79")),
            Err(PlacementError::OutsideProvince)
        );
        assert_eq!(
            check_placement(&r("16"), &r("16.71.01")),
            Err(PlacementError::NotRegency)
        );
        assert_eq!(
            check_placement(&r("16.71"), &r("16.74")),
            Err(PlacementError::ParentNotProvince)
        );
    }
}
