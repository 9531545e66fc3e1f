//! A month as a calendar grid (weeks from Monday), for the public calendar of activities.

use time::{Date, Month};

/// The weeks of a month, Monday first; `None` outside the month.
pub fn weeks(year: i32, month: Month) -> Vec<[Option<u8>; 7]> {
    let Ok(first) = Date::from_calendar_date(year, month, 1) else {
        return Vec::new();
    };
    let days = month.length(year);
    let lead = first.weekday().number_days_from_monday();
    let mut out = Vec::new();
    let mut week = [None; 7];
    let mut col = usize::from(lead);
    for d in 1..=days {
        if let Some(cell) = week.get_mut(col) {
            *cell = Some(d);
        }
        col += 1;
        if col == 7 {
            out.push(week);
            week = [None; 7];
            col = 0;
        }
    }
    if col > 0 {
        out.push(week);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn december_2024_starts_on_a_sunday() {
        let w = weeks(2024, Month::December);
        assert_eq!(w[0], [None, None, None, None, None, None, Some(1)]);
        assert_eq!(w.len(), 6);
        assert_eq!(w[5][0], Some(30));
        assert_eq!(w[5][1], Some(31));
        // February 2021 fills exactly four weeks.
        assert_eq!(weeks(2021, Month::February).len(), 4);
    }
}
