//! The legal vocabulary of a neutrality case: the forbidden acts Bawaslu names and the
//! sanctions BKN recommends and the PPK decides, with their Indonesian labels and sources.

/// The forbidden acts of civil servants in elections, as grouped in the joint decree on ASN
/// neutrality: SKB Menteri PANRB, Menteri Dalam Negeri, Kepala BKN, Ketua KASN dan Ketua
/// Bawaslu Nomor 2 Tahun 2022 (dan seterusnya) tentang Pedoman Pembinaan dan Pengawasan
/// Netralitas Pegawai Aparatur Sipil Negara dalam Penyelenggaraan Pemilihan Umum dan
/// Pemilihan, Lampiran (bentuk pelanggaran netralitas); the same acts UU 5/2014 art. 2(f),
/// 9(2) and PP 94/2021 art. 5(n) forbid. DOMAIN.md §7.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ForbiddenAct {
    /// Putting up banners, posters or other material promoting a candidate or party.
    CampaignMaterial,
    /// Supporting a candidate on social media (posting, commenting, sharing, liking, joining or
    /// following a campaign group).
    SocialMediaSupport,
    /// Being a member or officer of a political party.
    PartyMembership,
    /// Attending a candidate's declaration or campaign and showing support.
    AttendingCampaign,
    /// Holding or joining gatherings, calls or gifts that favour a candidate.
    PartisanGathering,
    /// Being on a candidate's campaign or success team.
    CampaignTeam,
    /// Taking decisions or actions that favour or harm a candidate.
    FavouringDecision,
    /// Using office facilities, budget or attributes for a candidate.
    UsingOfficeFacilities,
    /// A photo or gesture with a candidate showing partisanship.
    PartisanGesture,
    /// Giving an identity card copy as support for an independent candidate.
    IdCardSupport,
    /// Running as a candidate without resigning from the civil service.
    CandidacyWithoutResigning,
}

impl ForbiddenAct {
    pub const ALL: [ForbiddenAct; 11] = [
        ForbiddenAct::CampaignMaterial,
        ForbiddenAct::SocialMediaSupport,
        ForbiddenAct::PartyMembership,
        ForbiddenAct::AttendingCampaign,
        ForbiddenAct::PartisanGathering,
        ForbiddenAct::CampaignTeam,
        ForbiddenAct::FavouringDecision,
        ForbiddenAct::UsingOfficeFacilities,
        ForbiddenAct::PartisanGesture,
        ForbiddenAct::IdCardSupport,
        ForbiddenAct::CandidacyWithoutResigning,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            ForbiddenAct::CampaignMaterial => "campaign_material",
            ForbiddenAct::SocialMediaSupport => "social_media_support",
            ForbiddenAct::PartyMembership => "party_membership",
            ForbiddenAct::AttendingCampaign => "attending_campaign",
            ForbiddenAct::PartisanGathering => "partisan_gathering",
            ForbiddenAct::CampaignTeam => "campaign_team",
            ForbiddenAct::FavouringDecision => "favouring_decision",
            ForbiddenAct::UsingOfficeFacilities => "using_office_facilities",
            ForbiddenAct::PartisanGesture => "partisan_gesture",
            ForbiddenAct::IdCardSupport => "id_card_support",
            ForbiddenAct::CandidacyWithoutResigning => "candidacy_without_resigning",
        }
    }

    pub fn parse(s: &str) -> Option<ForbiddenAct> {
        ForbiddenAct::ALL
            .into_iter()
            .find(|a| a.as_str() == s.trim())
    }

    /// (Bahasa Indonesia, English)
    pub const fn label(self) -> (&'static str, &'static str) {
        match self {
            ForbiddenAct::CampaignMaterial => (
                "Memasang alat peraga atau bahan kampanye",
                "Putting up campaign material",
            ),
            ForbiddenAct::SocialMediaSupport => (
                "Mendukung calon di media sosial (unggah, komentar, bagikan, suka)",
                "Supporting a candidate on social media",
            ),
            ForbiddenAct::PartyMembership => (
                "Menjadi anggota atau pengurus partai politik",
                "Party membership or office",
            ),
            ForbiddenAct::AttendingCampaign => (
                "Menghadiri deklarasi atau kampanye dan menunjukkan keberpihakan",
                "Attending a campaign and showing support",
            ),
            ForbiddenAct::PartisanGathering => (
                "Mengadakan kegiatan, ajakan atau pemberian yang berpihak",
                "Partisan gatherings, calls or gifts",
            ),
            ForbiddenAct::CampaignTeam => (
                "Menjadi tim sukses atau tim kampanye",
                "Joining a campaign team",
            ),
            ForbiddenAct::FavouringDecision => (
                "Membuat keputusan atau tindakan yang menguntungkan atau merugikan calon",
                "Decisions favouring or harming a candidate",
            ),
            ForbiddenAct::UsingOfficeFacilities => (
                "Menggunakan fasilitas, anggaran atau atribut jabatan",
                "Using office facilities or budget",
            ),
            ForbiddenAct::PartisanGesture => (
                "Berfoto atau bergestur menunjukkan keberpihakan",
                "Partisan photo or gesture",
            ),
            ForbiddenAct::IdCardSupport => (
                "Memberikan fotokopi KTP untuk dukungan calon perseorangan",
                "ID card copy supporting an independent candidate",
            ),
            ForbiddenAct::CandidacyWithoutResigning => (
                "Mencalonkan diri tanpa mengundurkan diri",
                "Running without resigning",
            ),
        }
    }
}

