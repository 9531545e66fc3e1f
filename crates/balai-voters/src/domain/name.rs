//! Names as the check compares them: case, spacing and punctuation do not matter, and neither
//! do titles and degrees (`H.`, `Hj.`, `Dr.`, `S.E.`, `S.Pd.`…), which the list and the person
//! asking write differently. Only a keyed hash of the normalised name is kept in the look-up
//! index, with a masked form for the answer.

/// Honorifics and academic degrees, written without their dots, upper case.
const TITLES: &[&str] = &[
    "H", "HJ", "HAJI", "HAJJAH", "KH", "DR", "DRS", "DRA", "IR", "PROF", "IRJEN", "SE", "SH",
    "SPD", "SPDI", "SAG", "SKOM", "ST", "SKM", "SIP", "SSOS", "SP", "SPT", "SHI", "SSI", "SKEP",
    "SFARM", "SKED", "SS", "SSN", "STP", "SIKOM", "SPSI", "AK", "AMD", "AMK", "AMKEB", "AMDKEB",
    "AMDKEP", "MM", "MSI", "MPD", "MH", "MT", "MKES", "MA", "MAG", "MKOM", "MSC", "MBA", "MPH",
    "PHD", "BA", "BSC", "SPOG", "SPA", "SPB", "SPPD",
];

/// Upper case, letters and digits only, words separated by one space, titles dropped. A name
/// made only of titles keeps them (so it is not empty).
pub fn normalise(name: &str) -> String {
    // Built in place, without a string per word: an import normalises millions of names.
    let mut all = String::with_capacity(name.len());
    let mut kept = String::with_capacity(name.len());
    let mut word = String::with_capacity(32);
    for w in name.split(|c: char| c.is_whitespace() || c == ',') {
        word.clear();
        for c in w.chars().filter(|c| c.is_alphanumeric()) {
            word.extend(c.to_uppercase());
        }
        if word.is_empty() {
            continue;
        }
        if !all.is_empty() {
            all.push(' ');
        }
        all.push_str(&word);
        if !TITLES.contains(&word.as_str()) {
            if !kept.is_empty() {
                kept.push(' ');
            }
            kept.push_str(&word);
        }
    }
    if kept.is_empty() {
        all
    } else {
        kept
    }
}

/// Each word of the normalised name as its first letter and one star per further letter:
/// `SITI WAHYUNI` → `S*** W******`. Enough for a person to recognise their own entry.
pub fn mask(name: &str) -> String {
    normalise(name)
        .split(' ')
        .map(|w| {
            let mut cs = w.chars();
            let first: String = cs.next().into_iter().collect();
            first + &"*".repeat(cs.count())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_spacing_punctuation_and_titles() {
        let listed = normalise("H. Ahmad  Fauzi, S.E.");
        assert_eq!(listed, "AHMAD FAUZI");
        for typed in [
            "ahmad fauzi",
            "  AHMAD   FAUZI ",
            "Ahmad Fauzi SE",
            "Haji Ahmad Fauzi",
            "Dr. Ahmad Fauzi, M.M.",
            "ahmad-fauzi".replace('-', " ").as_str(),
        ] {
            assert_eq!(normalise(typed), listed, "{typed}");
        }
        assert_ne!(normalise("Ahmad Fauzan"), listed);
        assert_eq!(normalise("Hj. Siti Nur'aini, S.Pd."), "SITI NURAINI");
        // Only titles: kept, not empty.
        assert_eq!(normalise("H."), "H");
        assert_eq!(normalise(" , "), "");
    }

    #[test]
    fn masked_names() {
        assert_eq!(mask("Siti Wahyuni, S.Pd."), "S*** W******");
        assert_eq!(mask("A"), "A");
        assert!(!mask("Budi Santoso").contains("udi"));
    }
}
