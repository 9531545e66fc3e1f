//! Tracking codes: 9 random characters and a check character, from an alphabet without the
//! look-alikes 0/O, 1/I/L, so a code read aloud or copied from an SMS is hard to get wrong.
//! The check character (weighted sum modulo 31, a prime) catches every single wrong character
//! and every swap of two neighbours, the check character included.
//!
//! The code names a report; it is not a credential. The reporter also gets a secret
//! ([`ReporterSecret`], 16 characters, 80 bits), shown once and stored only as a hash bound to
//! the code: code + secret read a confidential or hidden report and act as its reporter.

use std::fmt;

use balai_core::secret;

use rand::Rng;

/// 31 characters: digits 2–9 and letters without I, L, O.
pub const ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
pub const BODY_LEN: usize = 9;
pub const LEN: usize = BODY_LEN + 1;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TrackingCode(String);

fn index(c: u8) -> Option<usize> {
    ALPHABET.iter().position(|&a| a == c)
}

/// The character `c` that makes the weighted sum of all ten characters (weights 1..=10)
/// divisible by 31: `c = -S / 10 (mod 31)`, and 28 is the inverse of 10 modulo 31.
fn check_char(body: &[u8]) -> Option<u8> {
    let n = ALPHABET.len();
    let mut sum = 0usize;
    for (i, &c) in body.iter().enumerate() {
        sum += (i + 1) * index(c)?;
    }
    let neg = (n - sum % n) % n;
    ALPHABET.get(neg * 28 % n).copied()
}

impl TrackingCode {
    pub fn generate() -> TrackingCode {
        let mut rng = rand::thread_rng();
        let body: Vec<u8> = (0..BODY_LEN)
            .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())])
            .collect();
        let check = check_char(&body).unwrap_or(ALPHABET[0]);
        let mut s = String::from_utf8_lossy(&body).into_owned();
        s.push(char::from(check));
        TrackingCode(s)
    }

    /// Accepts lower case, spaces and hyphens (`abcde-fghjk`); rejects a wrong check character.
    pub fn parse(input: &str) -> Option<TrackingCode> {
        let s: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let b = s.as_bytes();
        if b.len() != LEN || !b.iter().all(|&c| index(c).is_some()) {
            return None;
        }
        (check_char(&b[..BODY_LEN]) == Some(b[BODY_LEN])).then_some(TrackingCode(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `ABCDE-FGHJK`, easier to read out.
    pub fn display(&self) -> String {
        let (a, b) = self.0.split_at(self.0.len() / 2);
        format!("{a}-{b}")
    }
}

impl fmt::Display for TrackingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A reporter's secret: 16 characters (80 bits) from [`secret::ALPHABET`].
pub struct ReporterSecret(String);

pub const SECRET_LEN: usize = 16;
const SECRET_PURPOSE: &str = "balai/complaint-reporter";

impl ReporterSecret {
    pub fn generate() -> ReporterSecret {
        ReporterSecret(secret::random_code(SECRET_LEN))
    }

    /// The hash kept with the report, bound to its code.
    pub fn hash(&self, code: &TrackingCode) -> String {
        secret::secret_hash(SECRET_PURPOSE, code.as_str(), &self.0)
    }

    /// `ABCD-EFGH-JKMN-PQRS`, as the reporter is shown it.
    pub fn display(&self) -> String {
        secret::grouped(&self.0)
    }
}

/// Does `typed` (as the reporter typed it: any case, spaces or dashes) match the hash kept
/// with the report? A report filed before secrets existed (no hash) matches nothing.
pub fn secret_matches(code: &TrackingCode, typed: &str, stored: Option<&str>) -> bool {
    let typed = secret::normalise_code(typed);
    match stored {
        Some(stored) if secret::code_valid(&typed, SECRET_LEN) => secret::same_secret(
            ReporterSecret(typed).hash(code).as_bytes(),
            stored.as_bytes(),
        ),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn generated_codes_parse_and_avoid_look_alikes() {
        for _ in 0..500 {
            let c = TrackingCode::generate();
            assert_eq!(c.as_str().len(), 10);
            assert!(!c.as_str().contains(['0', 'O', '1', 'I', 'L']));
            assert_eq!(TrackingCode::parse(c.as_str()), Some(c.clone()));
            assert_eq!(
                TrackingCode::parse(&c.display().to_lowercase()),
                Some(c.clone())
            );
        }
    }

    #[test]
    fn every_single_typo_and_neighbour_swap_is_caught() {
        let c = TrackingCode::generate();
        let b = c.as_str().as_bytes().to_vec();
        for i in 0..LEN {
            for &a in ALPHABET {
                if a == b[i] {
                    continue;
                }
                let mut x = b.clone();
                x[i] = a;
                assert!(TrackingCode::parse(std::str::from_utf8(&x).unwrap()).is_none());
            }
        }
        for i in 0..LEN - 1 {
            if b[i] == b[i + 1] {
                continue;
            }
            let mut x = b.clone();
            x.swap(i, i + 1);
            assert!(TrackingCode::parse(std::str::from_utf8(&x).unwrap()).is_none());
        }
    }

    #[test]
    fn a_secret_matches_only_its_own_code() {
        let (code, other) = (TrackingCode::generate(), TrackingCode::generate());
        let s = ReporterSecret::generate();
        let stored = s.hash(&code);
        assert!(secret_matches(
            &code,
            &s.display().to_lowercase(),
            Some(&stored)
        ));
        assert!(!secret_matches(&other, &s.display(), Some(&stored)));
        assert!(!secret_matches(&code, &s.display(), None));
        assert!(!secret_matches(&code, "", Some(&stored)));
        let mut typo = s.display().into_bytes();
        typo[0] = if typo[0] == b'2' { b'3' } else { b'2' };
        assert!(!secret_matches(
            &code,
            std::str::from_utf8(&typo).unwrap(),
            Some(&stored)
        ));
    }

    #[test]
    fn junk_is_rejected() {
        for s in ["", "ABC", "0000000000", "ABCDEFGHJKM", "ÄBCDEFGHJK"] {
            assert!(TrackingCode::parse(s).is_none(), "{s}");
        }
    }
}
