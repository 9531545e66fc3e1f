//! NIK and KK numbers: structure only (DOMAIN §8), shared by every feature that takes one
//! (the civil registry's applications, the voter list). A NIK records where a person was first
//! registered, not where they live now, so we never compare it with the current domicile.

use std::fmt;

use time::{Date, Month};

/// Why an identity number was refused. Messages are shown to citizens as they are.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    #[error("{which} harus terdiri dari tepat 16 angka (tertulis {len} karakter).")]
    Length { which: &'static str, len: usize },
    #[error("{which} hanya boleh berisi angka.")]
    NotDigits { which: &'static str },
    #[error("{which}: kode provinsi {code} tidak sah.")]
    Province { which: &'static str, code: String },
    #[error("{which}: kode kabupaten/kota {code} tidak sah.")]
    Regency { which: &'static str, code: String },
    #[error("{which}: kode kecamatan {code} tidak sah.")]
    District { which: &'static str, code: String },
    #[error("NIK: tanggal lahir {ddmmyy} bukan tanggal yang sah.")]
    BirthDate { ddmmyy: String },
    #[error("NIK: nomor urut 0000 tidak sah.")]
    Serial,
    #[error(
        "NIK tidak cocok dengan tanggal lahir yang diisi ({declared}); menurut NIK {from_nik}."
    )]
    BirthDateMismatch { declared: Date, from_nik: Date },
    #[error("NIK tidak cocok dengan jenis kelamin yang diisi: menurut NIK {from_nik}.")]
    SexMismatch { from_nik: Sex },
}

impl IdNumberError {
    /// Stable machine code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            IdNumberError::Length { .. } => "id_number_length",
            IdNumberError::NotDigits { .. } => "id_number_digits",
            IdNumberError::Province { .. }
            | IdNumberError::Regency { .. }
            | IdNumberError::District { .. } => "id_number_region",
            IdNumberError::BirthDate { .. } => "nik_birth_date",
            IdNumberError::Serial => "nik_serial",
            IdNumberError::BirthDateMismatch { .. } => "nik_birth_date_mismatch",
            IdNumberError::SexMismatch { .. } => "nik_sex_mismatch",
        }
    }

    pub fn message_en(&self) -> String {
        match self {
            IdNumberError::Length { which, len } => {
                format!("{which} must be exactly 16 digits (got {len} characters).")
            }
            IdNumberError::NotDigits { which } => format!("{which} may contain digits only."),
            IdNumberError::Province { which, code } => {
                format!("{which}: province code {code} is not valid.")
            }
            IdNumberError::Regency { which, code } => {
                format!("{which}: regency/city code {code} is not valid.")
            }
            IdNumberError::District { which, code } => {
                format!("{which}: district code {code} is not valid.")
            }
            IdNumberError::BirthDate { ddmmyy } => {
                format!("NIK: birth date {ddmmyy} is not a valid date.")
            }
            IdNumberError::Serial => "NIK: serial number 0000 is not valid.".into(),
            IdNumberError::BirthDateMismatch { declared, from_nik } => format!(
                "The NIK does not match the declared birth date ({declared}); the NIK says {from_nik}."
            ),
            IdNumberError::SexMismatch { from_nik } => format!(
                "The NIK does not match the declared sex: the NIK says {}.",
                from_nik.label_en()
            ),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "L",
            Sex::Female => "P",
        }
    }

    /// `L` (laki-laki) or `P` (perempuan), as on Indonesian forms.
    pub fn parse(s: &str) -> Option<Sex> {
        match s {
            "L" | "l" => Some(Sex::Male),
            "P" | "p" => Some(Sex::Female),
            _ => None,
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }
}

impl fmt::Display for Sex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Sex::Male => "laki-laki",
            Sex::Female => "perempuan",
        })
    }
}

fn digits16(s: &str, which: &'static str) -> Result<[u8; 16], IdNumberError> {
    let s = s.trim();
    if s.chars().count() != 16 {
        return Err(IdNumberError::Length {
            which,
            len: s.chars().count(),
        });
    }
    let mut out = [0u8; 16];
    for (i, b) in s.bytes().enumerate() {
        if !b.is_ascii_digit() {
            return Err(IdNumberError::NotDigits { which });
        }
        out[i] = b - b'0';
    }
    Ok(out)
}

fn two(d: &[u8; 16], at: usize) -> u8 {
    d[at] * 10 + d[at + 1]
}

