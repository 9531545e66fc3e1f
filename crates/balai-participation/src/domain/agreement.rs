//! An agreement (nota kesepahaman / perjanjian kerja sama): number, title, parties (Balai
//! agencies and outside organisations by name), signing date, validity, clauses, legal basis;
//! it expires and can be renewed (DOMAIN.md §11).

use time::{Date, Duration};

use super::invalid::Invalid;
use super::text::{date, optional, required};

pub const MAX_PARTIES: usize = 20;
pub const MAX_CLAUSES: usize = 100;
pub const TITLE_MAX: usize = 300;
pub const NUMBER_MAX: usize = 100;
pub const PARTY_MAX: usize = 200;
pub const CLAUSE_MAX: usize = 2000;
pub const LEGAL_BASIS_MAX: usize = 500;
/// How many days before its validity ends the parties' admins are reminded.
pub const REMINDER_DAYS_AHEAD: i64 = 30;

/// An agreement as sent (form or API), not yet checked.
#[derive(Clone, Debug, Default)]
pub struct Draft {
    pub title: String,
    pub number: String,
    pub agency_ids: Vec<i64>,
    pub other_parties: Vec<String>,
    pub signed_on: String,
    pub valid_from: String,
    pub valid_until: String,
    pub clauses: Vec<String>,
    pub legal_basis: String,
}

/// A checked agreement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAgreement {
    pub title: String,
    pub number: String,
    pub agency_ids: Vec<i64>,
    pub other_parties: Vec<String>,
    pub signed_on: Date,
    pub valid_from: Date,
    pub valid_until: Date,
    pub clauses: Vec<String>,
    pub legal_basis: Option<String>,
}

pub fn validate(d: &Draft) -> Result<NewAgreement, Invalid> {
    let title = required(&d.title, "title", TITLE_MAX)?;
    let number = required(&d.number, "number", NUMBER_MAX)?;
    if d.agency_ids.is_empty() {
        return Err(Invalid::NoAgencyParty);
    }
    if d.agency_ids.len() + d.other_parties.len() > MAX_PARTIES {
        return Err(Invalid::List("parties", MAX_PARTIES));
    }
    let mut ids = d.agency_ids.clone();
    ids.sort_unstable();
    ids.dedup();
    let mut names = Vec::with_capacity(d.other_parties.len());
    for p in &d.other_parties {
        let name = required(p, "other_parties", PARTY_MAX)?;
        if names
            .iter()
            .any(|n: &String| n.to_lowercase() == name.to_lowercase())
        {
            return Err(Invalid::DuplicateParty);
        }
        names.push(name);
    }
    if ids.len() != d.agency_ids.len() {
        return Err(Invalid::DuplicateParty);
    }
    if d.clauses.len() > MAX_CLAUSES {
        return Err(Invalid::List("clauses", MAX_CLAUSES));
    }
    let clauses = d
        .clauses
        .iter()
        .map(|c| required(c, "clauses", CLAUSE_MAX))
        .collect::<Result<Vec<_>, _>>()?;
    let signed_on = date(&d.signed_on, "signed_on")?;
    let valid_from = date(&d.valid_from, "valid_from")?;
    let valid_until = date(&d.valid_until, "valid_until")?;
    if valid_until < valid_from {
        return Err(Invalid::ValidityEndsBeforeStart);
    }
    if signed_on > valid_until {
        return Err(Invalid::SignedAfterValidity);
    }
    Ok(NewAgreement {
        title,
        number,
        agency_ids: d.agency_ids.clone(),
        other_parties: names,
        signed_on,
        valid_from,
        valid_until,
        clauses,
        legal_basis: optional(&d.legal_basis, "legal_basis", LEGAL_BASIS_MAX)?,
    })
}

/// Where an agreement stands on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    Upcoming,
    InForce,
    Expired,
    /// Ended before its validity ran out (pengakhiran), from its end date on.
    Ended,
}

impl Standing {
    /// Where it stands on `today`; `ended_on` is the first day it is no longer in force after
    /// an early end, if one was recorded.
    pub fn on(
        valid_from: Date,
        valid_until: Date,
        ended_on: Option<Date>,
        today: Date,
    ) -> Standing {
        if ended_on.is_some_and(|e| today >= e) {
            Standing::Ended
        } else if today < valid_from {
            Standing::Upcoming
        } else if today > valid_until {
            Standing::Expired
        } else {
            Standing::InForce
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Standing::Upcoming => "upcoming",
            Standing::InForce => "in_force",
            Standing::Expired => "expired",
            Standing::Ended => "ended",
        }
    }

    /// (Indonesian, English).
    pub const fn label(self) -> (&'static str, &'static str) {
        match self {
            Standing::Upcoming => ("Belum berlaku", "Not yet in force"),
            Standing::InForce => ("Berlaku", "In force"),
            Standing::Expired => ("Berakhir", "Expired"),
            Standing::Ended => ("Diakhiri sebelum waktunya", "Ended early"),
        }
    }
}

