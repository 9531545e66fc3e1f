//! The working-day calendar: weekends, national holidays and cuti bersama.
//!
//! Deadlines in Balai are counted in working days (LAPOR!, UU KIP, service standards). Each
//! running deadline is a row in `clocks`; when an admin edits the calendar, every open clock's
//! due day is recomputed in the same transaction, so no deadline is left stale.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use time::{Date, Weekday};

use crate::db::{Db, Tx, TxPart};
use crate::{with_db, with_tx};

pub static HOLIDAYS_CSV: &str = include_str!("../../../data/holidays/holidays.csv");

/// Weekends and a set of non-working days.
#[derive(Clone, Debug, Default)]
pub struct Calendar {
    off: BTreeSet<Date>,
}

impl Calendar {
    pub fn new(off: impl IntoIterator<Item = Date>) -> Self {
        Calendar {
            off: off.into_iter().collect(),
        }
    }

    pub fn is_working_day(&self, d: Date) -> bool {
        !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) && !self.off.contains(&d)
    }

    /// The day that is `n` working days after `start` (the start day itself does not count).
    /// `n = 0` gives `start` if it is a working day, else the next working day.
    pub fn add_working_days(&self, start: Date, n: u32) -> Date {
        let mut d = start;
        if n == 0 {
            while !self.is_working_day(d) {
                d = d.next_day().unwrap_or(d);
            }
            return d;
        }
        let mut left = n;
        while left > 0 {
            match d.next_day() {
                Some(next) => d = next,
                None => return d,
            }
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days from `from` (exclusive) to `to` (inclusive); negative if `to` is earlier.
    pub fn working_days_between(&self, from: Date, to: Date) -> i64 {
        let (a, b, sign) = if from <= to {
            (from, to, 1)
        } else {
            (to, from, -1)
        };
        let mut d = a;
        let mut n = 0;
        while d < b {
            match d.next_day() {
                Some(next) => d = next,
                None => break,
            }
            if self.is_working_day(d) {
                n += 1;
            }
        }
        n * sign
    }
}

// `YYYY-MM-DD` in JSON, as the OpenAPI schema says (time's default is `[year, ordinal]`).
time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

#[derive(Clone, Debug, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Holiday {
    #[schema(value_type = String, format = Date)]
    #[serde(with = "iso_date")]
    pub day: Date,
    /// `libur_nasional`, `cuti_bersama` or `libur_daerah`.
    pub kind: String,
    pub name_id: String,
    pub name_en: String,
    /// False for estimates that must still be checked against the official decree.
    pub confirmed: bool,
    pub source: String,
}

pub const HOLIDAY_KINDS: &[&str] = &["libur_nasional", "cuti_bersama", "libur_daerah"];

/// Parse an ISO `YYYY-MM-DD` day (the one date format of the calendar's CSV, forms and API).
pub fn parse_iso_day(s: &str) -> Option<Date> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s.trim(), &fmt).ok()
}

/// Parse the shipped CSV.
pub fn shipped_holidays() -> Result<Vec<Holiday>, String> {
    let mut rdr = csv::Reader::from_reader(HOLIDAYS_CSV.as_bytes());
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| e.to_string())?;
        let raw = rec.get(0).unwrap_or("");
        let day = parse_iso_day(raw).ok_or_else(|| format!("bad date {raw:?}"))?;
        out.push(Holiday {
            day,
            kind: rec.get(1).unwrap_or("").to_string(),
            name_id: rec.get(2).unwrap_or("").to_string(),
            name_en: rec.get(3).unwrap_or("").to_string(),
            confirmed: rec.get(4) == Some("true"),
            source: rec.get(5).unwrap_or("").to_string(),
        });
    }
    Ok(out)
}

pub async fn load_shipped_if_empty(db: &Db) -> anyhow::Result<usize> {
    let have: i64 = with_db!(db, |c| sqlx::query_scalar("SELECT COUNT(*) FROM holidays")
        .fetch_one(c)
        .await)?;
    if have > 0 {
        return Ok(0);
    }
    let list = shipped_holidays().map_err(anyhow::Error::msg)?;
    let mut tx = db.begin().await?;
    for h in &list {
        upsert_holiday_row(&mut tx, h).await?;
    }
    tx.commit().await?;
    Ok(list.len())
}

async fn upsert_holiday_row(tx: &mut Tx, h: &Holiday) -> Result<(), sqlx::Error> {
    forget_in_tx(tx);
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO holidays (day, kind, name_id, name_en, confirmed, source, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name_id = excluded.name_id,
           name_en = excluded.name_en, confirmed = excluded.confirmed, source = excluded.source,
           updated_at = excluded.updated_at"
    )
    .bind(h.day)
    .bind(&h.kind)
    .bind(&h.name_id)
    .bind(&h.name_en)
    .bind(h.confirmed)
    .bind(&h.source)
    .bind(crate::db::now())
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn list_holidays(db: &Db) -> Result<Vec<Holiday>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, Holiday>(
        "SELECT day, kind, name_id, name_en, confirmed, source FROM holidays ORDER BY day"
    )
    .fetch_all(c)
    .await)
}