/// The region prefix `PP KK CC`: province 11–99, regency 01–69 (kabupaten) or 71–99 (kota),
/// district 01–99.
fn check_region(d: &[u8; 16], which: &'static str) -> Result<(), IdNumberError> {
    let (p, k, c) = (two(d, 0), two(d, 2), two(d, 4));
    if p < 11 {
        return Err(IdNumberError::Province {
            which,
            code: format!("{p:02}"),
        });
    }
    if k == 0 || k == 70 {
        return Err(IdNumberError::Regency {
            which,
            code: format!("{k:02}"),
        });
    }
    if c == 0 {
        return Err(IdNumberError::District {
            which,
            code: format!("{c:02}"),
        });
    }
    Ok(())
}

fn as_string(d: &[u8; 16]) -> String {
    d.iter().map(|b| char::from(b'0' + b)).collect()
}

/// A structurally valid Nomor Induk Kependudukan.
#[derive(Clone, PartialEq, Eq)]
pub struct Nik {
    digits: String,
    sex: Sex,
    birth_date: Date,
}

impl fmt::Debug for Nik {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print a full NIK into logs.
        write!(f, "Nik({})", mask(&self.digits))
    }
}

impl Nik {
    /// Parse a NIK; `today` resolves the two-digit year (a birth year cannot be in the future).
    pub fn parse(s: &str, today: Date) -> Result<Nik, IdNumberError> {
        let d = digits16(s, "NIK")?;
        check_region(&d, "NIK")?;
        let (dd, mm, yy) = (two(&d, 6), two(&d, 8), two(&d, 10));
        let bad = || IdNumberError::BirthDate {
            ddmmyy: format!("{dd:02}{mm:02}{yy:02}"),
        };
        let (sex, day) = match dd {
            1..=31 => (Sex::Male, dd),
            41..=71 => (Sex::Female, dd - 40),
            _ => return Err(bad()),
        };
        let month = Month::try_from(mm).map_err(|_| bad())?;
        let this_century = today.year() - today.year().rem_euclid(100);
        let mut year = this_century + i32::from(yy);
        if year > today.year() {
            year -= 100;
        }
        let birth_date = Date::from_calendar_date(year, month, day).map_err(|_| bad())?;
        if birth_date > today {
            return Err(bad());
        }
        if d[12..].iter().all(|&x| x == 0) {
            return Err(IdNumberError::Serial);
        }
        Ok(Nik {
            digits: as_string(&d),
            sex,
            birth_date,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.digits
    }

    pub fn sex(&self) -> Sex {
        self.sex
    }

    pub fn birth_date(&self) -> Date {
        self.birth_date
    }

    /// The region where the NIK was first issued, as `PP.KK.CC`.
    pub fn region_prefix(&self) -> String {
        let s = &self.digits;
        format!("{}.{}.{}", &s[0..2], &s[2..4], &s[4..6])
    }

    /// Check the NIK against what the applicant declared on the form.
    pub fn check_declared(&self, birth_date: Date, sex: Sex) -> Result<(), IdNumberError> {
        if self.birth_date != birth_date {
            return Err(IdNumberError::BirthDateMismatch {
                declared: birth_date,
                from_nik: self.birth_date,
            });
        }
        if self.sex != sex {
            return Err(IdNumberError::SexMismatch { from_nik: self.sex });
        }
        Ok(())
    }
}

/// A structurally valid Kartu Keluarga number.
#[derive(Clone, PartialEq, Eq)]
pub struct KkNumber(String);

impl fmt::Debug for KkNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KkNumber({})", mask(&self.0))
    }
}

