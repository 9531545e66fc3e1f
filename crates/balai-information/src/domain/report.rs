//! The laporan layanan informasi publik of a PPID for a year or a half-year (UU 14/2008
//! art. 7(3); Perki 1/2021 art. 36–37: the number of requests, the time to fulfil them, how many
//! were granted fully or in part, refused and on which art. 17 ground, objections and
//! disputes), computed from the requests' records alone. No IO: the store hands in one
//! [`Record`] per request received in the period.

use balai_core::calendar::Calendar;
use time::{Date, Month};

use super::clocks::KipClocks;
use super::exemptions::Exemption;

/// A reporting period: a calendar year or one of its halves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    Year(i32),
    /// The first (January–June) or second (July–December) half of a year.
    Half(i32, u8),
}

impl Period {
    /// `year` with `half` 1 or 2, or none for the whole year; `None` outside 2000–2100.
    pub fn new(year: i32, half: Option<u8>) -> Option<Period> {
        if !(2000..=2100).contains(&year) {
            return None;
        }
        match half {
            None => Some(Period::Year(year)),
            Some(h @ (1 | 2)) => Some(Period::Half(year, h)),
            Some(_) => None,
        }
    }

    /// The first and last day of the period.
    pub fn bounds(self) -> (Date, Date) {
        let day = |y, m, d| Date::from_calendar_date(y, m, d).unwrap_or(Date::MIN);
        match self {
            Period::Year(y) => (day(y, Month::January, 1), day(y, Month::December, 31)),
            Period::Half(y, 1) => (day(y, Month::January, 1), day(y, Month::June, 30)),
            Period::Half(y, _) => (day(y, Month::July, 1), day(y, Month::December, 31)),
        }
    }

    pub fn label_id(self) -> String {
        match self {
            Period::Year(y) => format!("Tahun {y}"),
            Period::Half(y, h) => format!("Semester {} tahun {y}", if h == 1 { "I" } else { "II" }),
        }
    }

    pub fn label_en(self) -> String {
        match self {
            Period::Year(y) => format!("Year {y}"),
            Period::Half(y, h) => {
                format!("{} half of {y}", if h == 1 { "First" } else { "Second" })
            }
        }
    }

    /// For file names: `2026`, `2026-s1`.
    pub fn slug(self) -> String {
        match self {
            Period::Year(y) => y.to_string(),
            Period::Half(y, h) => format!("{y}-s{h}"),
        }
    }
}

/// The PPID's first decision on a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Granted,
    GrantedPartly,
    Refused,
}

impl Decision {
    pub fn parse(action: &str) -> Option<Decision> {
        match action {
            "answer" => Some(Decision::Granted),
            "answer_partly" => Some(Decision::GrantedPartly),
            "refuse" => Some(Decision::Refused),
            _ => None,
        }
    }
}

/// One request received in the period, as the report needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub received_on: Date,
    pub extended: bool,
    /// The first decision and its day.
    pub decision: Option<(Decision, Date)>,
    pub exemption: Option<Exemption>,
    pub objected_on: Option<Date>,
    pub objection_answered_on: Option<Date>,
    pub disputed: bool,
    pub dispute_decided: bool,
}

/// The report's figures.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    pub requests: usize,
    pub granted: usize,
    pub granted_partly: usize,
    pub refused: usize,
    /// Refusals by art. 17 ground, in the order of the article.
    pub refused_by_ground: Vec<(Exemption, usize)>,
    /// Not decided (yet): waiting, asked to clarify, transferred away.
    pub undecided: usize,
    pub extended: usize,
    /// Decided by the due day (10 working days, 17 once extended).
    pub on_time: usize,
    pub late: usize,
    /// Working days from receipt to the decision, over the decided requests.
    pub mean_days: Option<f64>,
    pub median_days: Option<f64>,
    pub objections: usize,
    /// Objections the Atasan PPID answered, and of those within 30 working days.
    pub objections_answered: usize,
    pub objections_answered_on_time: usize,
    pub disputes: usize,
    pub disputes_decided: usize,
}

