//! Exact rational numbers for the index arithmetic: no float ever enters an IKM, so a weight of
//! 1/9 is 1/9 and not 0.111 (PermenPANRB 14/2017; DOMAIN.md §6). Numerator and denominator are
//! `i128`, kept reduced; every operation is checked, and an overflow (far beyond any real
//! survey: millions of responses × weights with four-digit denominators fit easily) is `None`.

use std::cmp::Ordering;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ratio {
    num: i128,
    /// Always positive.
    den: i128,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl Ratio {
    pub const ZERO: Ratio = Ratio { num: 0, den: 1 };
    pub const ONE: Ratio = Ratio { num: 1, den: 1 };

    /// `num / den`, reduced; `None` for a zero denominator.
    pub fn new(num: i128, den: i128) -> Option<Ratio> {
        if den == 0 {
            return None;
        }
        let g = gcd(num, den).max(1);
        let sign = if den < 0 { -1 } else { 1 };
        Some(Ratio {
            num: sign * num / g,
            den: sign * den / g,
        })
    }

    pub fn int(n: i64) -> Ratio {
        Ratio {
            num: i128::from(n),
            den: 1,
        }
    }

    pub fn num(self) -> i128 {
        self.num
    }

    pub fn den(self) -> i128 {
        self.den
    }

    pub fn checked_add(self, o: Ratio) -> Option<Ratio> {
        let g = gcd(self.den, o.den).max(1);
        let den = (self.den / g).checked_mul(o.den)?;
        let num = self
            .num
            .checked_mul(o.den / g)?
            .checked_add(o.num.checked_mul(self.den / g)?)?;
        Ratio::new(num, den)
    }

    pub fn checked_sub(self, o: Ratio) -> Option<Ratio> {
        self.checked_add(Ratio {
            num: o.num.checked_neg()?,
            den: o.den,
        })
    }

    pub fn checked_mul(self, o: Ratio) -> Option<Ratio> {
        // Cross-reduce first so the products stay small.
        let g1 = gcd(self.num, o.den).max(1);
        let g2 = gcd(o.num, self.den).max(1);
        let num = (self.num / g1).checked_mul(o.num / g2)?;
        let den = (self.den / g2).checked_mul(o.den / g1)?;
        Ratio::new(num, den)
    }

    pub fn checked_div(self, o: Ratio) -> Option<Ratio> {
        if o.num == 0 {
            return None;
        }
        self.checked_mul(Ratio {
            num: o.den,
            den: o.num,
        })
    }

    /// Rounded half up (towards +∞ on a tie) to `decimals` places, as a scaled integer:
    /// 88.305 → 8831 for two places.
    pub fn round_half_up(self, decimals: u32) -> Option<i128> {
        let scale = 10i128.checked_pow(decimals)?;
        let twice = self.num.checked_mul(scale)?.checked_mul(2)?;
        let den2 = self.den.checked_mul(2)?;
        Some(twice.checked_add(self.den)?.div_euclid(den2))
    }

    /// The smallest integer not below this number.
    pub fn ceil(self) -> i128 {
        let q = self.num.div_euclid(self.den);
        if self.num.rem_euclid(self.den) == 0 {
            q
        } else {
            q + 1
        }
    }

    /// Parse `3`, `1/9`, `0.2` or `0,2` (the Indonesian decimal comma).
    pub fn parse(s: &str) -> Option<Ratio> {
        let s = s.trim();
        if let Some((n, d)) = s.split_once('/') {
            return Ratio::new(int_part(n)?, int_part(d)?);
        }
        let s = s.replace(',', ".");
        match s.split_once('.') {
            None => Some(Ratio {
                num: int_part(&s)?,
                den: 1,
            }),
            Some((whole, frac)) => {
                if frac.is_empty() || frac.len() > 12 || !frac.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let negative = whole.trim_start().starts_with('-');
                let w = if whole.is_empty() || whole == "-" {
                    0
                } else {
                    int_part(whole)?
                };
                let scale = 10i128.checked_pow(u32::try_from(frac.len()).ok()?)?;
                let f: i128 = frac.parse().ok()?;
                let magnitude = w.abs().checked_mul(scale)?.checked_add(f)?;
                Ratio::new(if negative { -magnitude } else { magnitude }, scale)
            }
        }
    }
}

fn int_part(s: &str) -> Option<i128> {
    let s = s.trim();
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || digits.len() > 18 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl PartialOrd for Ratio {
    fn partial_cmp(&self, o: &Ratio) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for Ratio {
    fn cmp(&self, o: &Ratio) -> Ordering {
        // Denominators are positive; values in this crate are small enough for the products.
        (self.num.saturating_mul(o.den)).cmp(&o.num.saturating_mul(self.den))
    }
}

impl std::fmt::Display for Ratio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.den == 1 {
            write!(f, "{}", self.num)
        } else {
            write!(f, "{}/{}", self.num, self.den)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: i128, d: i128) -> Ratio {
        Ratio::new(n, d).unwrap_or(Ratio::ZERO)
    }

    #[test]
    fn arithmetic_is_exact_and_reduced() {
        let ninth = r(1, 9);
        let mut sum = Ratio::ZERO;
        for _ in 0..9 {
            sum = sum.checked_add(ninth).unwrap_or(Ratio::ZERO);
        }
        assert_eq!(sum, Ratio::ONE);
        assert_eq!(r(6, -8), r(-3, 4));
        assert_eq!(r(2, 3).checked_mul(r(9, 4)), Some(r(3, 2)));
        assert_eq!(r(1, 2).checked_sub(r(1, 3)), Some(r(1, 6)));
        assert_eq!(r(1, 2).checked_div(Ratio::ZERO), None);
        assert_eq!(Ratio::new(1, 0), None);
        assert!(r(1, 9) > r(111, 1000));
    }

    #[test]
    fn rounds_half_up_to_two_places() {
        assert_eq!(r(88305, 1000).round_half_up(2), Some(8831));
        assert_eq!(r(88_304_999, 1_000_000).round_half_up(2), Some(8830));
        assert_eq!(r(76605, 1000).round_half_up(2), Some(7661));
        assert_eq!(r(64995, 1000).round_half_up(2), Some(6500));
        assert_eq!(r(64_994_999, 1_000_000).round_half_up(2), Some(6499));
        assert_eq!(r(2, 3).round_half_up(2), Some(67));
        assert_eq!(r(-1, 200).round_half_up(2), Some(0));
    }

    #[test]
    fn ceil_and_parse() {
        assert_eq!(r(384100, 4831).ceil(), 80);
        assert_eq!(r(4, 2).ceil(), 2);
        assert_eq!(Ratio::parse("1/9"), Some(r(1, 9)));
        assert_eq!(Ratio::parse(" 0.2 "), Some(r(1, 5)));
        assert_eq!(Ratio::parse("0,125"), Some(r(1, 8)));
        assert_eq!(Ratio::parse(".5"), Some(r(1, 2)));
        assert_eq!(Ratio::parse("3"), Some(Ratio::int(3)));
        assert_eq!(Ratio::parse("-0.5"), Some(r(-1, 2)));
        for bad in ["", "x", "1/0", "0.", "1.2.3", "1e3", "0.1234567890123"] {
            assert_eq!(Ratio::parse(bad), None, "{bad}");
        }
    }
}
