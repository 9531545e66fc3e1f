//! What a birth registration is about besides the applicant (usually a parent): the child —
//! name, place, date and time of birth — and the parents (Permendagri 108/2019 art. 33: the
//! birth report names the child and the parents; the applicant may be either parent or
//! another reporter).

use serde::{Deserialize, Serialize};
use time::Date;

use super::nik::Nik;
use crate::errors::{CivilRegistryError, CrResult};

/// What the form or the API carried, as text.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct BirthInput {
    #[serde(default)]
    pub child_name: String,
    #[serde(default)]
    pub birth_place: String,
    /// `HH:MM`, local time of the place of birth.
    #[serde(default)]
    pub birth_time: String,
    #[serde(default)]
    pub father_name: String,
    /// Optional; 16 digits when given.
    #[serde(default)]
    pub father_nik: String,
    #[serde(default)]
    pub mother_name: String,
    /// Optional; 16 digits when given.
    #[serde(default)]
    pub mother_nik: String,
}

/// The checked details, stored encrypted as JSON (the parents' NIKs are personal data).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct BirthDetails {
    pub child_name: String,
    pub birth_place: String,
    pub birth_time: String,
    pub father_name: Option<String>,
    pub father_nik: Option<String>,
    pub mother_name: String,
    pub mother_nik: Option<String>,
}

fn required(s: &str, what_id: &'static str, what_en: &'static str) -> CrResult<String> {
    let v = s.trim();
    if v.is_empty() || v.chars().count() > 200 {
        return Err(CivilRegistryError::MissingDetail { what_id, what_en });
    }
    Ok(v.to_string())
}

fn optional(s: &str) -> Option<String> {
    Some(s.trim().chars().take(200).collect::<String>()).filter(|v| !v.is_empty())
}

/// `HH:MM` (a browser's time field) or `H:MM`, as `HH:MM`.
fn time_of_day(s: &str) -> CrResult<String> {
    let (h, m) = s
        .trim()
        .split_once(':')
        .ok_or(CivilRegistryError::BadTime)?;
    let digits = |v: &str, max: u8| {
        (matches!(v.len(), 1 | 2) && v.bytes().all(|b| b.is_ascii_digit()))
            .then(|| v.parse::<u8>().ok())
            .flatten()
            .filter(|n| *n <= max)
    };
    match (digits(h, 23), digits(m, 59).filter(|_| m.len() == 2)) {
        (Some(h), Some(m)) => Ok(format!("{h:02}:{m:02}")),
        _ => Err(CivilRegistryError::BadTime),
    }
}

fn parent_nik(s: &str, today: Date) -> CrResult<Option<String>> {
    match s.trim() {
        "" => Ok(None),
        v => Ok(Some(Nik::parse(v, today)?.as_str().to_string())),
    }
}

/// Check a birth registration's details: the child's name, the place and time of birth and
/// the mother's name are required; the father and the parents' NIKs when known.
pub fn check(input: &BirthInput, today: Date) -> CrResult<BirthDetails> {
    Ok(BirthDetails {
        child_name: required(&input.child_name, "Nama anak", "The child's name")?,
        birth_place: required(
            &input.birth_place,
            "Tempat lahir anak",
            "The place of birth",
        )?,
        birth_time: time_of_day(&input.birth_time)?,
        father_name: optional(&input.father_name),
        father_nik: parent_nik(&input.father_nik, today)?,
        mother_name: required(&input.mother_name, "Nama ibu", "The mother's name")?,
        mother_nik: parent_nik(&input.mother_nik, today)?,
    })
}

impl BirthDetails {
    /// Is this the same child (for the duplicate check: twins are two applications)?
    pub fn same_child(&self, other: &BirthDetails) -> bool {
        self.child_name.to_lowercase() == other.child_name.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birth_details_are_checked() {
        let today = time::macros::date!(2026 - 12 - 05);
        let mut b = BirthInput {
            child_name: " Siti Aminah ".into(),
            birth_place: "Banjar".into(),
            birth_time: "7:05".into(),
            mother_name: "Rina".into(),
            ..BirthInput::default()
        };
        let d = check(&b, today).unwrap();
        assert_eq!(d.child_name, "Siti Aminah");
        assert_eq!(d.birth_time, "07:05");
        assert_eq!(d.father_name, None);
        b.birth_time = "25:00".into();
        assert!(matches!(check(&b, today), Err(CivilRegistryError::BadTime)));
        b.birth_time = "07:05".into();
        b.mother_name = " ".into();
        assert!(matches!(
            check(&b, today),
            Err(CivilRegistryError::MissingDetail {
                what_id: "Nama ibu",
                ..
            })
        ));
        b.mother_name = "Rina".into();
        b.father_nik = "123".into();
        assert!(matches!(
            check(&b, today),
            Err(CivilRegistryError::IdNumber(_))
        ));
    }
}
