//! KPIs of a service unit (figures from each feature's own records, through
//! [`balai_core::kpi`]): their level on one scale (hundredths), targets, whether a target is
//! met, and the improvement from one month to the next that the regional league table ranks.

use balai_core::kpi::{Better, KpiValue};

use super::ikm::Hundredths;
use super::ratio::Ratio;

/// The key under which the satisfaction index takes a target and enters the league table.
pub const IKM_KEY: &str = "performance.ikm";

/// A figure's level in hundredths: a share as hundredths of a percent (78.40 % → 7840), a count
/// times 100, working days in hundredths; `None` when there was nothing to measure.
pub fn level(v: &KpiValue) -> Option<i64> {
    match v {
        KpiValue::Share { part, whole } => balai_core::format::share_hundredths(
            u64::try_from(*part).ok()?,
            u64::try_from(*whole).ok()?,
        ),
        KpiValue::Count(n) => n.checked_mul(100),
        KpiValue::WorkingDays(d) => *d,
    }
}

/// A target as typed (`90`, `90,5`, `2.5`): hundredths, rounded half up; at least 0 and at most
/// 1,000,000.
pub fn parse_target(s: &str) -> Option<i64> {
    let r = Ratio::parse(s)?;
    let h = i64::try_from(r.round_half_up(2)?).ok()?;
    (0..=100_000_000).contains(&h).then_some(h)
}

/// Is the target met (`None`: no target, or nothing measured; a breakdown has no target)?
pub fn met(level: Option<i64>, target: Option<i64>, better: Better) -> Option<bool> {
    let (l, t) = (level?, target?);
    match better {
        Better::Higher => Some(l >= t),
        Better::Lower => Some(l <= t),
        Better::Neither => None,
    }
}

/// The change from `before` to `now` in the figure's good direction (positive: better), in
/// hundredths; `None` unless both were measured.
pub fn improvement(before: Option<i64>, now: Option<i64>, better: Better) -> Option<i64> {
    let d = now?.checked_sub(before?)?;
    match better {
        Better::Higher => Some(d),
        Better::Lower => Some(-d),
        Better::Neither => None,
    }
}

/// A unit's improvement score for the league table: the mean change, in hundredths of a point,
/// of the figures on a 0–100 scale (the IKM and the shares), rounded half up; `None` when no
/// such figure was measured in both months.
pub fn score(changes: &[i64]) -> Option<Hundredths> {
    if changes.is_empty() {
        return None;
    }
    let sum: i64 = changes.iter().sum();
    let n = i64::try_from(changes.len()).ok()?;
    let r = Ratio::new(i128::from(sum), i128::from(n))?;
    Some(Hundredths(i64::try_from(r.round_half_up(0)?).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_targets_and_improvement() {
        assert_eq!(level(&KpiValue::Share { part: 2, whole: 3 }), Some(6667));
        assert_eq!(level(&KpiValue::Share { part: 0, whole: 0 }), None);
        assert_eq!(level(&KpiValue::Count(4)), Some(400));
        assert_eq!(level(&KpiValue::WorkingDays(Some(250))), Some(250));
        assert_eq!(parse_target("90"), Some(9000));
        assert_eq!(parse_target("90,5"), Some(9050));
        assert_eq!(parse_target("-1"), None);
        assert_eq!(parse_target("x"), None);
        assert_eq!(met(Some(9000), Some(9000), Better::Higher), Some(true));
        assert_eq!(met(Some(8999), Some(9000), Better::Higher), Some(false));
        assert_eq!(met(Some(300), Some(250), Better::Lower), Some(false));
        assert_eq!(met(Some(300), None, Better::Lower), None);
        assert_eq!(met(Some(300), Some(1), Better::Neither), None);
        assert_eq!(
            improvement(Some(7000), Some(7550), Better::Higher),
            Some(550)
        );
        assert_eq!(improvement(Some(300), Some(200), Better::Lower), Some(100));
        assert_eq!(improvement(None, Some(200), Better::Lower), None);
        // A unit that rose 5.50 points on one figure and fell 1.25 on another: +2.13 (half up).
        assert_eq!(score(&[550, -125]), Some(Hundredths(213)));
        assert_eq!(score(&[]), None);
    }
}