/// The median of sorted values (the mean of the middle two for an even count).
fn median(sorted: &[i64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2] as f64),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) as f64 / 2.0),
    }
}

/// The figures over `records`, counting working days on `cal`.
pub fn figures(k: &KipClocks, cal: &Calendar, records: &[Record]) -> Figures {
    let mut f = Figures {
        requests: records.len(),
        ..Figures::default()
    };
    let mut days = Vec::new();
    let mut grounds = [0usize; 10];
    for r in records {
        f.extended += usize::from(r.extended);
        match r.decision {
            None => f.undecided += 1,
            Some((d, on)) => {
                match d {
                    Decision::Granted => f.granted += 1,
                    Decision::GrantedPartly => f.granted_partly += 1,
                    Decision::Refused => {
                        f.refused += 1;
                        if let Some(i) = r
                            .exemption
                            .and_then(|e| Exemption::ALL.iter().position(|x| *x == e))
                        {
                            grounds[i] += 1;
                        }
                    }
                }
                if on <= k.answer_due(cal, r.received_on, r.extended) {
                    f.on_time += 1;
                } else {
                    f.late += 1;
                }
                days.push(cal.working_days_between(r.received_on, on));
            }
        }
        if let Some(objected) = r.objected_on {
            f.objections += 1;
            if let Some(answered) = r.objection_answered_on {
                f.objections_answered += 1;
                if answered <= k.objection_answer_due(cal, objected) {
                    f.objections_answered_on_time += 1;
                }
            }
        }
        f.disputes += usize::from(r.disputed);
        f.disputes_decided += usize::from(r.dispute_decided);
    }
    days.sort_unstable();
    if !days.is_empty() {
        f.mean_days = Some(days.iter().sum::<i64>() as f64 / days.len() as f64);
    }
    f.median_days = median(&days);
    f.refused_by_ground = Exemption::ALL
        .into_iter()
        .zip(grounds)
        .filter(|(_, n)| *n > 0)
        .collect();
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn periods_and_medians() {
        assert_eq!(
            Period::new(2026, Some(2)).unwrap().bounds(),
            (date!(2026 - 07 - 01), date!(2026 - 12 - 31))
        );
        assert_eq!(Period::new(2026, Some(3)), None);
        assert_eq!(Period::new(1999, None), None);
        assert_eq!(median(&[1, 2, 9]), Some(2.0));
        assert_eq!(median(&[1, 2, 4, 9]), Some(3.0));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn figures_count_days_on_the_working_day_calendar() {
        let cal = Calendar::new([date!(2026 - 01 - 02)]);
        let rec = |received, decision, exemption| Record {
            received_on: received,
            extended: false,
            decision,
            exemption,
            objected_on: None,
            objection_answered_on: None,
            disputed: false,
            dispute_decided: false,
        };
        let f = figures(
            &KipClocks::default(),
            &cal,
            &[
                // Thu 1 Jan → Mon 5 Jan: the 2nd (holiday) and the weekend do not count.
                rec(
                    date!(2026 - 01 - 01),
                    Some((Decision::Granted, date!(2026 - 01 - 05))),
                    None,
                ),
                rec(
                    date!(2026 - 01 - 05),
                    Some((Decision::Refused, date!(2026 - 01 - 30))),
                    Some(Exemption::PersonalSecrets),
                ),
                rec(date!(2026 - 01 - 06), None, None),
            ],
        );
        assert_eq!(
            (f.requests, f.granted, f.refused, f.undecided),
            (3, 1, 1, 1)
        );
        assert_eq!((f.on_time, f.late), (1, 1));
        assert_eq!(f.refused_by_ground, vec![(Exemption::PersonalSecrets, 1)]);
        assert_eq!(f.median_days, Some(10.0));
        assert_eq!(f.mean_days, Some(10.0));
    }
}
