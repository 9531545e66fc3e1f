//! Appointments counted per month of their decree date, with those inside a window (without
//! and with the Minister's approval): the table beside the public timeline.

use serde::Serialize;
use time::Date;

/// One month's counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MonthCount {
    /// `YYYY-MM`
    pub month: String,
    pub year: i32,
    pub month_number: u8,
    pub appointments: u32,
    /// Inside a window without the Minister's approval.
    pub flagged: u32,
    /// Inside a window with the Minister's approval.
    pub approved: u32,
}

/// What counting needs of one appointment.
#[derive(Clone, Copy, Debug)]
pub struct Counted {
    pub decree_date: Date,
    pub flagged: bool,
    pub approved: bool,
}

/// Counts per month, oldest first; months without appointments are left out.
pub fn per_month(items: &[Counted]) -> Vec<MonthCount> {
    let mut out: Vec<MonthCount> = Vec::new();
    let mut sorted: Vec<&Counted> = items.iter().collect();
    sorted.sort_by_key(|c| c.decree_date);
    for c in sorted {
        let (y, m) = (c.decree_date.year(), u8::from(c.decree_date.month()));
        let row = match out.last_mut() {
            Some(r) if r.year == y && r.month_number == m => r,
            _ => {
                out.push(MonthCount {
                    month: format!("{y:04}-{m:02}"),
                    year: y,
                    month_number: m,
                    appointments: 0,
                    flagged: 0,
                    approved: 0,
                });
                match out.last_mut() {
                    Some(r) => r,
                    None => continue,
                }
            }
        };
        row.appointments += 1;
        if c.flagged && c.approved {
            row.approved += 1;
        } else if c.flagged {
            row.flagged += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn counts_per_month_in_order() {
        let c = |d, flagged, approved| Counted {
            decree_date: d,
            flagged,
            approved,
        };
        let rows = per_month(&[
            c(date!(2024 - 05 - 02), true, false),
            c(date!(2024 - 01 - 10), false, false),
            c(date!(2024 - 05 - 20), true, true),
            c(date!(2024 - 05 - 21), false, true),
        ]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].month, "2024-01");
        assert_eq!((rows[0].appointments, rows[0].flagged), (1, 0));
        assert_eq!(
            (rows[1].appointments, rows[1].flagged, rows[1].approved),
            (3, 1, 1)
        );
        assert!(per_month(&[]).is_empty());
    }
}