/// A renewal as sent.
#[derive(Clone, Debug, Default)]
pub struct RenewalDraft {
    pub number: String,
    pub signed_on: String,
    pub valid_until: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRenewal {
    pub number: String,
    pub signed_on: Date,
    pub valid_until: Date,
}

/// A renewal moves the end of validity later than it is now.
pub fn validate_renewal(d: &RenewalDraft, current_until: Date) -> Result<NewRenewal, Invalid> {
    let number = required(&d.number, "number", NUMBER_MAX)?;
    let signed_on = date(&d.signed_on, "signed_on")?;
    let valid_until = date(&d.valid_until, "valid_until")?;
    if valid_until <= current_until {
        return Err(Invalid::RenewalNotLater);
    }
    if signed_on > valid_until {
        return Err(Invalid::SignedAfterValidity);
    }
    Ok(NewRenewal {
        number,
        signed_on,
        valid_until,
    })
}

/// The day the parties are reminded of the end of validity: [`REMINDER_DAYS_AHEAD`] days
/// before it (or today, when that day has passed but the agreement has not expired yet).
pub fn reminder_day(valid_until: Date, today: Date) -> Option<Date> {
    if valid_until < today {
        return None;
    }
    let day = valid_until.checked_sub(Duration::days(REMINDER_DAYS_AHEAD))?;
    Some(day.max(today))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn draft() -> Draft {
        Draft {
            title: "Sosialisasi pemilih pemula".into(),
            number: "001/PKS/KPU-Kesbangpol/2024".into(),
            agency_ids: vec![3, 7],
            other_parties: vec!["PC NU Kota Banjar".into()],
            signed_on: "2024-03-01".into(),
            valid_from: "2024-03-01".into(),
            valid_until: "2024-12-31".into(),
            clauses: vec!["Para pihak menyelenggarakan sosialisasi.".into()],
            legal_basis: String::new(),
        }
    }

    #[test]
    fn validity_and_parties() {
        let a = validate(&draft()).unwrap();
        assert_eq!(a.valid_until, date!(2024 - 12 - 31));
        assert_eq!(a.legal_basis, None);
        let mut d = draft();
        d.valid_until = "2024-02-28".into();
        assert_eq!(validate(&d), Err(Invalid::ValidityEndsBeforeStart));
        let mut d = draft();
        d.agency_ids = vec![];
        assert_eq!(validate(&d), Err(Invalid::NoAgencyParty));
        let mut d = draft();
        d.agency_ids = vec![3, 3];
        assert_eq!(validate(&d), Err(Invalid::DuplicateParty));
        let mut d = draft();
        d.other_parties = vec!["A".into(), "a".into()];
        assert_eq!(validate(&d), Err(Invalid::DuplicateParty));
        let mut d = draft();
        d.signed_on = "2025-01-01".into();
        assert_eq!(validate(&d), Err(Invalid::SignedAfterValidity));
        // A one-day agreement is valid.
        let mut d = draft();
        d.valid_until = "2024-03-01".into();
        assert!(validate(&d).is_ok());
    }

    #[test]
    fn standing_renewal_and_reminder() {
        let (from, until) = (date!(2024 - 03 - 01), date!(2024 - 12 - 31));
        assert_eq!(
            Standing::on(from, until, None, date!(2024 - 02 - 29)),
            Standing::Upcoming
        );
        assert_eq!(Standing::on(from, until, None, until), Standing::InForce);
        assert_eq!(
            Standing::on(from, until, None, date!(2025 - 01 - 01)),
            Standing::Expired
        );
        // Ended early: in force up to the day before its end date, ended from that day on.
        let ended = Some(date!(2024 - 07 - 01));
        assert_eq!(
            Standing::on(from, until, ended, date!(2024 - 06 - 30)),
            Standing::InForce
        );
        assert_eq!(
            Standing::on(from, until, ended, date!(2024 - 07 - 01)),
            Standing::Ended
        );
        assert_eq!(
            Standing::on(from, until, ended, date!(2025 - 01 - 01)),
            Standing::Ended
        );
        let r = RenewalDraft {
            number: "002/PKS/2024".into(),
            signed_on: "2024-12-20".into(),
            valid_until: "2025-12-31".into(),
        };
        assert!(validate_renewal(&r, until).is_ok());
        assert_eq!(
            validate_renewal(&r, date!(2025 - 12 - 31)),
            Err(Invalid::RenewalNotLater)
        );
        assert_eq!(
            reminder_day(until, date!(2024 - 06 - 01)),
            Some(date!(2024 - 12 - 01))
        );
        assert_eq!(
            reminder_day(until, date!(2024 - 12 - 15)),
            Some(date!(2024 - 12 - 15))
        );
        assert_eq!(reminder_day(until, date!(2025 - 01 - 01)), None);
    }
}
