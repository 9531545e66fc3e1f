//! The satisfaction index (IKM), PermenPANRB 14/2017 (DOMAIN.md §6), exactly:
//!
//! - NRR per element = the mean of its scores (1–4);
//! - IKM = Σ NRR × weight × 25, weights 1/9 each by default (exactly 1/9, not 0.111), or a
//!   unit's own weights, which must sum to exactly 1;
//! - the IKM is rounded half up to two decimals, and that value is graded with ≥ tests on the
//!   regulation's two-decimal bounds: A ≥ 88.31, B ≥ 76.61, C ≥ 65.00, else D.
//!
//! Everything is computed on [`Ratio`]s; the only rounding is the final one.

use serde::Serialize;

use super::elements::COUNT;
use super::ratio::Ratio;

/// Why a set of weights is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WeightsError {
    #[error("bobot harus tepat {COUNT} angka")]
    Count,
    #[error("bobot ke-{0} bukan angka atau pecahan yang sah")]
    Unreadable(usize),
    #[error("bobot ke-{0} tidak boleh negatif")]
    Negative(usize),
    #[error("jumlah bobot harus tepat 1 (sekarang {0})")]
    SumNotOne(String),
}

impl WeightsError {
    pub fn message_en(&self) -> String {
        match self {
            WeightsError::Count => format!("there must be exactly {COUNT} weights"),
            WeightsError::Unreadable(i) => format!("weight {i} is not a valid number or fraction"),
            WeightsError::Negative(i) => format!("weight {i} must not be negative"),
            WeightsError::SumNotOne(s) => format!("the weights must sum to exactly 1 (now {s})"),
        }
    }
}

/// The weight of each element in the index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Weights([Ratio; COUNT]);

impl Default for Weights {
    /// 1/9 each (the regulation's default).
    fn default() -> Self {
        Weights([Ratio::new(1, COUNT as i128).unwrap_or(Ratio::ZERO); COUNT])
    }
}

impl Weights {
    /// Nine weights written as `1/9`, `0.2` or `0,2`; each at least 0, together exactly 1.
    pub fn parse<S: AsRef<str>>(items: &[S]) -> Result<Weights, WeightsError> {
        if items.len() != COUNT {
            return Err(WeightsError::Count);
        }
        let mut out = [Ratio::ZERO; COUNT];
        let mut sum = Ratio::ZERO;
        for (i, s) in items.iter().enumerate() {
            let w = Ratio::parse(s.as_ref()).ok_or(WeightsError::Unreadable(i + 1))?;
            if w < Ratio::ZERO {
                return Err(WeightsError::Negative(i + 1));
            }
            sum = sum.checked_add(w).ok_or(WeightsError::Unreadable(i + 1))?;
            if let Some(slot) = out.get_mut(i) {
                *slot = w;
            }
        }
        if sum != Ratio::ONE {
            return Err(WeightsError::SumNotOne(sum.to_string()));
        }
        Ok(Weights(out))
    }

    /// Unchecked, for tests of what a wrong weight does (0.111 each sums to 0.999).
    #[cfg(test)]
    fn unchecked(w: [Ratio; COUNT]) -> Weights {
        Weights(w)
    }

    pub fn get(&self) -> &[Ratio; COUNT] {
        &self.0
    }

    /// As stored and shown: `1/9,1/9,…`.
    pub fn to_text(&self) -> String {
        self.0
            .iter()
            .map(Ratio::to_string)
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Read back what [`Weights::to_text`] wrote.
    pub fn from_text(s: &str) -> Result<Weights, WeightsError> {
        Weights::parse(&s.split(',').collect::<Vec<_>>())
    }

    pub fn is_default(&self) -> bool {
        *self == Weights::default()
    }
}

/// The answers counted for one group of responses: how many, and each element's score total.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub responses: i64,
    pub sums: [i64; COUNT],
}

impl Tally {
    /// Count one response (scores already checked to be 1–4).
    pub fn add(&mut self, scores: &[u8; COUNT]) {
        self.responses += 1;
        for (s, x) in self.sums.iter_mut().zip(scores) {
            *s += i64::from(*x);
        }
    }
}

/// A number with two decimals, kept as hundredths (88.31 is 8831).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hundredths(pub i64);

impl Hundredths {
    /// As a JSON number (a display value only: the arithmetic happened before).
    pub fn as_f64(self) -> f64 {
        // Two decimals of a number below 10^15 are exact enough in f64 to print back as typed.
        self.0 as f64 / 100.0
    }