impl KkNumber {
    pub fn parse(s: &str) -> Result<KkNumber, IdNumberError> {
        let d = digits16(s, "Nomor KK")?;
        check_region(&d, "Nomor KK")?;
        Ok(KkNumber(as_string(&d)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Show the region (province and regency, the first four digits) and the last two digits
/// only: `3279**********01`. The hidden digits are the district and the birth date (DDMMYY,
/// +40 on the day for women) and most of the serial number, so a masked number together with
/// what else a screen shows cannot be completed; a screen that shows a masked number shows no
/// birth date beside it. Masking a masked number (an older, wider mask kept in the database)
/// gives the same narrow mask.
pub fn mask(s: &str) -> String {
    let n = s.chars().count();
    if n <= 8 {
        return "*".repeat(n);
    }
    s.chars()
        .enumerate()
        .map(|(i, c)| if i < 4 || i >= n - 2 { c } else { '*' })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 22);

    #[test]
    fn valid_male_nik() {
        let n = Nik::parse("3279011508900001", TODAY).unwrap();
        assert_eq!(n.sex(), Sex::Male);
        assert_eq!(n.birth_date(), date!(1990 - 08 - 15));
        assert_eq!(n.region_prefix(), "32.79.01");
        assert!(n.check_declared(date!(1990 - 08 - 15), Sex::Male).is_ok());
        assert!(!format!("{n:?}").contains("15089000"));
    }

    #[test]
    fn female_day_plus_forty() {
        let n = Nik::parse("3279015508900002", TODAY).unwrap();
        assert_eq!(n.sex(), Sex::Female);
        assert_eq!(n.birth_date(), date!(1990 - 08 - 15));
        let n = Nik::parse("1671047103050003", TODAY).unwrap();
        assert_eq!(n.birth_date(), date!(2005 - 03 - 31));
        assert_eq!(n.sex(), Sex::Female);
    }

    #[test]
    fn two_digit_year_is_never_in_the_future() {
        assert_eq!(
            Nik::parse("3279010101250001", TODAY).unwrap().birth_date(),
            date!(2025 - 01 - 01)
        );
        assert_eq!(
            Nik::parse("3279010101300001", TODAY).unwrap().birth_date(),
            date!(1930 - 01 - 01)
        );
        // Later this year than today: still the future.
        assert!(Nik::parse("3279010112260001", TODAY).is_err());
    }

    #[test]
    fn wrong_length_and_characters() {
        assert_eq!(
            Nik::parse("327901150890001", TODAY).unwrap_err(),
            IdNumberError::Length {
                which: "NIK",
                len: 15
            }
        );
        assert!(matches!(
            Nik::parse("32790115089000011", TODAY),
            Err(IdNumberError::Length { len: 17, .. })
        ));
        assert_eq!(
            Nik::parse("32790115089O0001", TODAY).unwrap_err(),
            IdNumberError::NotDigits { which: "NIK" }
        );
        assert!(Nik::parse("", TODAY).is_err());
    }

    #[test]
    fn bad_dates() {
        for bad in [
            "3279013202900001", // 32 Feb
            "3279010013900001", // day 00, month 13
            "3279013102900001", // 31 Feb
            "3279017208900001", // female day 32
            "3279013508900001", // day 35: neither
            "3279012902010001", // 29 Feb 2001
        ] {
            assert!(
                matches!(Nik::parse(bad, TODAY), Err(IdNumberError::BirthDate { .. })),
                "{bad}"
            );
        }
        // 29 Feb 2000 is real (female: 69).
        assert!(Nik::parse("3279016902000001", TODAY).is_ok());
    }

    #[test]
    fn bad_region_and_serial() {
        assert!(matches!(
            Nik::parse("0979011508900001", TODAY),
            Err(IdNumberError::Province { .. })
        ));
        assert!(matches!(
            Nik::parse("3200011508900001", TODAY),
            Err(IdNumberError::Regency { .. })
        ));
        assert!(matches!(
            Nik::parse("3270011508900001", TODAY),
            Err(IdNumberError::Regency { .. })
        ));
        assert!(matches!(
            Nik::parse("3279001508900001", TODAY),
            Err(IdNumberError::District { .. })
        ));
        assert_eq!(
            Nik::parse("3279011508900000", TODAY).unwrap_err(),
            IdNumberError::Serial
        );
    }

    #[test]
    fn mismatch_with_declared_data() {
        let n = Nik::parse("3279015508900002", TODAY).unwrap();
        let e = n
            .check_declared(date!(1990 - 08 - 16), Sex::Female)
            .unwrap_err();
        assert_eq!(e.code(), "nik_birth_date_mismatch");
        assert!(e.to_string().contains("tidak cocok"));
        let e = n
            .check_declared(date!(1990 - 08 - 15), Sex::Male)
            .unwrap_err();
        assert_eq!(
            e,
            IdNumberError::SexMismatch {
                from_nik: Sex::Female
            }
        );
        assert!(e.to_string().contains("perempuan"));
        assert!(e.message_en().contains("female"));
    }

    #[test]
    fn kk_number() {
        let k = KkNumber::parse("3279012301150004").unwrap();
        assert_eq!(k.as_str(), "3279012301150004");
        assert!(matches!(
            KkNumber::parse("32790123011500"),
            Err(IdNumberError::Length { len: 14, .. })
        ));
        assert!(matches!(
            KkNumber::parse("3279002301150004"),
            Err(IdNumberError::District { .. })
        ));
        assert!(KkNumber::parse("327901230115000x").is_err());
    }

    #[test]
    fn masking() {
        assert_eq!(mask("3279011508900001"), "3279**********01");
        assert_eq!(mask("3279********0001"), "3279**********01");
        assert_eq!(mask("123"), "***");
    }
}
