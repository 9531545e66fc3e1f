//! The stages a voter list goes through (PKPU 7/2024): published as DPS (daftar pemilih
//! sementara), corrected after the public's responses (DPSHP), fixed as DPT. Each import is a
//! new version at one stage, kept with its counts.

/// A list version's stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    Dps,
    Dpshp,
    Dpt,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Stage::Dps, Stage::Dpshp, Stage::Dpt];

    pub const fn as_str(self) -> &'static str {
        match self {
            Stage::Dps => "dps",
            Stage::Dpshp => "dpshp",
            Stage::Dpt => "dpt",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    /// As the commission writes it.
    pub const fn label(self) -> &'static str {
        match self {
            Stage::Dps => "DPS",
            Stage::Dpshp => "DPSHP",
            Stage::Dpt => "DPT",
        }
    }

    /// May a list at stage `self` be followed by a new version at `next`? Never back to an
    /// earlier stage, and a fixed DPT is final.
    pub fn may_follow_with(self, next: Stage) -> bool {
        self != Stage::Dpt && next >= self
    }

    /// Does the public still respond to a list at this stage?
    pub fn open_to_responses(self) -> bool {
        self != Stage::Dpt
    }
}

impl TryFrom<String> for Stage {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Stage::parse(&s).ok_or_else(|| format!("unknown list stage {s:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_and_finality() {
        assert!(Stage::Dps.may_follow_with(Stage::Dps));
        assert!(Stage::Dps.may_follow_with(Stage::Dpt));
        assert!(!Stage::Dpshp.may_follow_with(Stage::Dps));
        assert!(!Stage::Dpt.may_follow_with(Stage::Dpt));
        assert!(!Stage::Dpt.open_to_responses());
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.as_str()), Some(s));
        }
        assert_eq!(Stage::parse("DPX"), None);
    }
}
