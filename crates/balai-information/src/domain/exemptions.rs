//! The grounds to withhold information: the exemptions of UU 14/2008 art. 17 (a–j). A refusal,
//! and the withheld part of a partial answer, names one of them and carries the consequence test
//! (uji konsekuensi, art. 19): what harm disclosure would do, weighed against the public
//! interest.

/// One exemption of art. 17.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Exemption {
    LawEnforcement,
    IntellectualProperty,
    DefenceAndSecurity,
    NaturalResources,
    EconomicResilience,
    ForeignRelations,
    AuthenticDeeds,
    PersonalSecrets,
    InternalMemoranda,
    ClosedByLaw,
}

impl Exemption {
    pub const ALL: [Exemption; 10] = [
        Exemption::LawEnforcement,
        Exemption::IntellectualProperty,
        Exemption::DefenceAndSecurity,
        Exemption::NaturalResources,
        Exemption::EconomicResilience,
        Exemption::ForeignRelations,
        Exemption::AuthenticDeeds,
        Exemption::PersonalSecrets,
        Exemption::InternalMemoranda,
        Exemption::ClosedByLaw,
    ];

    /// The letter of art. 17 (`a`–`j`): the code in the API and the database.
    pub const fn code(self) -> &'static str {
        match self {
            Exemption::LawEnforcement => "a",
            Exemption::IntellectualProperty => "b",
            Exemption::DefenceAndSecurity => "c",
            Exemption::NaturalResources => "d",
            Exemption::EconomicResilience => "e",
            Exemption::ForeignRelations => "f",
            Exemption::AuthenticDeeds => "g",
            Exemption::PersonalSecrets => "h",
            Exemption::InternalMemoranda => "i",
            Exemption::ClosedByLaw => "j",
        }
    }

    pub fn parse(s: &str) -> Option<Exemption> {
        let s = s.trim().to_ascii_lowercase();
        let s = s.strip_prefix("17").unwrap_or(&s);
        Exemption::ALL.into_iter().find(|e| e.code() == s)
    }

    pub const fn label_id(self) -> &'static str {
        match self {
            Exemption::LawEnforcement => "Pasal 17 huruf a: menghambat proses penegakan hukum",
            Exemption::IntellectualProperty => {
                "Pasal 17 huruf b: hak atas kekayaan intelektual dan persaingan usaha tidak sehat"
            }
            Exemption::DefenceAndSecurity => "Pasal 17 huruf c: pertahanan dan keamanan negara",
            Exemption::NaturalResources => "Pasal 17 huruf d: kekayaan alam Indonesia",
            Exemption::EconomicResilience => "Pasal 17 huruf e: ketahanan ekonomi nasional",
            Exemption::ForeignRelations => "Pasal 17 huruf f: kepentingan hubungan luar negeri",
            Exemption::AuthenticDeeds => {
                "Pasal 17 huruf g: isi akta otentik yang bersifat pribadi dan wasiat"
            }
            Exemption::PersonalSecrets => "Pasal 17 huruf h: rahasia pribadi",
            Exemption::InternalMemoranda => {
                "Pasal 17 huruf i: memorandum antar atau intra Badan Publik yang dirahasiakan"
            }
            Exemption::ClosedByLaw => {
                "Pasal 17 huruf j: informasi yang tidak boleh diungkapkan menurut undang-undang"
            }
        }
    }

    pub const fn label_en(self) -> &'static str {
        match self {
            Exemption::LawEnforcement => "Art. 17(a): would obstruct law enforcement",
            Exemption::IntellectualProperty => {
                "Art. 17(b): intellectual property and unfair competition"
            }
            Exemption::DefenceAndSecurity => "Art. 17(c): national defence and security",
            Exemption::NaturalResources => "Art. 17(d): Indonesia's natural resources",
            Exemption::EconomicResilience => "Art. 17(e): national economic resilience",
            Exemption::ForeignRelations => "Art. 17(f): foreign relations",
            Exemption::AuthenticDeeds => "Art. 17(g): private authentic deeds and last wills",
            Exemption::PersonalSecrets => "Art. 17(h): personal secrets",
            Exemption::InternalMemoranda => {
                "Art. 17(i): confidential memoranda between or within public bodies"
            }
            Exemption::ClosedByLaw => "Art. 17(j): information a statute closes",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_a_to_j_round_trip() {
        let codes: String = Exemption::ALL.iter().map(|e| e.code()).collect();
        assert_eq!(codes, "abcdefghij");
        for e in Exemption::ALL {
            assert_eq!(Exemption::parse(e.code()), Some(e));
        }
        assert_eq!(Exemption::parse("17H"), Some(Exemption::PersonalSecrets));
        assert_eq!(Exemption::parse("k"), None);
        assert_eq!(Exemption::parse(""), None);
    }
}
