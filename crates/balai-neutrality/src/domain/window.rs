//! The windows in which a regional head may not replace officials without the Minister's
//! written approval, computed from an election's current schedule, and the flags an
//! appointment earns by falling inside one. Pure: dates in, windows and flags out.
//!
//! - UU 10/2016 art. 71(2): from 6 months before the designation of candidate pairs
//!   (`penetapan_paslon`) until the end of the term, in practice the inauguration of the winner
//!   (`pelantikan`): the window ends the day before it. With no inauguration in the schedule yet
//!   (KPU's schedule often stops at the result), the window stays open (`to` is `None`).
//! - UU 10/2016 art. 162(3): 6 months from the inauguration (the inauguration day to the day
//!   before the same day six months later).
//!
//! An appointment falls in a window when its decree date or its effective date does: the decree
//! is the act of replacement, and a decree signed before the window that takes effect inside it
//! replaces an official inside it all the same. A Minister's approval reference makes the
//! appointment lawful: it is still flagged, with `approved`.

use serde::Serialize;
use time::{Date, Duration, Month};

/// The rule a window comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Rule {
    /// UU 10/2016 art. 71(2): before the designation until the end of the term.
    #[serde(rename = "uu10_2016_pasal71_ayat2")]
    Pasal71Ayat2,
    /// UU 10/2016 art. 162(3): six months after the inauguration.
    #[serde(rename = "uu10_2016_pasal162_ayat3")]
    Pasal162Ayat3,
}

impl Rule {
    pub const ALL: [Rule; 2] = [Rule::Pasal71Ayat2, Rule::Pasal162Ayat3];

    pub const fn as_str(self) -> &'static str {
        match self {
            Rule::Pasal71Ayat2 => "uu10_2016_pasal71_ayat2",
            Rule::Pasal162Ayat3 => "uu10_2016_pasal162_ayat3",
        }
    }

    pub fn parse(s: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// How people cite it.
    pub const fn citation(self) -> &'static str {
        match self {
            Rule::Pasal71Ayat2 => "UU 10/2016 Pasal 71 ayat (2)",
            Rule::Pasal162Ayat3 => "UU 10/2016 Pasal 162 ayat (3)",
        }
    }
}

/// The stage dates of an election's current schedule that the windows need.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScheduleDates {
    /// First day of the `penetapan_paslon` stage.
    pub penetapan_paslon: Option<Date>,
    /// First day of the `pelantikan` stage.
    pub pelantikan: Option<Date>,
}

/// A window, both ends inclusive; `to: None` is open (no inauguration scheduled yet).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub rule: Rule,
    pub from: Date,
    pub to: Option<Date>,
}

impl Window {
    pub fn contains(&self, day: Date) -> bool {
        day >= self.from && self.to.is_none_or(|to| day <= to)
    }
}

/// The same day `months` months later (earlier when negative); a day the target month lacks
/// becomes its last day (31 August − 6 months = 28 or 29 February).
pub fn add_months(d: Date, months: i32) -> Date {
    let total = d.year() * 12 + (i32::from(u8::from(d.month())) - 1) + months;
    let year = total.div_euclid(12);
    let month_index = u8::try_from(total.rem_euclid(12) + 1).unwrap_or(1);
    let month = Month::try_from(month_index).unwrap_or(Month::January);
    let last = month.length(year);
    Date::from_calendar_date(year, month, d.day().min(last)).unwrap_or(d)
}

/// The windows of one election's schedule, in rule order; a rule whose stage is missing from
/// the schedule gives no window.
pub fn windows(s: &ScheduleDates) -> Vec<Window> {
    let mut out = Vec::new();
    if let Some(designation) = s.penetapan_paslon {
        let to = s
            .pelantikan
            .filter(|p| *p > designation)
            .map(|p| p - Duration::days(1));
        out.push(Window {
            rule: Rule::Pasal71Ayat2,
            from: add_months(designation, -6),
            to,
        });
    }
    if let Some(inauguration) = s.pelantikan {
        out.push(Window {
            rule: Rule::Pasal162Ayat3,
            from: inauguration,
            to: Some(add_months(inauguration, 6) - Duration::days(1)),
        });
    }
    out
}

/// The dates of an appointment the windows are checked against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dated {
    pub decree_date: Date,
    pub effective_date: Option<Date>,
    /// A Minister's (Mendagri) written approval is referenced.
    pub approved: bool,
}

/// An appointment inside a window of one election.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flag {
    pub rule: Rule,
    pub election_id: i64,
    pub window_from: Date,
    pub window_to: Option<Date>,
    pub approved: bool,
}

