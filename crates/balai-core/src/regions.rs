//! Kemendagri region codes and the shipped hierarchy (idn-area-data 4.0.1, ODbL).

pub mod finder;
pub mod picker;

use std::fmt;

use serde::Serialize;

use crate::db::{Db, Tx};
use crate::error::AppError;
use crate::{with_db, with_tx};

/// The pinned region list: `code<TAB>name`, sorted by code.
pub static REGIONS_TSV: &str = include_str!("../../../data/regions/regions.tsv");
/// `province_code<TAB>WIB|WITA|WIT`.
pub static TIMEZONES_TSV: &str = include_str!("../../../data/regions/timezones.tsv");
pub const EXPECTED_COUNT: usize = 38 + 514 + 7_285 + 83_762;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Province,
    Regency,
    District,
    Village,
}

impl Level {
    /// The level of a dotted code by its number of parts (for a code already checked, e.g. one
    /// read from the database; [`RegionCode::parse`] checks one from outside).
    pub fn of(code: &str) -> Level {
        match code.split('.').count() {
            1 => Level::Province,
            2 => Level::Regency,
            3 => Level::District,
            _ => Level::Village,
        }
    }

    pub fn number(self) -> i64 {
        match self {
            Level::Province => 1,
            Level::Regency => 2,
            Level::District => 3,
            Level::Village => 4,
        }
    }
    pub fn from_number(n: i64) -> Option<Level> {
        match n {
            1 => Some(Level::Province),
            2 => Some(Level::Regency),
            3 => Some(Level::District),
            4 => Some(Level::Village),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::Regency => "regency",
            Level::District => "district",
            Level::Village => "village",
        }
    }
}

/// A syntactically valid dotted region code: `PP`, `PP.KK`, `PP.KK.CC` or `PP.KK.CC.NNNN`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct RegionCode(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("kode wilayah {0:?} tidak sah: gunakan bentuk PP, PP.KK, PP.KK.CC atau PP.KK.CC.NNNN")]
pub struct BadRegionCode(pub String);