pub async fn load(db: &Db) -> Result<Calendar, sqlx::Error> {
    Ok(Calendar::new(
        list_holidays(db).await?.into_iter().map(|h| h.day),
    ))
}

/// The calendar as read in a transaction, kept with it: dropped when holidays change in it or
/// a savepoint is rolled back.
#[derive(Default)]
struct InTx(Option<Arc<Calendar>>);

impl TxPart for InTx {
    fn as_any(&mut self) -> &mut dyn std::any::Any {
        self
    }

    fn rewind(&mut self, _mark: usize) {
        self.0 = None;
    }
}

fn forget_in_tx(tx: &mut Tx) {
    if let Some(kept) = tx.part::<InTx>() {
        kept.0 = None;
    }
}

/// The calendar, read once per transaction (a group commit starts many clocks in one).
async fn load_in_tx(tx: &mut Tx) -> Result<Arc<Calendar>, sqlx::Error> {
    if let Some(cal) = tx.part::<InTx>().and_then(|k| k.0.clone()) {
        return Ok(cal);
    }
    let days: Vec<Date> = with_tx!(tx, |c| sqlx::query_scalar("SELECT day FROM holidays")
        .fetch_all(&mut *c)
        .await)?;
    let cal = Arc::new(Calendar::new(days));
    tx.part_or_insert_with(InTx::default)?.0 = Some(cal.clone());
    Ok(cal)
}

/// Add or change a holiday and recompute open clocks, in the caller's transaction.
pub async fn upsert_holiday(tx: &mut Tx, h: &Holiday) -> Result<u64, sqlx::Error> {
    upsert_holiday_row(tx, h).await?;
    recompute_open_clocks(tx).await
}

/// Remove a holiday (it becomes a working day) and recompute open clocks.
pub async fn delete_holiday(tx: &mut Tx, day: Date) -> Result<bool, sqlx::Error> {
    forget_in_tx(tx);
    let n = with_tx!(tx, |c| sqlx::query("DELETE FROM holidays WHERE day = $1")
        .bind(day)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    recompute_open_clocks(tx).await?;
    Ok(n > 0)
}

/// A running deadline owned by some feature's record.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Clock {
    pub id: i64,
    pub subject_kind: String,
    pub subject_id: String,
    pub purpose: String,
    pub start_day: Date,
    pub working_days: i64,
    pub due_day: Date,
    pub open: bool,
}

/// Start (or restart) the clock `purpose` for a subject; returns the due day.
pub async fn start_clock(
    tx: &mut Tx,
    subject_kind: &str,
    subject_id: &str,
    purpose: &str,
    start_day: Date,
    working_days: u32,
) -> Result<Date, sqlx::Error> {
    let due = start_clocks(
        tx,
        &[NewClock {
            subject_kind,
            subject_id: subject_id.to_string(),
            purpose,
            start_day,
            working_days,
        }],
    )
    .await?;
    due.first()
        .copied()
        .ok_or_else(|| sqlx::Error::Protocol("no due day for a started clock".into()))
}

/// A clock to start with [`start_clocks`].
#[derive(Clone, Debug)]
pub struct NewClock<'a> {
    pub subject_kind: &'a str,
    pub subject_id: String,
    pub purpose: &'a str,
    pub start_day: Date,
    pub working_days: u32,
}

/// Start (or restart) many clocks in one statement; returns their due days, in order. A clock
/// named twice keeps its last start.
pub async fn start_clocks(tx: &mut Tx, clocks: &[NewClock<'_>]) -> Result<Vec<Date>, sqlx::Error> {
    let cal = load_in_tx(tx).await?;
    let due: Vec<Date> = clocks
        .iter()
        .map(|k| cal.add_working_days(k.start_day, k.working_days))
        .collect();
    // One row per clock (PostgreSQL refuses to update a row twice in one statement).
    let mut last = std::collections::HashMap::new();
    for (i, k) in clocks.iter().enumerate() {
        last.insert((k.subject_kind, k.subject_id.as_str(), k.purpose), i);
    }
    let mut rows: Vec<usize> = last.into_values().collect();
    rows.sort_unstable();
    let now = crate::db::now();
    for chunk in rows.chunks(500) {
        with_tx!(tx, |c| {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO clocks (subject_kind, subject_id, purpose, start_day, working_days,
                   due_day, open, created_at) ",
            );
            q.push_values(chunk, |mut b, i| {
                let k = &clocks[*i];
                b.push_bind(k.subject_kind)
                    .push_bind(&k.subject_id)
                    .push_bind(k.purpose)
                    .push_bind(k.start_day)
                    .push_bind(i64::from(k.working_days))
                    .push_bind(due[*i])
                    .push_bind(true)
                    .push_bind(now);
            });
            q.push(
                " ON CONFLICT (subject_kind, subject_id, purpose) DO UPDATE SET
                   start_day = excluded.start_day, working_days = excluded.working_days,
                   due_day = excluded.due_day, open = TRUE",
            );
            q.build().execute(&mut *c).await.map(|_| ())
        })?;
    }
    Ok(due)
}

