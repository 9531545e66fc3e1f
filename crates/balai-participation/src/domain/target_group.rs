//! Who an activity is for (DOMAIN.md §11), and the kinds of forum: typed vocabularies, stored
//! and sent as their codes.

/// The target group of an outreach activity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TargetGroup {
    /// First-time voters (pemilih pemula).
    PemilihPemula,
    Disabilitas,
    Perempuan,
    TokohAgama,
    TokohAdat,
    Pemuda,
    /// Mass organisations (ormas) and their members.
    Ormas,
    MasyarakatUmum,
}

impl TargetGroup {
    pub const ALL: [TargetGroup; 8] = [
        TargetGroup::PemilihPemula,
        TargetGroup::Disabilitas,
        TargetGroup::Perempuan,
        TargetGroup::TokohAgama,
        TargetGroup::TokohAdat,
        TargetGroup::Pemuda,
        TargetGroup::Ormas,
        TargetGroup::MasyarakatUmum,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            TargetGroup::PemilihPemula => "pemilih_pemula",
            TargetGroup::Disabilitas => "disabilitas",
            TargetGroup::Perempuan => "perempuan",
            TargetGroup::TokohAgama => "tokoh_agama",
            TargetGroup::TokohAdat => "tokoh_adat",
            TargetGroup::Pemuda => "pemuda",
            TargetGroup::Ormas => "ormas",
            TargetGroup::MasyarakatUmum => "masyarakat_umum",
        }
    }

    pub fn parse(s: &str) -> Option<TargetGroup> {
        TargetGroup::ALL
            .into_iter()
            .find(|g| g.as_str() == s.trim())
    }

    /// (Indonesian, English).
    pub const fn label(self) -> (&'static str, &'static str) {
        match self {
            TargetGroup::PemilihPemula => ("Pemilih pemula", "First-time voters"),
            TargetGroup::Disabilitas => ("Penyandang disabilitas", "People with disabilities"),
            TargetGroup::Perempuan => ("Perempuan", "Women"),
            TargetGroup::TokohAgama => ("Tokoh agama", "Religious leaders"),
            TargetGroup::TokohAdat => ("Tokoh adat", "Customary leaders"),
            TargetGroup::Pemuda => ("Pemuda", "Youth"),
            TargetGroup::Ormas => ("Organisasi kemasyarakatan", "Civil-society organisations"),
            TargetGroup::MasyarakatUmum => ("Masyarakat umum", "General public"),
        }
    }
}

/// The kind of a standing forum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ForumKind {
    /// Forum Kerukunan Umat Beragama.
    Fkub,
    Pemuda,
    TokohAdat,
    Perempuan,
    Disabilitas,
    Lainnya,
}

impl ForumKind {
    pub const ALL: [ForumKind; 6] = [
        ForumKind::Fkub,
        ForumKind::Pemuda,
        ForumKind::TokohAdat,
        ForumKind::Perempuan,
        ForumKind::Disabilitas,
        ForumKind::Lainnya,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            ForumKind::Fkub => "fkub",
            ForumKind::Pemuda => "pemuda",
            ForumKind::TokohAdat => "tokoh_adat",
            ForumKind::Perempuan => "perempuan",
            ForumKind::Disabilitas => "disabilitas",
            ForumKind::Lainnya => "lainnya",
        }
    }

    pub fn parse(s: &str) -> Option<ForumKind> {
        ForumKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// (Indonesian, English).
    pub const fn label(self) -> (&'static str, &'static str) {
        match self {
            ForumKind::Fkub => (
                "Forum Kerukunan Umat Beragama (FKUB)",
                "Interfaith harmony forum (FKUB)",
            ),
            ForumKind::Pemuda => ("Forum pemuda", "Youth forum"),
            ForumKind::TokohAdat => ("Majelis tokoh adat", "Council of customary leaders"),
            ForumKind::Perempuan => ("Forum perempuan", "Women's forum"),
            ForumKind::Disabilitas => ("Forum disabilitas", "Disability forum"),
            ForumKind::Lainnya => ("Forum lainnya", "Other forum"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for g in TargetGroup::ALL {
            assert_eq!(TargetGroup::parse(g.as_str()), Some(g));
        }
        for k in ForumKind::ALL {
            assert_eq!(ForumKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(TargetGroup::parse("pemilih"), None);
        assert_eq!(
            TargetGroup::parse(" tokoh_adat "),
            Some(TargetGroup::TokohAdat)
        );
    }
}
