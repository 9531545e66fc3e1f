//! A neutrality case as a typed state machine (DOMAIN.md §7, the flow since August 2024):
//! Bawaslu examines and recommends (naming the forbidden act) → BKN examines and recommends a
//! sanction → the official with appointing authority (PPK) decides the sanction → BKN checks the
//! follow-up. Either examination may end the case with "no violation". No IO.

use balai_core::accounts::AgencyKind;

use super::vocabulary::{ForbiddenAct, Sanction};

/// `clocks.subject_kind` of a case's step clocks (subject id: the case id; purpose: the step).
pub const CLOCK_SUBJECT: &str = "neutrality_case";

/// Where a case comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A Balai complaint of category ASN neutrality, routed by Aduan to Bawaslu.
    Complaint,
    /// Bawaslu's own finding (temuan).
    BawasluFinding,
    /// Entered by BKN (a report that reached it directly); starts at BKN's examination.
    BknEntry,
}

impl Origin {
    pub const ALL: [Origin; 3] = [Origin::Complaint, Origin::BawasluFinding, Origin::BknEntry];

    pub const fn as_str(self) -> &'static str {
        match self {
            Origin::Complaint => "complaint",
            Origin::BawasluFinding => "bawaslu_finding",
            Origin::BknEntry => "bkn_entry",
        }
    }

    pub fn parse(s: &str) -> Option<Origin> {
        Origin::ALL.into_iter().find(|o| o.as_str() == s.trim())
    }

    /// (Bahasa Indonesia, English)
    pub const fn label(self) -> (&'static str, &'static str) {
        match self {
            Origin::Complaint => ("Pengaduan warga (Aduan)", "Citizen complaint (Aduan)"),
            Origin::BawasluFinding => ("Temuan Bawaslu", "Bawaslu's finding"),
            Origin::BknEntry => ("Dicatat oleh BKN", "Entered by BKN"),
        }
    }

    /// The stage a new case starts at.
    pub const fn first_stage(self) -> Stage {
        match self {
            Origin::Complaint | Origin::BawasluFinding => Stage::BawasluExamination,
            Origin::BknEntry => Stage::BknExamination,
        }
    }

    /// The kind of agency that opens a case of this origin.
    pub const fn opened_by(self) -> AgencyKind {
        match self {
            Origin::Complaint | Origin::BawasluFinding => AgencyKind::Bawaslu,
            Origin::BknEntry => AgencyKind::Bkn,
        }
    }
}

/// Where a case stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    BawasluExamination,
    BknExamination,
    Sanction,
    FollowUp,
    Closed,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::BawasluExamination,
        Stage::BknExamination,
        Stage::Sanction,
        Stage::FollowUp,
        Stage::Closed,
    ];
    /// The stages that are steps (with a clock and a decision).
    pub const STEPS: [Stage; 4] = [
        Stage::BawasluExamination,
        Stage::BknExamination,
        Stage::Sanction,
        Stage::FollowUp,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Stage::BawasluExamination => "bawaslu_examination",
            Stage::BknExamination => "bkn_examination",
            Stage::Sanction => "sanction",
            Stage::FollowUp => "follow_up",
            Stage::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    /// (Bahasa Indonesia, English)
    pub const fn label(self) -> (&'static str, &'static str) {
        match self {
            Stage::BawasluExamination => (
                "Pemeriksaan dan rekomendasi Bawaslu",
                "Bawaslu examination and recommendation",
            ),
            Stage::BknExamination => (
                "Pemeriksaan dan rekomendasi BKN",
                "BKN examination and recommendation",
            ),
            Stage::Sanction => (
                "Penjatuhan sanksi oleh PPK",
                "Sanction by the appointing official (PPK)",
            ),
            Stage::FollowUp => ("Pemantauan tindak lanjut", "Follow-up check"),
            Stage::Closed => ("Selesai", "Closed"),
        }
    }

    /// The kind of agency that takes this step's decision (duties separated: each step is one
    /// agency's).
    pub const fn handler(self) -> Option<AgencyKind> {
        match self {
            Stage::BawasluExamination => Some(AgencyKind::Bawaslu),
            Stage::BknExamination | Stage::FollowUp => Some(AgencyKind::Bkn),
            Stage::Sanction => Some(AgencyKind::Pemda),
            Stage::Closed => None,
        }
    }
}

/// How a closed case ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    NoViolation,
    SanctionComplied,
    SanctionNotComplied,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [
        Outcome::NoViolation,
        Outcome::SanctionComplied,
        Outcome::SanctionNotComplied,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Outcome::NoViolation => "no_violation",
            Outcome::SanctionComplied => "sanction_complied",
            Outcome::SanctionNotComplied => "sanction_not_complied",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    /// (Bahasa Indonesia, English)
    pub const fn label(self) -> (&'static str, &'static str) {
        match self {
            Outcome::NoViolation => ("Tidak terbukti melanggar", "No violation found"),
            Outcome::SanctionComplied => (
                "Sanksi dijatuhkan dan dilaksanakan",
                "Sanction imposed and carried out",
            ),
            Outcome::SanctionNotComplied => {
                ("Sanksi tidak dilaksanakan", "Sanction not carried out")
            }
        }
    }
}

/// The decision that ends a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// An examination found a violation: Bawaslu names the act, BKN recommends a sanction.
    Violation {
        act: Option<ForbiddenAct>,
        sanction: Option<Sanction>,
    },
    /// An examination found none: the case closes.
    NoViolation,
    /// The PPK decided the sanction.
    Sanctioned(Sanction),
    /// The follow-up check: the sanction was carried out, or not.
    Complied,
    NotComplied,
}

