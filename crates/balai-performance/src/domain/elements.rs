//! The nine elements of the community satisfaction survey (SKM), PermenPANRB 14/2017 lampiran
//! (unsur survei kepuasan masyarakat), each answered 1–4 with the answers the regulation's
//! sample questionnaire gives them (a = 1 … d = 4). The order is the regulation's (U1–U9),
//! and it is the order of `answers` in the API.

/// One element (unsur) with its question and its four answers, in both languages.
pub struct Element {
    /// `U1` … `U9`.
    pub code: &'static str,
    pub name_id: &'static str,
    pub name_en: &'static str,
    pub question_id: &'static str,
    pub question_en: &'static str,
    /// The answers scored 1, 2, 3 and 4.
    pub answers_id: [&'static str; 4],
    pub answers_en: [&'static str; 4],
}

impl Element {
    pub fn name(&self, en: bool) -> &'static str {
        if en {
            self.name_en
        } else {
            self.name_id
        }
    }

    pub fn question(&self, en: bool) -> &'static str {
        if en {
            self.question_en
        } else {
            self.question_id
        }
    }

    /// The answer scored `score` (1–4).
    pub fn answer(&self, score: u8, en: bool) -> &'static str {
        let i = usize::from(score.clamp(1, 4) - 1);
        let list = if en {
            &self.answers_en
        } else {
            &self.answers_id
        };
        list.get(i).copied().unwrap_or("")
    }
}

/// How many elements enter the index.
pub const COUNT: usize = 9;

pub const ELEMENTS: [Element; COUNT] = [
    Element {
        code: "U1",
        name_id: "Persyaratan",
        name_en: "Requirements",
        question_id: "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
        question_en: "How well did the requirements fit the service you received?",
        answers_id: ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
        answers_en: ["Not fitting", "Fitting poorly", "Fitting", "Fitting very well"],
    },
    Element {
        code: "U2",
        name_id: "Sistem, mekanisme, dan prosedur",
        name_en: "System, mechanism and procedure",
        question_id: "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        question_en: "How easy was the service procedure of this unit?",
        answers_id: ["Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"],
        answers_en: ["Not easy", "Not very easy", "Easy", "Very easy"],
    },
    Element {
        code: "U3",
        name_id: "Waktu penyelesaian",
        name_en: "Completion time",
        question_id: "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        question_en: "How fast was the service?",
        answers_id: ["Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"],
        answers_en: ["Not fast", "Not very fast", "Fast", "Very fast"],
    },
    Element {
        code: "U4",
        name_id: "Biaya/tarif",
        name_en: "Cost/fee",
        question_id: "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        question_en: "How fair was the cost or fee of the service?",
        answers_id: ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"],
        answers_en: ["Very expensive", "Rather expensive", "Cheap", "Free"],
    },
    Element {
        code: "U5",
        name_id: "Produk spesifikasi jenis pelayanan",
        name_en: "Service product specification",
        question_id: "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam standar pelayanan dengan hasil yang diberikan?",
        question_en: "How well did what you received match the product named in the service standard?",
        answers_id: ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
        answers_en: ["Not matching", "Matching poorly", "Matching", "Matching very well"],
    },
    Element {
        code: "U6",
        name_id: "Kompetensi pelaksana",
        name_en: "Competence of the staff",
        question_id: "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        question_en: "How competent were the staff who served you?",
        answers_id: ["Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"],
        answers_en: ["Not competent", "Not very competent", "Competent", "Very competent"],
    },
    Element {
        code: "U7",
        name_id: "Perilaku pelaksana",
        name_en: "Conduct of the staff",
        question_id: "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
        question_en: "How polite and friendly were the staff?",
        answers_id: [
            "Tidak sopan dan ramah",
            "Kurang sopan dan ramah",
            "Sopan dan ramah",
            "Sangat sopan dan ramah",
        ],
        answers_en: [
            "Not polite and friendly",
            "Not very polite and friendly",
            "Polite and friendly",
            "Very polite and friendly",
        ],
    },
    Element {
        code: "U8",
        name_id: "Penanganan pengaduan, saran dan masukan",
        name_en: "Handling of complaints, suggestions and feedback",
        question_id: "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
        question_en: "How are service users' complaints handled?",
        answers_id: [
            "Tidak ada",
            "Ada tetapi tidak berfungsi",
            "Berfungsi kurang maksimal",
            "Dikelola dengan baik",
        ],
        answers_en: [
            "There is no way to complain",
            "There is one, but it does not work",
            "It works, but not fully",
            "Handled well",
        ],
    },
    Element {
        code: "U9",
        name_id: "Sarana dan prasarana",
        name_en: "Facilities",
        question_id: "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        question_en: "How good are the facilities?",
        answers_id: ["Buruk", "Cukup", "Baik", "Sangat baik"],
        answers_en: ["Poor", "Fair", "Good", "Very good"],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nine_elements_in_the_regulation_order_with_four_answers_each() {
        let codes: Vec<&str> = ELEMENTS.iter().map(|e| e.code).collect();
        assert_eq!(
            codes,
            ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"]
        );
        assert_eq!(ELEMENTS[3].answer(4, false), "Gratis");
        assert_eq!(ELEMENTS[3].answer(1, true), "Very expensive");
        assert_eq!(ELEMENTS[8].name(false), "Sarana dan prasarana");
        assert!(ELEMENTS.iter().all(|e| e
            .answers_id
            .iter()
            .chain(&e.answers_en)
            .all(|a| !a.is_empty())));
    }
}
