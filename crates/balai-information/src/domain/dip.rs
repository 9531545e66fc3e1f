//! The Daftar Informasi Publik (DIP) of a PPID (UU 14/2008 arts. 9–13 and 17; Perki 1/2021
//! arts. 11–16): each entry is information published periodically (berkala, at least every six
//! months: art. 9(4)), immediately (serta-merta, art. 10), available at any time (setiap saat,
//! art. 11) or exempt (dikecualikan, art. 17, with its ground), with its legal basis, its
//! documents and the day it was last updated. A berkala entry not updated for six months is
//! late.

use time::{Date, Month};

use crate::domain::exemptions::Exemption;
use crate::errors::{InfoResult, InformationError};

pub const MAX_TITLE: usize = 300;
pub const MAX_SUMMARY: usize = 2000;
pub const MAX_BASIS: usize = 500;
pub const MAX_DOCUMENTS: usize = 20;
pub const MAX_REFERENCE: usize = 500;
/// A berkala entry is late once this many months passed since its last update (art. 9(4)).
pub const BERKALA_MONTHS: u8 = 6;

/// The class of an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    Berkala,
    SertaMerta,
    SetiapSaat,
    Dikecualikan,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Category::Berkala,
        Category::SertaMerta,
        Category::SetiapSaat,
        Category::Dikecualikan,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Category::Berkala => "berkala",
            Category::SertaMerta => "serta_merta",
            Category::SetiapSaat => "setiap_saat",
            Category::Dikecualikan => "dikecualikan",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        let s = s.trim().replace(['-', ' '], "_");
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub const fn label_id(self) -> &'static str {
        match self {
            Category::Berkala => "Informasi berkala",
            Category::SertaMerta => "Informasi serta-merta",
            Category::SetiapSaat => "Informasi setiap saat",
            Category::Dikecualikan => "Informasi yang dikecualikan",
        }
    }

    pub const fn label_en(self) -> &'static str {
        match self {
            Category::Berkala => "Published periodically",
            Category::SertaMerta => "Published immediately",
            Category::SetiapSaat => "Available at any time",
            Category::Dikecualikan => "Exempt",
        }
    }

    /// The article of UU 14/2008 the class comes from.
    pub const fn article(self) -> &'static str {
        match self {
            Category::Berkala => "Pasal 9",
            Category::SertaMerta => "Pasal 10",
            Category::SetiapSaat => "Pasal 11",
            Category::Dikecualikan => "Pasal 17",
        }
    }

    /// The same article, for English pages.
    pub const fn article_en(self) -> &'static str {
        match self {
            Category::Berkala => "art. 9",
            Category::SertaMerta => "art. 10",
            Category::SetiapSaat => "art. 11",
            Category::Dikecualikan => "art. 17",
        }
    }
}

/// A document of an entry: its title and a link or the reference of an uploaded or filed copy.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[schema(as = InformationListDocument)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// 1–300 characters.
    #[schema(min_length = 1, max_length = 300, pattern = r"\S")]
    pub title: String,
    /// An `https://` or `http://` link, or the reference of a filed copy (archive number).
    #[schema(min_length = 1, max_length = 500, pattern = r"\S")]
    pub reference: String,
}

/// An entry as typed.
#[derive(Clone, Debug, Default)]
pub struct RawEntry {
    pub category: String,
    pub title: String,
    pub summary: String,
    pub legal_basis: String,
    pub exemption: String,
    pub documents: Vec<Document>,
    pub updated_on: Option<String>,
}

/// An entry whose every field has been checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub category: Category,
    pub title: String,
    pub summary: Option<String>,
    pub legal_basis: String,
    pub exemption: Option<Exemption>,
    pub documents: Vec<Document>,
    pub updated_on: Date,
}

fn text(s: &str, max: usize, err: InformationError) -> InfoResult<String> {
    let t = s.trim();
    if t.is_empty() || t.chars().count() > max {
        return Err(err);
    }
    Ok(t.to_string())
}

fn document(d: &Document) -> InfoResult<Document> {
    Ok(Document {
        title: text(&d.title, MAX_TITLE, InformationError::BadDocument)?,
        reference: text(&d.reference, MAX_REFERENCE, InformationError::BadDocument)?,
    })
}

