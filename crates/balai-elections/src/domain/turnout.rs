//! Turnout (partisipasi) = pengguna hak pilih ÷ DPT, kept as an exact fraction and rounded
//! only for display: two decimals, half-up on the exact value, never truncated.

use serde::Serialize;

/// An exact turnout.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Turnout {
    pub pengguna: u64,
    pub dpt: u64,
}

impl Turnout {
    pub fn new(pengguna: u64, dpt: u64) -> Turnout {
        Turnout { pengguna, dpt }
    }

    /// The percentage in hundredths of a percent, rounded half-up; `None` when DPT is 0.
    pub fn hundredths(&self) -> Option<u128> {
        if self.dpt == 0 {
            return None;
        }
        let p = u128::from(self.pengguna);
        let d = u128::from(self.dpt);
        // floor(p·10000/d + 1/2) = floor((2·p·10000 + d) / (2·d))
        Some((2 * p * 10_000 + d) / (2 * d))
    }

    /// `"66.67"`; `None` when DPT is 0.
    pub fn percent_string(&self) -> Option<String> {
        self.hundredths()
            .map(|h| format!("{}.{:02}", h / 100, h % 100))
    }

    /// `"66,67%"` for Indonesian pages, `"66.67%"` for English; a dash without a DPT.
    pub fn display(&self, lang: balai_core::i18n::Lang) -> String {
        match self.percent_string() {
            Some(s) if lang == balai_core::i18n::Lang::Id => format!("{}%", s.replace('.', ",")),
            Some(s) => format!("{s}%"),
            None => "–".into(),
        }
    }
}

/// The change between two turnouts in percentage points, rounded half-up (away from zero) to
/// two decimals from the exact difference: `"+3.25"`, `"-0.50"`.
pub fn change_points(now: Turnout, before: Turnout) -> Option<String> {
    if now.dpt == 0 || before.dpt == 0 {
        return None;
    }
    // now - before = (a·d - b·c) / (b·d), in percent ×100 for hundredths.
    let (a, b) = (i128::from(now.pengguna), i128::from(now.dpt));
    let (c, d) = (i128::from(before.pengguna), i128::from(before.dpt));
    let num = (a * d - c * b) * 10_000;
    let den = b * d;
    let mag = (2 * num.abs() + den) / (2 * den);
    let sign = if num < 0 && mag > 0 { "-" } else { "+" };
    Some(format!("{sign}{}.{:02}", mag / 100, mag % 100))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_up_on_the_exact_value() {
        assert_eq!(Turnout::new(2, 3).percent_string().unwrap(), "66.67");
        assert_eq!(Turnout::new(1, 3).percent_string().unwrap(), "33.33");
        // 1/8 = 12.5% exactly; 1/1600 = 0.0625% → 0.06; 1/800 = 0.125% → 0.13 (half-up).
        assert_eq!(Turnout::new(1, 8).percent_string().unwrap(), "12.50");
        assert_eq!(Turnout::new(1, 1600).percent_string().unwrap(), "0.06");
        assert_eq!(Turnout::new(1, 800).percent_string().unwrap(), "0.13");
        // Truncation would give 99.99.
        assert_eq!(
            Turnout::new(99_999, 100_000).percent_string().unwrap(),
            "100.00"
        );
        assert_eq!(Turnout::new(883, 258).percent_string().unwrap(), "342.25");
        assert_eq!(Turnout::new(5, 0).percent_string(), None);
        // National scale without overflow.
        let t = Turnout::new(150_000_000, 203_700_000);
        assert_eq!(t.percent_string().unwrap(), "73.64");
        assert_eq!(t.display(balai_core::i18n::Lang::Id), "73,64%");
    }

    #[test]
    fn change_in_points() {
        let now = Turnout::new(70, 100);
        assert_eq!(change_points(now, Turnout::new(65, 100)).unwrap(), "+5.00");
        assert_eq!(change_points(now, Turnout::new(2, 2)).unwrap(), "-30.00");
        assert_eq!(
            change_points(Turnout::new(1, 3), Turnout::new(1, 3)).unwrap(),
            "+0.00"
        );
        assert_eq!(change_points(now, Turnout::new(1, 0)), None);
    }
}