impl Decision {
    /// The code stored in `neutrality_case_steps.decision`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Decision::Violation { .. } => "violation",
            Decision::NoViolation => "no_violation",
            Decision::Sanctioned(_) => "sanction",
            Decision::Complied => "complied",
            Decision::NotComplied => "not_complied",
        }
    }

    pub const CODES: [&'static str; 5] = [
        "violation",
        "no_violation",
        "sanction",
        "complied",
        "not_complied",
    ];
}

/// Why a decision does not fit the step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WrongDecision {
    /// The case is closed.
    Closed,
    /// This decision is not one of the step's (e.g. "complied" at Bawaslu's examination).
    NotForStep,
    /// Bawaslu's recommendation of a violation names no forbidden act.
    ActRequired,
    /// BKN's recommendation (or the PPK's decision) names no sanction.
    SanctionRequired,
}

/// Where a decision takes the case: the next stage, and the outcome when it closes.
pub fn next(stage: Stage, d: Decision) -> Result<(Stage, Option<Outcome>), WrongDecision> {
    use Decision as D;
    match (stage, d) {
        (Stage::Closed, _) => Err(WrongDecision::Closed),
        (Stage::BawasluExamination | Stage::BknExamination, D::NoViolation) => {
            Ok((Stage::Closed, Some(Outcome::NoViolation)))
        }
        (Stage::BawasluExamination, D::Violation { act, .. }) => {
            act.ok_or(WrongDecision::ActRequired)?;
            Ok((Stage::BknExamination, None))
        }
        (Stage::BknExamination, D::Violation { sanction, .. }) => {
            sanction.ok_or(WrongDecision::SanctionRequired)?;
            Ok((Stage::Sanction, None))
        }
        (Stage::Sanction, D::Sanctioned(_)) => Ok((Stage::FollowUp, None)),
        (Stage::FollowUp, D::Complied) => Ok((Stage::Closed, Some(Outcome::SanctionComplied))),
        (Stage::FollowUp, D::NotComplied) => {
            Ok((Stage::Closed, Some(Outcome::SanctionNotComplied)))
        }
        _ => Err(WrongDecision::NotForStep),
    }
}

/// The decisions a step offers (what its form shows).
pub const fn decisions_of(stage: Stage) -> &'static [&'static str] {
    match stage {
        Stage::BawasluExamination | Stage::BknExamination => &["violation", "no_violation"],
        Stage::Sanction => &["sanction"],
        Stage::FollowUp => &["complied", "not_complied"],
        Stage::Closed => &[],
    }
}

/// (Bahasa Indonesia, English) of a decision code.
pub fn decision_label(code: &str) -> (&'static str, &'static str) {
    match code {
        "violation" => (
            "Terbukti melanggar (rekomendasi)",
            "Violation found (recommendation)",
        ),
        "no_violation" => ("Tidak terbukti melanggar", "No violation found"),
        "sanction" => ("Sanksi diputuskan", "Sanction decided"),
        "complied" => ("Sanksi telah dilaksanakan", "Sanction carried out"),
        "not_complied" => ("Sanksi tidak dilaksanakan", "Sanction not carried out"),
        _ => ("–", "–"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACT: Option<ForbiddenAct> = Some(ForbiddenAct::SocialMediaSupport);

    #[test]
    fn the_whole_flow_from_a_complaint_to_a_complied_sanction() {
        let mut stage = Origin::Complaint.first_stage();
        assert_eq!(stage, Stage::BawasluExamination);
        let steps = [
            Decision::Violation {
                act: ACT,
                sanction: None,
            },
            Decision::Violation {
                act: None,
                sanction: Some(Sanction::DisciplineMedium),
            },
            Decision::Sanctioned(Sanction::DisciplineMedium),
            Decision::Complied,
        ];
        let mut outcome = None;
        for d in steps {
            (stage, outcome) = next(stage, d).unwrap();
        }
        assert_eq!(stage, Stage::Closed);
        assert_eq!(outcome, Some(Outcome::SanctionComplied));
        assert_eq!(next(stage, Decision::Complied), Err(WrongDecision::Closed));
    }

    #[test]
    fn each_step_takes_only_its_own_decisions() {
        assert_eq!(
            next(
                Stage::BawasluExamination,
                Decision::Violation {
                    act: None,
                    sanction: None
                }
            ),
            Err(WrongDecision::ActRequired)
        );
        assert_eq!(
            next(
                Stage::BknExamination,
                Decision::Violation {
                    act: ACT,
                    sanction: None
                }
            ),
            Err(WrongDecision::SanctionRequired)
        );
        assert_eq!(
            next(Stage::BawasluExamination, Decision::Complied),
            Err(WrongDecision::NotForStep)
        );
        assert_eq!(
            next(Stage::Sanction, Decision::NoViolation),
            Err(WrongDecision::NotForStep)
        );
        assert_eq!(
            next(Stage::BknExamination, Decision::NoViolation),
            Ok((Stage::Closed, Some(Outcome::NoViolation)))
        );
        assert_eq!(Origin::BknEntry.first_stage(), Stage::BknExamination);
        for s in Stage::STEPS {
            assert!(s.handler().is_some() && !decisions_of(s).is_empty());
        }
    }
}