/// The day the information was last updated: given (not in the future), else today.
fn updated_on(s: Option<&str>, today: Date) -> InfoResult<Date> {
    let Some(s) = s.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(today);
    };
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    match Date::parse(s, &fmt) {
        Ok(d) if d <= today => Ok(d),
        _ => Err(InformationError::BadUpdatedOn),
    }
}

/// Check an entry: the class, a title, the legal basis, the art. 17 ground for an exempt one
/// (and only for it), at most 20 documents each with a title and a reference.
pub fn check(raw: &RawEntry, today: Date) -> InfoResult<Entry> {
    let category = Category::parse(&raw.category).ok_or(InformationError::BadCategory)?;
    let exemption = match (category, raw.exemption.trim()) {
        (Category::Dikecualikan, e) => {
            Some(Exemption::parse(e).ok_or(InformationError::ExemptionRequired)?)
        }
        (_, "") => None,
        _ => return Err(InformationError::ExemptionOnlyForExempt),
    };
    if raw.documents.len() > MAX_DOCUMENTS {
        return Err(InformationError::BadDocument);
    }
    let summary = raw.summary.trim();
    if summary.chars().count() > MAX_SUMMARY {
        return Err(InformationError::BadSummary);
    }
    Ok(Entry {
        category,
        title: text(&raw.title, MAX_TITLE, InformationError::BadTitle)?,
        summary: (!summary.is_empty()).then(|| summary.to_string()),
        legal_basis: text(&raw.legal_basis, MAX_BASIS, InformationError::BadLegalBasis)?,
        exemption,
        documents: raw
            .documents
            .iter()
            .map(document)
            .collect::<InfoResult<_>>()?,
        updated_on: updated_on(raw.updated_on.as_deref(), today)?,
    })
}

/// `day` plus `months` calendar months (the last day of a shorter month when it has no such
/// day: 31 August + 6 months is 28 or 29 February).
pub fn add_months(day: Date, months: u8) -> Date {
    let total = i32::from(u8::from(day.month()) - 1) + i32::from(months);
    let year = day.year() + total / 12;
    let month =
        Month::try_from(u8::try_from(total % 12 + 1).unwrap_or(1)).unwrap_or(Month::January);
    let last = month.length(year);
    Date::from_calendar_date(year, month, day.day().min(last)).unwrap_or(day)
}

/// Is the entry late on `today`? Only berkala information has a period: late once six months
/// have passed since its last update.
pub fn late(category: Category, updated_on: Date, today: Date) -> bool {
    category == Category::Berkala && today > add_months(updated_on, BERKALA_MONTHS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn raw(category: &str) -> RawEntry {
        RawEntry {
            category: category.into(),
            title: "Laporan keuangan".into(),
            legal_basis: "UU 14/2008 Pasal 9 ayat (2) huruf c".into(),
            ..RawEntry::default()
        }
    }

    #[test]
    fn berkala_is_late_the_day_after_six_months() {
        let d = date!(2026 - 06 - 05);
        assert!(!late(Category::Berkala, d, date!(2026 - 12 - 05)));
        assert!(late(Category::Berkala, d, date!(2026 - 12 - 06)));
        assert!(!late(Category::SetiapSaat, d, date!(2030 - 01 - 01)));
        assert_eq!(add_months(date!(2026 - 08 - 31), 6), date!(2027 - 02 - 28));
        assert_eq!(add_months(date!(2027 - 08 - 31), 6), date!(2028 - 02 - 29));
    }

    #[test]
    fn an_exempt_entry_names_its_ground_and_only_it() {
        let today = date!(2026 - 12 - 06);
        assert_eq!(
            check(&raw("dikecualikan"), today).unwrap_err().to_string(),
            InformationError::ExemptionRequired.to_string()
        );
        let mut r = raw("dikecualikan");
        r.exemption = "h".into();
        assert_eq!(
            check(&r, today).unwrap().exemption,
            Some(Exemption::PersonalSecrets)
        );
        let mut r = raw("berkala");
        r.exemption = "h".into();
        assert!(check(&r, today).is_err());
        assert!(check(&raw("kadang"), today).is_err());
        let mut r = raw("serta-merta");
        r.updated_on = Some("2026-12-07".into());
        assert!(check(&r, today).is_err(), "not in the future");
        r.updated_on = Some("2026-01-31".into());
        let e = check(&r, today).unwrap();
        assert_eq!(
            (e.category, e.updated_on),
            (Category::SertaMerta, date!(2026 - 01 - 31))
        );
    }
}
