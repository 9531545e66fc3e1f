//! The public register of one appointing government: its appointments (no NIP) with their
//! flags, the elections over it with their windows, and the counts per month.

use balai_core::regions::{self, RegionCode};
use balai_core::Db;

use crate::domain::months::{self, Counted, MonthCount};
use crate::errors::{NResult, NeutralityError};
use crate::queries::windows::{self, ElectionWindows};
use crate::store::appointments::{self, PublicRow};
use crate::store::flags::{self, FlagRow};

/// One appointment with its flags.
#[derive(Clone, Debug)]
pub struct Entry {
    pub row: PublicRow,
    pub flags: Vec<FlagRow>,
}

impl Entry {
    /// Inside a window without the Minister's approval.
    pub fn unapproved(&self) -> bool {
        self.flags.iter().any(|f| !f.approved)
    }
}

/// A region's register.
#[derive(Clone, Debug)]
pub struct Register {
    pub region_code: String,
    pub region_name: String,
    pub elections: Vec<ElectionWindows>,
    pub entries: Vec<Entry>,
    pub months: Vec<MonthCount>,
}

/// Parse a region parameter (a province, regency or city that exists).
pub async fn region(db: &Db, code: &str) -> NResult<(RegionCode, String)> {
    if code.trim().is_empty() {
        return Err(NeutralityError::RegionRequired);
    }
    let parsed = RegionCode::parse(code.trim())
        .ok()
        .filter(|r| {
            matches!(
                r.level(),
                regions::Level::Province | regions::Level::Regency
            )
        })
        .ok_or(NeutralityError::Invalid(
            crate::domain::appointment::Invalid::BadRegion,
        ))?;
    let row = regions::get(db, &parsed)
        .await?
        .ok_or(NeutralityError::UnknownRegion)?;
    Ok((parsed, row.name))
}

pub async fn load(db: &Db, code: &str) -> NResult<Register> {
    let (region, region_name) = region(db, code).await?;
    let rows = appointments::public_in(db, region.as_str()).await?;
    let mut all_flags = flags::in_region(db, region.as_str()).await?;
    let entries: Vec<Entry> = rows
        .into_iter()
        .map(|row| {
            let (mine, rest): (Vec<FlagRow>, Vec<FlagRow>) = all_flags
                .drain(..)
                .partition(|f| f.appointment_id == row.id);
            all_flags = rest;
            Entry { row, flags: mine }
        })
        .collect();
    let counted: Vec<Counted> = entries
        .iter()
        .map(|e| Counted {
            decree_date: e.row.decree_date,
            flagged: !e.flags.is_empty(),
            approved: !e.flags.is_empty() && !e.unapproved(),
        })
        .collect();
    Ok(Register {
        region_code: region.as_str().to_string(),
        region_name,
        elections: windows::over(db, &region).await?,
        months: months::per_month(&counted),
        entries,
    })
}
