//! What a respondent may tell about themselves, as the regulation's questionnaire asks (age,
//! sex, education, occupation), each optional and in bands: never a name, NIK or contact.

/// One closed question about the respondent: its stored codes with their labels.
pub struct Fact {
    /// The form field and stored column.
    pub field: &'static str,
    pub name_id: &'static str,
    pub name_en: &'static str,
    /// (code, Indonesian label, English label)
    pub options: &'static [(&'static str, &'static str, &'static str)],
}

/// An answer that is not one of a fact's options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAnOption;

impl Fact {
    /// The stored code of an answer (empty: not answered); `Err` for anything else.
    pub fn parse(&self, s: &str) -> Result<Option<&'static str>, NotAnOption> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(None);
        }
        self.options
            .iter()
            .find(|o| o.0 == s)
            .map(|o| Some(o.0))
            .ok_or(NotAnOption)
    }

    pub fn label(&self, code: &str, en: bool) -> String {
        self.options
            .iter()
            .find(|o| o.0 == code)
            .map(|o| if en { o.2 } else { o.1 })
            .unwrap_or(if en { "Not stated" } else { "Tidak diisi" })
            .to_string()
    }

    /// Where an answer stands in the questionnaire's order (not stated: last), for tables.
    pub fn position(&self, code: &str) -> usize {
        self.options
            .iter()
            .position(|o| o.0 == code)
            .unwrap_or(self.options.len())
    }

    pub fn name(&self, en: bool) -> &'static str {
        if en {
            self.name_en
        } else {
            self.name_id
        }
    }
}

pub const AGE: Fact = Fact {
    field: "age_band",
    name_id: "Umur",
    name_en: "Age",
    options: &[
        ("lt20", "Di bawah 20 tahun", "Under 20"),
        ("20_29", "20–29 tahun", "20–29"),
        ("30_39", "30–39 tahun", "30–39"),
        ("40_49", "40–49 tahun", "40–49"),
        ("50_59", "50–59 tahun", "50–59"),
        ("60plus", "60 tahun ke atas", "60 or older"),
    ],
};

pub const SEX: Fact = Fact {
    field: "sex",
    name_id: "Jenis kelamin",
    name_en: "Sex",
    options: &[("L", "Laki-laki", "Male"), ("P", "Perempuan", "Female")],
};

pub const EDUCATION: Fact = Fact {
    field: "education",
    name_id: "Pendidikan",
    name_en: "Education",
    options: &[
        ("sd", "SD ke bawah", "Primary school or less"),
        ("smp", "SMP", "Junior secondary"),
        ("sma", "SMA", "Senior secondary"),
        ("diploma", "D1–D3–D4", "Diploma"),
        ("s1", "S1", "Bachelor's degree"),
        ("s2plus", "S2 ke atas", "Master's degree or higher"),
    ],
};

pub const OCCUPATION: Fact = Fact {
    field: "occupation",
    name_id: "Pekerjaan",
    name_en: "Occupation",
    options: &[
        ("pns", "PNS", "Civil servant"),
        ("tni", "TNI", "Armed forces"),
        ("polri", "POLRI", "Police"),
        ("swasta", "Swasta", "Private sector"),
        ("wirausaha", "Wirausaha", "Self-employed"),
        ("pelajar", "Pelajar/Mahasiswa", "Student"),
        ("lainnya", "Lainnya", "Other"),
    ],
};

pub const ALL: [&Fact; 4] = [&AGE, &SEX, &EDUCATION, &OCCUPATION];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_are_closed_lists() {
        assert_eq!(SEX.parse("P"), Ok(Some("P")));
        assert_eq!(SEX.parse(" "), Ok(None));
        assert_eq!(SEX.parse("X"), Err(NotAnOption));
        assert_eq!(EDUCATION.label("s1", false), "S1");
        assert_eq!(AGE.label("", true), "Not stated");
        assert!(AGE.position("lt20") < AGE.position("60plus"));
        assert_eq!(SEX.position(""), 2);
    }
}