    /// `88.31` (`decimal` is `.` or `,`).
    pub fn text(self, decimal: char) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        format!("{sign}{}{decimal}{:02}", a / 100, a % 100)
    }
}

/// The service quality grade (mutu pelayanan).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
pub enum Grade {
    A,
    B,
    C,
    D,
}

impl Grade {
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
            Grade::D => "D",
        }
    }

    /// The regulation's words (kinerja unit pelayanan).
    pub fn label_id(self) -> &'static str {
        match self {
            Grade::A => "Sangat Baik",
            Grade::B => "Baik",
            Grade::C => "Kurang Baik",
            Grade::D => "Tidak Baik",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Grade::A => "Very good",
            Grade::B => "Good",
            Grade::C => "Poor",
            Grade::D => "Very poor",
        }
    }

    pub fn label(self, en: bool) -> &'static str {
        if en {
            self.label_en()
        } else {
            self.label_id()
        }
    }
}

/// The lower bounds of grades A, B and C on the converted two-decimal value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GradeBounds {
    pub a: Hundredths,
    pub b: Hundredths,
    pub c: Hundredths,
}

impl Default for GradeBounds {
    /// PermenPANRB 14/2017: A 88.31–100, B 76.61–88.30, C 65.00–76.60, D 25.00–64.99.
    fn default() -> Self {
        GradeBounds {
            a: Hundredths(8831),
            b: Hundredths(7661),
            c: Hundredths(6500),
        }
    }
}

impl GradeBounds {
    pub fn grade(&self, ikm: Hundredths) -> Grade {
        if ikm >= self.a {
            Grade::A
        } else if ikm >= self.b {
            Grade::B
        } else if ikm >= self.c {
            Grade::C
        } else {
            Grade::D
        }
    }
}

/// The index of one group of responses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Index {
    pub responses: i64,
    /// Each element's mean score, exact.
    pub nrr: [Ratio; COUNT],
    /// Σ NRR × weight × 25, exact.
    pub ikm_exact: Ratio,
    /// Rounded half up to two decimals: the value that is published and graded.
    pub ikm: Hundredths,
    pub grade: Grade,
}

impl Index {
    /// Each NRR rounded half up to two decimals (for tables; the index used the exact ones).
    pub fn nrr_rounded(&self) -> [Hundredths; COUNT] {
        self.nrr.map(|r| {
            Hundredths(
                r.round_half_up(2)
                    .and_then(|v| i64::try_from(v).ok())
                    .unwrap_or(0),
            )
        })
    }

    /// The elements with the lowest NRR (ties included): what to improve first.
    pub fn lowest(&self) -> Vec<usize> {
        let Some(min) = self.nrr.iter().min().copied() else {
            return Vec::new();
        };
        (0..COUNT)
            .filter(|i| self.nrr.get(*i) == Some(&min))
            .collect()
    }
}

/// The index of a tally; `None` without responses (or, far beyond real data, on overflow).
pub fn index(t: &Tally, w: &Weights, bounds: &GradeBounds) -> Option<Index> {
    if t.responses <= 0 {
        return None;
    }
    let n = Ratio::int(t.responses);
    let mut nrr = [Ratio::ZERO; COUNT];
    let mut weighted = Ratio::ZERO;
    for ((slot, sum), weight) in nrr.iter_mut().zip(&t.sums).zip(w.get()) {
        *slot = Ratio::int(*sum).checked_div(n)?;
        weighted = weighted.checked_add(slot.checked_mul(*weight)?)?;
    }
    let ikm_exact = weighted.checked_mul(Ratio::int(25))?;
    let ikm = Hundredths(i64::try_from(ikm_exact.round_half_up(2)?).ok()?);
    Some(Index {
        responses: t.responses,
        nrr,
        ikm_exact,
        ikm,
        grade: bounds.grade(ikm),
    })
}

