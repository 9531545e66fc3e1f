//! The NIK of a listed voter or of a look-up: the shared structure rules
//! ([`balai_core::nik::Nik`]: 16 digits, a real date of birth with day + 40 for women, a serial
//! other than 0000) and a region prefix that names a real province and regency/city. A NIK
//! records where its holder was first registered, not where they live (DOMAIN §8), so the list
//! of a regency may hold NIKs of other regions; a prefix that names no region cannot exist.

use balai_core::nik::{IdNumberError, Nik};
use time::Date;

/// Why a NIK cannot exist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Impossible {
    /// Length, characters, date, serial: the shared rules' refusal.
    Structure(IdNumberError),
    /// The first four digits (`PP.KK`) name no province and regency/city.
    Region(String),
}

impl Impossible {
    /// Stable machine code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            Impossible::Structure(e) => e.code(),
            Impossible::Region(_) => "nik_region_unknown",
        }
    }

    /// The Indonesian and English messages.
    pub fn messages(&self) -> (String, String) {
        match self {
            Impossible::Structure(e) => (e.to_string(), e.message_en()),
            Impossible::Region(p) => (
                format!("NIK: kode wilayah {p} tidak ada (provinsi dan kabupaten/kota)."),
                format!("NIK: region code {p} does not exist (province and regency/city)."),
            ),
        }
    }
}

/// `PP.KK` of a NIK's first four digits (ASCII digits, as [`Nik`] guarantees).
pub fn regency_prefix(nik: &Nik) -> String {
    let s = nik.as_str();
    format!("{}.{}", &s[0..2], &s[2..4])
}

/// Parse a NIK that could exist: structure, and a regency/city `regency_exists` knows.
pub fn check(
    raw: &str,
    today: Date,
    regency_exists: impl Fn(&str) -> bool,
) -> Result<Nik, Impossible> {
    let nik = Nik::parse(raw, today).map_err(Impossible::Structure)?;
    // `PP.KK` on the stack: an import checks millions.
    let d = nik.as_str().as_bytes();
    let prefix = [d[0], d[1], b'.', d[2], d[3]];
    let prefix = std::str::from_utf8(&prefix).unwrap_or_default();
    if !regency_exists(prefix) {
        return Err(Impossible::Region(regency_prefix(&nik)));
    }
    Ok(nik)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use balai_core::nik::Sex;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 05);

    fn known(p: &str) -> bool {
        matches!(p, "32.79" | "16.71")
    }

    #[test]
    fn real_nik_of_a_known_regency() {
        let n = check("3279015508900002", TODAY, known).unwrap();
        assert_eq!(n.sex(), Sex::Female);
        assert_eq!(n.birth_date(), date!(1990 - 08 - 15));
        assert_eq!(regency_prefix(&n), "32.79");
    }

    #[test]
    fn made_up_niks_cannot_exist() {
        // The 2024 check answered for this one: day 22, month 22.
        let e = check("2222222222222222", TODAY, known).unwrap_err();
        assert_eq!(e.code(), "nik_birth_date");
        // A well-formed NIK of a regency that does not exist.
        let e = check("3269011508900001", TODAY, known).unwrap_err();
        assert_eq!(e, Impossible::Region("32.69".into()));
        assert!(e.messages().0.contains("32.69"));
        assert!(e.messages().1.contains("does not exist"));
        // Day 35 is neither a man's day nor a woman's day + 40.
        assert_eq!(
            check("3279013508900001", TODAY, known).unwrap_err().code(),
            "nik_birth_date"
        );
        assert_eq!(
            check("32790135089", TODAY, known).unwrap_err().code(),
            "id_number_length"
        );
        assert_eq!(
            check("3279011508900000", TODAY, known).unwrap_err().code(),
            "nik_serial"
        );
    }
}