/// The sanctions: an ethics sanction, a moral statement made closed or open (PP 42/2004 on the
/// corps spirit and code of ethics, art. 15–16), or a discipline sentence of PP 94/2021 on civil
/// servants' discipline, medium (art. 8(3)) or severe (art. 8(4)), up to dismissal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sanction {
    EthicsClosedStatement,
    EthicsOpenStatement,
    DisciplineMedium,
    DisciplineSevere,
}

impl Sanction {
    pub const ALL: [Sanction; 4] = [
        Sanction::EthicsClosedStatement,
        Sanction::EthicsOpenStatement,
        Sanction::DisciplineMedium,
        Sanction::DisciplineSevere,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Sanction::EthicsClosedStatement => "ethics_closed_statement",
            Sanction::EthicsOpenStatement => "ethics_open_statement",
            Sanction::DisciplineMedium => "discipline_medium",
            Sanction::DisciplineSevere => "discipline_severe",
        }
    }

    pub fn parse(s: &str) -> Option<Sanction> {
        Sanction::ALL.into_iter().find(|a| a.as_str() == s.trim())
    }

    /// (Bahasa Indonesia, English)
    pub const fn label(self) -> (&'static str, &'static str) {
        match self {
            Sanction::EthicsClosedStatement => (
                "Sanksi moral: pernyataan secara tertutup",
                "Ethics: closed moral statement",
            ),
            Sanction::EthicsOpenStatement => (
                "Sanksi moral: pernyataan secara terbuka",
                "Ethics: open moral statement",
            ),
            Sanction::DisciplineMedium => (
                "Hukuman disiplin sedang (PP 94/2021)",
                "Medium discipline sentence (PP 94/2021)",
            ),
            Sanction::DisciplineSevere => (
                "Hukuman disiplin berat (PP 94/2021)",
                "Severe discipline sentence (PP 94/2021)",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_labels_differ() {
        for a in ForbiddenAct::ALL {
            assert_eq!(ForbiddenAct::parse(a.as_str()), Some(a));
            assert_ne!(a.label().0, a.label().1);
        }
        for s in Sanction::ALL {
            assert_eq!(Sanction::parse(s.as_str()), Some(s));
        }
        assert_eq!(ForbiddenAct::parse("kampanye"), None);
    }
}