impl RegionCode {
    pub fn parse(s: &str) -> Result<RegionCode, BadRegionCode> {
        let parts: Vec<&str> = s.split('.').collect();
        let widths = [2usize, 2, 2, 4];
        let ok = !parts.is_empty()
            && parts.len() <= 4
            && parts
                .iter()
                .zip(widths.iter())
                .all(|(p, w)| p.len() == *w && p.bytes().all(|b| b.is_ascii_digit()));
        if ok {
            Ok(RegionCode(s.to_string()))
        } else {
            Err(BadRegionCode(s.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn level(&self) -> Level {
        Level::of(&self.0)
    }

    pub fn parent(&self) -> Option<RegionCode> {
        self.0
            .rfind('.')
            .map(|i| RegionCode(self.0[..i].to_string()))
    }

    pub fn province(&self) -> &str {
        &self.0[..2]
    }

    /// Is `other` this region or inside it?
    pub fn contains(&self, other: &str) -> bool {
        other == self.0
            || (other.starts_with(&self.0) && other.as_bytes().get(self.0.len()) == Some(&b'.'))
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<BadRegionCode> for AppError {
    fn from(e: BadRegionCode) -> Self {
        AppError::bad_request(
            "bad_region_code",
            e.to_string(),
            format!(
                "region code {:?} is malformed: use PP, PP.KK, PP.KK.CC or PP.KK.CC.NNNN",
                e.0
            ),
        )
    }
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct RegionRow {
    pub code: String,
    pub name: String,
    pub level: i64,
    pub parent_code: Option<String>,
    pub tz: String,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct RegionRef {
    pub code: String,
    pub name: String,
}

fn search_key(name: &str) -> String {
    name.to_lowercase()
}

/// Insert the shipped hierarchy if the table is empty. Returns how many rows were loaded.
pub async fn load_if_empty(db: &Db) -> Result<usize, sqlx::Error> {
    let have: i64 = with_db!(db, |c| sqlx::query_scalar("SELECT COUNT(*) FROM regions")
        .fetch_one(c)
        .await)?;
    if have > 0 {
        return Ok(0);
    }
    let tz: std::collections::HashMap<&str, &str> = TIMEZONES_TSV
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .collect();
    let rows: Vec<(&str, &str)> = REGIONS_TSV
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .collect();
    let mut tx = db.begin().await?;
    // Parents sort before children, so inserting in file order satisfies the foreign key.
    for chunk in rows.chunks(2000) {
        with_tx!(&mut tx, |c| {
            let mut qb = sqlx::QueryBuilder::new(
                "INSERT INTO regions (code, name, level, parent_code, tz, name_search) ",
            );
            qb.push_values(chunk, |mut b, (code, name)| {
                let level = code.split('.').count() as i64;
                let parent = code.rfind('.').map(|i| code[..i].to_string());
                let zone = tz.get(&code[..2.min(code.len())]).copied().unwrap_or("WIB");
                b.push_bind(code.to_string())
                    .push_bind(name.to_string())
                    .push_bind(level)
                    .push_bind(parent)
                    .push_bind(zone.to_string())
                    .push_bind(search_key(name));
            });
            qb.push(" ON CONFLICT (code) DO NOTHING");
            qb.build().execute(&mut *c).await?;
        });
    }
    tx.commit().await?;
    Ok(rows.len())
}

pub async fn get(db: &Db, code: &RegionCode) -> Result<Option<RegionRow>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, RegionRow>(
        "SELECT code, name, level, parent_code, tz FROM regions WHERE code = $1"
    )
    .bind(code.as_str())
    .fetch_optional(c)
    .await)
}

pub async fn exists_in_tx(tx: &mut Tx, code: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM regions WHERE code = $1"
    )
    .bind(code)
    .fetch_one(&mut *c)
    .await)?;
    Ok(n > 0)
}

pub async fn children(db: &Db, code: &RegionCode) -> Result<Vec<RegionRef>, sqlx::Error> {
    let rows: Vec<(String, String)> = with_db!(db, |c| sqlx::query_as(
        "SELECT code, name FROM regions WHERE parent_code = $1 ORDER BY code"
    )
    .bind(code.as_str())
    .fetch_all(c)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(code, name)| RegionRef { code, name })
        .collect())
}

pub async fn provinces(db: &Db) -> Result<Vec<RegionRef>, sqlx::Error> {
    let rows: Vec<(String, String)> = with_db!(db, |c| sqlx::query_as(
        "SELECT code, name FROM regions WHERE level = 1 ORDER BY code"
    )
    .fetch_all(c)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(code, name)| RegionRef { code, name })
        .collect())
}

/// Name search (case-insensitive substring), larger regions first.
pub async fn search(db: &Db, q: &str, limit: i64) -> Result<Vec<RegionRow>, sqlx::Error> {
    let pattern = format!("%{}%", search_key(q).replace(['\\', '%', '_'], ""));
    with_db!(db, |c| {
        sqlx::query_as::<_, RegionRow>(
        "SELECT code, name, level, parent_code, tz FROM regions WHERE name_search LIKE $1 ORDER BY level, code LIMIT $2"
    )
    .bind(&pattern)
    .bind(limit)
    .fetch_all(c)
    .await
    })
}

/// The chain from the province down to `code` (inclusive), for breadcrumbs.
pub async fn ancestry(db: &Db, code: &RegionCode) -> Result<Vec<RegionRef>, sqlx::Error> {
    let mut out = Vec::new();
    let mut cur = Some(code.clone());
    while let Some(c) = cur {
        if let Some(r) = get(db, &c).await? {
            out.push(RegionRef {
                code: r.code,
                name: r.name,
            });
        }
        cur = c.parent();
    }
    out.reverse();
    Ok(out)
}

/// The name of a region level (1 province … 4 village) in `lang`; empty for another level.
pub fn level_name(level: i64, lang: crate::i18n::Lang) -> &'static str {
    match level {
        1 => lang.tr("Provinsi", "Province"),
        2 => lang.tr("Kabupaten/Kota", "Regency/City"),
        3 => lang.tr("Kecamatan", "District"),
        4 => lang.tr("Desa/Kelurahan", "Village"),
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_codes() {
        assert_eq!(
            RegionCode::parse("32.79.01.1001").unwrap().level(),
            Level::Village
        );
        assert_eq!(RegionCode::parse("16.71").unwrap().level(), Level::Regency);
        assert_eq!(RegionCode::parse("19").unwrap().level(), Level::Province);
        for bad in [
            "",
            "1",
            "123",
            "32.7",
            "32.79.01.101",
            "32.79.01.1001.1",
            "ab",
            "32-79",
            "32.79.",
        ] {
            assert!(RegionCode::parse(bad).is_err(), "{bad}");
        }
        let banjar = RegionCode::parse("32.79").unwrap();
        assert!(banjar.contains("32.79.01.1001"));
        assert!(banjar.contains("32.79"));
        assert!(!banjar.contains("32.791"));
        assert!(!banjar.contains("16.71"));
        assert_eq!(banjar.parent().unwrap().as_str(), "32");
    }

    #[test]
    fn shipped_data_is_complete() {
        let mut counts = [0usize; 5];
        let mut codes = std::collections::HashSet::new();
        for line in REGIONS_TSV.lines() {
            let (code, name) = line.split_once('\t').unwrap();
            let rc = RegionCode::parse(code).unwrap();
            assert!(!name.is_empty());
            counts[rc.level().number() as usize] += 1;
            if let Some(p) = rc.parent() {
                assert!(codes.contains(p.as_str()), "parent of {code} comes first");
            }
            codes.insert(code.to_string());
        }
        assert_eq!(&counts[1..], &[38, 514, 7_285, 83_762]);
        assert_eq!(codes.len(), EXPECTED_COUNT);
        assert_eq!(TIMEZONES_TSV.lines().count(), 38);
    }
}
