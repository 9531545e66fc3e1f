//! Survey codes: one per service visit, bound to a unit, a service and a day, never to a
//! person. Ten characters from an alphabet without look-alikes (no 0/O, 1/I), the last one a
//! check character, so a mistyped code is refused before any look-up; shown as `XXXXX-XXXXX`.

use rand::Rng;

/// 32 characters: digits 2–9 and letters without I and O.
const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/// Random characters before the check character.
const BODY: usize = 9;

/// A well-formed survey code (upper case, no separators).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SurveyCode(String);

fn value(c: u8) -> Option<usize> {
    ALPHABET.iter().position(|a| *a == c)
}

fn check_char(body: &[u8]) -> Option<u8> {
    let mut sum = 0usize;
    for (i, c) in body.iter().enumerate() {
        // Odd weights are coprime with 32: any one changed character changes the sum.
        sum += value(*c)? * (2 * i + 1);
    }
    ALPHABET.get(sum % ALPHABET.len()).copied()
}

impl SurveyCode {
    /// A fresh random code.
    pub fn generate(rng: &mut impl Rng) -> SurveyCode {
        let mut body: Vec<u8> = (0..BODY)
            .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())])
            .collect();
        if let Some(c) = check_char(&body) {
            body.push(c);
        }
        SurveyCode(String::from_utf8_lossy(&body).into_owned())
    }

    /// A code as typed: case, spaces and dashes do not matter; the check character must fit.
    pub fn parse(s: &str) -> Option<SurveyCode> {
        let cleaned: Vec<u8> = s
            .bytes()
            .filter(|b| !matches!(b, b' ' | b'-'))
            .map(|b| b.to_ascii_uppercase())
            .collect();
        if cleaned.len() != BODY + 1 {
            return None;
        }
        let (body, check) = cleaned.split_at(BODY);
        if check_char(body)? != *check.first()? {
            return None;
        }
        Some(SurveyCode(String::from_utf8_lossy(&cleaned).into_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `ABCDE-FGHJK`, as printed.
    pub fn display(&self) -> String {
        let (a, b) = self.0.split_at(self.0.len() / 2);
        format!("{a}-{b}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_codes_parse_back_and_typos_do_not() {
        let mut rng = rand::thread_rng();
        for _ in 0..200 {
            let c = SurveyCode::generate(&mut rng);
            assert_eq!(c.as_str().len(), 10);
            assert_eq!(SurveyCode::parse(c.as_str()), Some(c.clone()));
            assert_eq!(
                SurveyCode::parse(&c.display().to_lowercase()),
                Some(c.clone())
            );
            // One character changed is caught by the check character.
            let mut bytes = c.as_str().as_bytes().to_vec();
            bytes[3] = if bytes[3] == b'A' { b'B' } else { b'A' };
            let typo = String::from_utf8(bytes).unwrap_or_default();
            assert_eq!(SurveyCode::parse(&typo), None);
        }
        assert_eq!(SurveyCode::parse(""), None);
        assert_eq!(SurveyCode::parse("O0000-00000"), None);
        assert_eq!(SurveyCode::parse("ABCDE-FGHJKL"), None);
    }
}