/// Krejcie & Morgan's sample size for a population of `n` service users: χ² = 3.841 (one
/// degree of freedom, 95 %), P = 0.5, d = 0.05, rounded to the nearest whole respondent as their
/// published table is (N = 50 → 44, N = 100 → 80, N = 1,000 → 278).
pub fn sample_needed(n: i64) -> i64 {
    if n <= 0 {
        return 0;
    }
    // s = χ²·N·P(1−P) / (d²(N−1) + χ²·P(1−P)); times 4,000 on both sides: 3841·N / (10(N−1) + 3841).
    let num = 3841i128 * i128::from(n);
    let den = 10i128 * (i128::from(n) - 1) + 3841;
    Ratio::new(num, den)
        .and_then(|r| r.round_half_up(0))
        .and_then(|v| i64::try_from(v).ok())
        .unwrap_or(n)
        .min(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: i128, d: i128) -> Ratio {
        Ratio::new(n, d).unwrap_or(Ratio::ZERO)
    }

    fn tally(rows: &[[u8; COUNT]]) -> Tally {
        let mut t = Tally::default();
        for row in rows {
            t.add(row);
        }
        t
    }

    fn ikm(t: &Tally, w: &Weights) -> (Hundredths, Grade) {
        let i = index(t, w, &GradeBounds::default()).unwrap_or_else(|| unreachable!());
        (i.ikm, i.grade)
    }

    /// A tally of `n` responses whose nine elements together score `total` (spread as evenly
    /// as the integers allow): with equal weights only the total matters.
    fn with_total(n: i64, total: i64) -> Tally {
        let mut t = Tally {
            responses: n,
            sums: [total / 9; COUNT],
        };
        for s in t
            .sums
            .iter_mut()
            .take(usize::try_from(total % 9).unwrap_or(0))
        {
            *s += 1;
        }
        t
    }

    #[test]
    fn hand_checked_set() {
        // Four respondents (checked by hand):
        // U1: 4+3+3+4=14 → 3.5; U2: 3+3+2+4=12 → 3; U3: 2+2+2+3=9 → 2.25; U4: all 4 → 4;
        // U5: 3+3+3+3 → 3; U6: 4+4+3+3 → 3.5; U7: 4+4+4+4 → 4; U8: 1+2+2+3=8 → 2; U9: 3+2+3+3=11 → 2.75.
        // Σ NRR = 28; IKM = 28 / 9 × 25 = 700/9 = 77.777… → 77.78, grade B.
        let t = tally(&[
            [4, 3, 2, 4, 3, 4, 4, 1, 3],
            [3, 3, 2, 4, 3, 4, 4, 2, 2],
            [3, 2, 2, 4, 3, 3, 4, 2, 3],
            [4, 4, 3, 4, 3, 3, 4, 3, 3],
        ]);
        let i = index(&t, &Weights::default(), &GradeBounds::default())
            .unwrap_or_else(|| unreachable!());
        assert_eq!(i.nrr[0], r(7, 2));
        assert_eq!(i.nrr[2], r(9, 4));
        assert_eq!(i.nrr[8], r(11, 4));
        assert_eq!(i.ikm_exact, r(700, 9));
        assert_eq!(i.ikm, Hundredths(7778));
        assert_eq!(i.grade, Grade::B);
        assert_eq!(i.lowest(), vec![7]);
        assert_eq!(i.nrr_rounded()[8], Hundredths(275));
        assert_eq!(i.ikm.text(','), "77,78");
    }

    #[test]
    fn everyone_answering_four_or_one() {
        assert_eq!(
            ikm(&tally(&[[4; COUNT]; 3]), &Weights::default()),
            (Hundredths(10000), Grade::A)
        );
        assert_eq!(
            ikm(&tally(&[[1; COUNT]]), &Weights::default()),
            (Hundredths(2500), Grade::D)
        );
        assert_eq!(
            index(
                &Tally::default(),
                &Weights::default(),
                &GradeBounds::default()
            ),
            None
        );
    }

    #[test]
    fn grade_boundaries_on_the_rounded_value() {
        let w = Weights::default();
        // IKM = 25·T / (9·n). n = 900: IKM = T / 324.
        // T = 28613 → 88.3117 → 88.31 → A; T = 28612 → 88.3086 → 88.31 → A (rounded up to the bound);
        // T = 28610 → 88.3024 → 88.30 → B.
        assert_eq!(
            ikm(&with_total(900, 28613), &w),
            (Hundredths(8831), Grade::A)
        );
        assert_eq!(
            ikm(&with_total(900, 28612), &w),
            (Hundredths(8831), Grade::A)
        );
        assert_eq!(
            ikm(&with_total(900, 28610), &w),
            (Hundredths(8830), Grade::B)
        );
        // 76.61 / 76.60: T = 24822 → 76.6111 → B; T = 24819 → 76.6018 → 76.60 → C.
        assert_eq!(
            ikm(&with_total(900, 24822), &w),
            (Hundredths(7661), Grade::B)
        );
        assert_eq!(
            ikm(&with_total(900, 24819), &w),
            (Hundredths(7660), Grade::C)
        );
        // 65.00 / 64.99: T = 21060 → exactly 65 → C; T = 21057 → 64.9907 → 64.99 → D.
        assert_eq!(
            ikm(&with_total(900, 21060), &w),
            (Hundredths(6500), Grade::C)
        );
        assert_eq!(
            ikm(&with_total(900, 21057), &w),
            (Hundredths(6499), Grade::D)
        );
        // A value exactly halfway rounds up: n = 5000, T = 158949 → 88.305 → 88.31 → A.
        let i = index(&with_total(5000, 158_949), &w, &GradeBounds::default())
            .unwrap_or_else(|| unreachable!());
        assert_eq!(i.ikm_exact, r(17661, 200));
        assert_eq!((i.ikm, i.grade), (Hundredths(8831), Grade::A));
        // The bounds themselves, graded directly.
        let b = GradeBounds::default();
        assert_eq!(b.grade(Hundredths(8831)), Grade::A);
        assert_eq!(b.grade(Hundredths(8830)), Grade::B);
        assert_eq!(b.grade(Hundredths(7661)), Grade::B);
        assert_eq!(b.grade(Hundredths(7660)), Grade::C);
        assert_eq!(b.grade(Hundredths(6500)), Grade::C);
        assert_eq!(b.grade(Hundredths(6499)), Grade::D);
    }

    #[test]
    fn rounding_the_weight_to_0_111_changes_the_grade() {
        // Ten respondents scoring 318 points in all: Σ NRR = 31.8.
        // Exact 1/9: 31.8 × 25/9 = 88.333… → 88.33, A.
        // 0.111 each: 31.8 × 0.111 × 25 = 88.245 → 88.25, B: the spreadsheet's rounding of the
        // weight loses 0.1 point and the grade. (0.11, as some sheets have, loses 0.88 point.)
        let t = with_total(10, 318);
        assert_eq!(ikm(&t, &Weights::default()), (Hundredths(8833), Grade::A));
        let w0111 = Weights::unchecked([r(111, 1000); COUNT]);
        assert_eq!(ikm(&t, &w0111), (Hundredths(8825), Grade::B));
        let w011 = Weights::unchecked([r(11, 100); COUNT]);
        assert_eq!(ikm(&t, &w011), (Hundredths(8745), Grade::B));
        // And 0.111 is refused as a unit's weights: it sums to 0.999.
        assert_eq!(
            Weights::parse(&["0.111"; COUNT]),
            Err(WeightsError::SumNotOne("999/1000".into()))
        );
    }

    #[test]
    fn weights_are_checked_and_change_the_index() {
        assert_eq!(Weights::parse(&["1/9"; COUNT]), Ok(Weights::default()));
        assert_eq!(Weights::parse(&["1/9"; 8]), Err(WeightsError::Count));
        assert_eq!(
            Weights::parse(&["x", "", "", "", "", "", "", "", ""]),
            Err(WeightsError::Unreadable(1))
        );
        let mut neg = ["0.125"; COUNT];
        neg[0] = "-0.125";
        neg[1] = "0.25";
        assert_eq!(Weights::parse(&neg), Err(WeightsError::Negative(1)));
        // Double weight on completion time, the rest shares what is left: 0.2 + 8 × 0.1 = 1.
        let mut items = ["0.1"; COUNT];
        items[2] = "0,2";
        let w = Weights::parse(&items).unwrap_or_default();
        assert!(!w.is_default());
        assert_eq!(Weights::from_text(&w.to_text()), Ok(w));
        // Everything 4 but completion time at 1: default 25·(32+1)/9 = 91.67;
        // weighted (0.8·4 + 0.2·1)·25 = 85.00.
        let t = tally(&[[4, 4, 1, 4, 4, 4, 4, 4, 4]]);
        assert_eq!(ikm(&t, &Weights::default()), (Hundredths(9167), Grade::A));
        assert_eq!(ikm(&t, &w), (Hundredths(8500), Grade::B));
        // Zero weights are allowed (an element a unit does not offer, e.g. a free service's fee).
        let mut z = ["1/8"; COUNT];
        z[3] = "0";
        assert!(Weights::parse(&z).is_ok());
    }

    #[test]
    fn krejcie_morgan() {
        assert_eq!(sample_needed(0), 0);
        assert_eq!(sample_needed(1), 1);
        assert_eq!(sample_needed(10), 10);
        assert_eq!(sample_needed(100), 80);
        assert_eq!(sample_needed(1000), 278);
        // Their published table: 50 → 44, 500 → 217, 10,000 → 370, 1,000,000 → 384.
        assert_eq!(sample_needed(50), 44);
        assert_eq!(sample_needed(500), 217);
        assert_eq!(sample_needed(10_000), 370);
        assert_eq!(sample_needed(1_000_000), 384);
    }
}