pub async fn stop_clock(
    tx: &mut Tx,
    subject_kind: &str,
    subject_id: &str,
    purpose: &str,
) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query(
        "UPDATE clocks SET open = FALSE WHERE subject_kind = $1 AND subject_id = $2 AND purpose = $3"
    )
    .bind(subject_kind)
    .bind(subject_id)
    .bind(purpose)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected())
    })?;
    Ok(())
}

pub async fn get_clock(
    db: &Db,
    subject_kind: &str,
    subject_id: &str,
    purpose: &str,
) -> Result<Option<Clock>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as::<_, Clock>(
        "SELECT id, subject_kind, subject_id, purpose, start_day, working_days, due_day, open FROM clocks
         WHERE subject_kind = $1 AND subject_id = $2 AND purpose = $3"
    )
    .bind(subject_kind)
    .bind(subject_id)
    .bind(purpose)
    .fetch_optional(c)
    .await
    })
}

/// The earliest due day among the open clocks of a subject with one of `purposes`.
pub async fn earliest_open_due(
    db: &Db,
    subject_kind: &str,
    subject_id: &str,
    purposes: &[&str],
) -> Result<Option<Date>, sqlx::Error> {
    if purposes.is_empty() {
        return Ok(None);
    }
    let due: Vec<Date> = with_db!(db, |c| {
        let mut q = sqlx::QueryBuilder::new(
            "SELECT due_day FROM clocks WHERE open = TRUE AND subject_kind = ",
        );
        q.push_bind(subject_kind)
            .push(" AND subject_id = ")
            .push_bind(subject_id)
            .push(" AND purpose IN (");
        let mut list = q.separated(", ");
        for p in purposes {
            list.push_bind(*p);
        }
        q.push(")");
        q.build_query_scalar().fetch_all(c).await
    })?;
    Ok(due.into_iter().min())
}

/// Recompute every open clock's due day against the current calendar; returns how many moved.
pub async fn recompute_open_clocks(tx: &mut Tx) -> Result<u64, sqlx::Error> {
    let cal = load_in_tx(tx).await?;
    let open: Vec<(i64, Date, i64, Date)> = with_tx!(tx, |c| sqlx::query_as(
        "SELECT id, start_day, working_days, due_day FROM clocks WHERE open = TRUE"
    )
    .fetch_all(&mut *c)
    .await)?;
    let mut moved = 0;
    for (id, start, n, due) in open {
        let new_due = cal.add_working_days(start, u32::try_from(n).unwrap_or(0));
        if new_due != due {
            with_tx!(tx, |c| sqlx::query(
                "UPDATE clocks SET due_day = $1 WHERE id = $2"
            )
            .bind(new_due)
            .bind(id)
            .execute(&mut *c)
            .await
            .map(|r| r.rows_affected()))?;
            moved += 1;
        }
    }
    Ok(moved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn cal() -> Calendar {
        Calendar::new(shipped_holidays().unwrap().into_iter().map(|h| h.day))
    }

    #[test]
    fn shipped_file_parses_and_covers_2024_to_2027() {
        let list = shipped_holidays().unwrap();
        for y in 2024..=2027 {
            assert!(list.iter().any(|h| h.day.year() == y), "{y}");
        }
        assert!(list
            .iter()
            .all(|h| HOLIDAY_KINDS.contains(&h.kind.as_str())));
        // Pilkada 2024 voting day was a national holiday.
        assert!(list.iter().any(|h| h.day == date!(2024 - 11 - 27)));
    }

    #[test]
    fn weekends_skip() {
        let c = Calendar::default();
        // Friday 2025-01-03 + 1 working day = Monday 2025-01-06
        assert_eq!(
            c.add_working_days(date!(2025 - 01 - 03), 1),
            date!(2025 - 01 - 06)
        );
        assert_eq!(
            c.add_working_days(date!(2025 - 01 - 04), 0),
            date!(2025 - 01 - 06)
        );
        assert_eq!(
            c.add_working_days(date!(2025 - 01 - 06), 5),
            date!(2025 - 01 - 13)
        );
    }

    #[test]
    fn lebaran_2024_holidays_and_cuti_bersama_skip() {
        let c = cal();
        // Idul Fitri 2024: 10–11 April holidays, 8, 9, 12 and 15 April cuti bersama.
        // A report on Friday 5 April: 3 working days → 16, 17, 18 April.
        assert_eq!(
            c.add_working_days(date!(2024 - 04 - 05), 3),
            date!(2024 - 04 - 18)
        );
        assert!(!c.is_working_day(date!(2024 - 04 - 15)));
        assert_eq!(
            c.working_days_between(date!(2024 - 04 - 05), date!(2024 - 04 - 18)),
            3
        );
        assert_eq!(
            c.working_days_between(date!(2024 - 04 - 18), date!(2024 - 04 - 05)),
            -3
        );
        // Pilkada day 27 Nov 2024 (Wednesday) is off: Tue 26 + 1 → Thu 28.
        assert_eq!(
            c.add_working_days(date!(2024 - 11 - 26), 1),
            date!(2024 - 11 - 28)
        );
    }
}