/// The flags of an appointment against the windows of each election (`(election id, windows)`).
pub fn flags(a: &Dated, elections: &[(i64, Vec<Window>)]) -> Vec<Flag> {
    let mut out = Vec::new();
    for (election_id, ws) in elections {
        for w in ws {
            let inside =
                w.contains(a.decree_date) || a.effective_date.is_some_and(|d| w.contains(d));
            if inside {
                out.push(Flag {
                    rule: w.rule,
                    election_id: *election_id,
                    window_from: w.from,
                    window_to: w.to,
                    approved: a.approved,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn pilkada_2024() -> ScheduleDates {
        ScheduleDates {
            penetapan_paslon: Some(date!(2024 - 09 - 22)),
            pelantikan: Some(date!(2025 - 02 - 20)),
        }
    }

    #[test]
    fn months_are_added_with_the_day_clamped() {
        assert_eq!(add_months(date!(2024 - 09 - 22), -6), date!(2024 - 03 - 22));
        assert_eq!(add_months(date!(2024 - 08 - 31), -6), date!(2024 - 02 - 29));
        assert_eq!(add_months(date!(2023 - 08 - 31), -6), date!(2023 - 02 - 28));
        assert_eq!(add_months(date!(2024 - 03 - 15), -6), date!(2023 - 09 - 15));
        assert_eq!(add_months(date!(2025 - 02 - 20), 6), date!(2025 - 08 - 20));
        assert_eq!(add_months(date!(2024 - 12 - 31), 2), date!(2025 - 02 - 28));
    }

    #[test]
    fn pilkada_2024_windows_open_on_22_march_2024() {
        // DOMAIN.md §7: designation 22 September 2024, so the window opened 22 March 2024.
        let w = windows(&pilkada_2024());
        assert_eq!(
            w,
            vec![
                Window {
                    rule: Rule::Pasal71Ayat2,
                    from: date!(2024 - 03 - 22),
                    to: Some(date!(2025 - 02 - 19)),
                },
                Window {
                    rule: Rule::Pasal162Ayat3,
                    from: date!(2025 - 02 - 20),
                    to: Some(date!(2025 - 08 - 19)),
                },
            ]
        );
    }

    #[test]
    fn missing_stages_give_no_window_or_an_open_one() {
        assert!(windows(&ScheduleDates::default()).is_empty());
        let no_inauguration = ScheduleDates {
            penetapan_paslon: Some(date!(2024 - 09 - 22)),
            pelantikan: None,
        };
        let w = windows(&no_inauguration);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].to, None);
        assert!(w[0].contains(date!(2030 - 01 - 01)));
        assert!(!w[0].contains(date!(2024 - 03 - 21)));
        let only_inauguration = ScheduleDates {
            penetapan_paslon: None,
            pelantikan: Some(date!(2025 - 02 - 20)),
        };
        assert_eq!(windows(&only_inauguration)[0].rule, Rule::Pasal162Ayat3);
    }

    #[test]
    fn both_ends_of_a_window_are_inside() {
        let ws = windows(&pilkada_2024());
        let day = |d| Dated {
            decree_date: d,
            effective_date: None,
            approved: false,
        };
        let one = [(7, ws)];
        assert!(flags(&day(date!(2024 - 03 - 21)), &one).is_empty());
        let first = flags(&day(date!(2024 - 03 - 22)), &one);
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].rule, Rule::Pasal71Ayat2);
        assert_eq!(first[0].election_id, 7);
        let last71 = flags(&day(date!(2025 - 02 - 19)), &one);
        assert_eq!(last71[0].rule, Rule::Pasal71Ayat2);
        let first162 = flags(&day(date!(2025 - 02 - 20)), &one);
        assert_eq!(
            first162.iter().map(|f| f.rule).collect::<Vec<_>>(),
            [Rule::Pasal162Ayat3]
        );
        assert_eq!(flags(&day(date!(2025 - 08 - 19)), &one).len(), 1);
        assert!(flags(&day(date!(2025 - 08 - 20)), &one).is_empty());
    }

    #[test]
    fn an_effective_date_inside_flags_a_decree_signed_before() {
        let one = [(1, windows(&pilkada_2024()))];
        let a = Dated {
            decree_date: date!(2024 - 03 - 01),
            effective_date: Some(date!(2024 - 04 - 01)),
            approved: true,
        };
        let f = flags(&a, &one);
        assert_eq!(f.len(), 1);
        assert!(f[0].approved);
        assert_eq!(f[0].window_from, date!(2024 - 03 - 22));
    }

    #[test]
    fn every_election_is_checked() {
        // A city's appointment against the city's and the province's elections.
        let city = (1, windows(&pilkada_2024()));
        let province = (
            2,
            windows(&ScheduleDates {
                penetapan_paslon: Some(date!(2024 - 12 - 01)),
                pelantikan: None,
            }),
        );
        let a = Dated {
            decree_date: date!(2024 - 07 - 01),
            effective_date: None,
            approved: false,
        };
        let f = flags(&a, &[city, province]);
        assert_eq!(f.iter().map(|f| f.election_id).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(
            Rule::parse("uu10_2016_pasal162_ayat3"),
            Some(Rule::Pasal162Ayat3)
        );
        assert_eq!(Rule::parse("x"), None);
    }

    #[test]
    fn an_inauguration_before_the_designation_does_not_close_the_window_backwards() {
        let odd = ScheduleDates {
            penetapan_paslon: Some(date!(2024 - 09 - 22)),
            pelantikan: Some(date!(2024 - 09 - 01)),
        };
        let w = windows(&odd);
        assert_eq!(w[0].to, None);
    }
}
