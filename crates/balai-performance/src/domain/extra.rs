//! A unit's own extra survey questions: asked after the nine elements, answered on the same
//! 1–4 scale, optional for the citizen, and reported apart. They never enter the index: the
//! IKM is the nine elements of PermenPANRB 14/2017 and nothing else ([`super::ikm`] takes only
//! the nine scores).

use super::ikm::Hundredths;
use super::ratio::Ratio;

/// Longest question, in characters.
pub const MAX_TEXT: usize = 300;

/// The words of the four answers, from worst to best.
const ANSWERS_ID: [&str; 4] = ["Tidak baik", "Kurang baik", "Baik", "Sangat baik"];
const ANSWERS_EN: [&str; 4] = ["Poor", "Fair", "Good", "Very good"];

/// An answer's words: score 1–4.
pub fn answer_words(score: u8, en: bool) -> &'static str {
    let words = if en { &ANSWERS_EN } else { &ANSWERS_ID };
    words
        .get(usize::from(score.saturating_sub(1)))
        .copied()
        .unwrap_or("")
}

/// A question's text as given: at most 300 characters as sent, one line, trimmed, not blank
/// if `required`.
pub fn check_text(s: &str, required: bool) -> Option<String> {
    if s.chars().count() > MAX_TEXT {
        return None;
    }
    let s = s.trim();
    let n = s.chars().count();
    let ok = n <= MAX_TEXT && !s.contains(['\n', '\r']) && (n > 0 || !required);
    ok.then(|| s.to_string())
}

/// A score given to an extra question: 1–4.
pub fn score(v: i64) -> Option<u8> {
    u8::try_from(v).ok().filter(|s| (1..=4).contains(s))
}

/// The mean score of `answers` answers summing to `sum`, rounded half up to two decimals;
/// `None` without answers.
pub fn mean(sum: i64, answers: i64) -> Option<Hundredths> {
    let r = Ratio::new(i128::from(sum), i128::from(answers))?;
    i64::try_from(r.round_half_up(2)?).ok().map(Hundredths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_scores_and_means() {
        assert_eq!(
            check_text("  Apakah ruang tunggu nyaman? ", true).as_deref(),
            Some("Apakah ruang tunggu nyaman?")
        );
        assert_eq!(check_text("", true), None);
        assert_eq!(check_text("", false).as_deref(), Some(""));
        assert_eq!(check_text("a\nb", true), None);
        assert_eq!(check_text(&"x".repeat(301), true), None);
        assert_eq!(
            (score(0), score(1), score(4), score(5)),
            (None, Some(1), Some(4), None)
        );
        // 2 + 3 + 3 = 8 over 3 answers: 2.666… → 2.67; 7/2 = 3.5 exactly.
        assert_eq!(mean(8, 3), Some(Hundredths(267)));
        assert_eq!(mean(7, 2), Some(Hundredths(350)));
        assert_eq!(mean(0, 0), None);
        assert_eq!(answer_words(4, false), "Sangat baik");
        assert_eq!(answer_words(1, true), "Poor");
    }
}
