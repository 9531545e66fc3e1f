//! The public, anonymised statistics of neutrality cases: counts by region, by the agency the
//! case is with, by forbidden act, by stage and by outcome, and the working days each step
//! took. Built from rows that carry no name, NIP, position or text. No IO.

use std::collections::BTreeMap;

use super::case::{Outcome, Stage};

/// What the statistics read of one case (nothing that names the official).
#[derive(Clone, Debug)]
pub struct CaseFacts {
    pub region_code: String,
    pub stage: Stage,
    pub outcome: Option<Outcome>,
    pub forbidden_act: Option<String>,
}

/// One finished step: which, and the working days from its start to its decision.
#[derive(Clone, Copy, Debug)]
pub struct StepTime {
    pub step: Stage,
    pub working_days: i64,
    /// Decided after its clock's due day.
    pub late: bool,
}

/// Working days a step took, over the finished steps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepDays {
    pub step: Stage,
    pub count: u32,
    pub median: i64,
    pub max: i64,
    pub late: u32,
}

/// The tallies, each sorted by its key.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    pub total: u32,
    pub by_region: BTreeMap<String, u32>,
    /// The agency kind holding the case now (`closed` once closed).
    pub by_agency: BTreeMap<&'static str, u32>,
    /// `none` while Bawaslu has not named one.
    pub by_act: BTreeMap<String, u32>,
    pub by_stage: BTreeMap<&'static str, u32>,
    /// `open` while the case runs.
    pub by_outcome: BTreeMap<&'static str, u32>,
    pub step_days: Vec<StepDays>,
}

/// Count the cases and time the steps.
pub fn tally(cases: &[CaseFacts], steps: &[StepTime]) -> Tally {
    let mut t = Tally {
        total: u32::try_from(cases.len()).unwrap_or(u32::MAX),
        ..Tally::default()
    };
    for c in cases {
        *t.by_region.entry(c.region_code.clone()).or_default() += 1;
        let agency = c.stage.handler().map_or("closed", |k| k.as_str());
        *t.by_agency.entry(agency).or_default() += 1;
        let act = c.forbidden_act.clone().unwrap_or_else(|| "none".into());
        *t.by_act.entry(act).or_default() += 1;
        *t.by_stage.entry(c.stage.as_str()).or_default() += 1;
        *t.by_outcome
            .entry(c.outcome.map_or("open", Outcome::as_str))
            .or_default() += 1;
    }
    for step in Stage::STEPS {
        let mut days: Vec<i64> = steps
            .iter()
            .filter(|s| s.step == step)
            .map(|s| s.working_days)
            .collect();
        if days.is_empty() {
            continue;
        }
        days.sort_unstable();
        t.step_days.push(StepDays {
            step,
            count: u32::try_from(days.len()).unwrap_or(u32::MAX),
            median: days[days.len() / 2],
            max: days[days.len() - 1],
            late: u32::try_from(steps.iter().filter(|s| s.step == step && s.late).count())
                .unwrap_or(u32::MAX),
        });
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_step_times() {
        let case = |region: &str, stage, outcome, act: Option<&str>| CaseFacts {
            region_code: region.into(),
            stage,
            outcome,
            forbidden_act: act.map(str::to_string),
        };
        let cases = [
            case("32.79", Stage::BawasluExamination, None, None),
            case("32.79", Stage::Sanction, None, Some("social_media_support")),
            case("32", Stage::Closed, Some(Outcome::NoViolation), None),
        ];
        let time = |step, working_days, late| StepTime {
            step,
            working_days,
            late,
        };
        let steps = [
            time(Stage::BawasluExamination, 3, false),
            time(Stage::BawasluExamination, 7, true),
            time(Stage::BawasluExamination, 4, false),
            time(Stage::BknExamination, 10, false),
        ];
        let t = tally(&cases, &steps);
        assert_eq!(t.total, 3);
        assert_eq!(t.by_region["32.79"], 2);
        assert_eq!(t.by_agency["bawaslu"], 1);
        assert_eq!(t.by_agency["pemda"], 1);
        assert_eq!(t.by_agency["closed"], 1);
        assert_eq!(t.by_act["none"], 2);
        assert_eq!(t.by_outcome["open"], 2);
        assert_eq!(
            t.step_days[0],
            StepDays {
                step: Stage::BawasluExamination,
                count: 3,
                median: 4,
                max: 7,
                late: 1
            }
        );
        assert_eq!(t.step_days.len(), 2);
    }
}
