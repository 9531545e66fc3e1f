//! Who handles a neutrality case, who sees what of it, and the role table of its actions
//! (`docs/ROLES.md`). The handling agencies are Bawaslu over the official's region, BKN over
//! it, and the region's own Pemda (the PPK's office). Each step is one agency's decision
//! (duties separated); a Pemda (and BKN) do not see a case while Bawaslu is still examining it,
//! so no one reads Bawaslu's examination before its recommendation; nobody else sees a case at
//! all, and the public only anonymised counts.

use balai_core::accounts::{AgencyKind, Role};
use balai_core::regions::RegionCode;

use super::access::AgencyView;
use super::case::Stage;

/// An official's action on neutrality cases.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseAction {
    /// Open a case (Bawaslu: from a complaint or its own finding; BKN: its own entry).
    OpenCase,
    /// Record a step's decision (a recommendation, the sanction, the follow-up check).
    DecideStep,
    /// Read a case with the official's identity.
    ReadCase,
}

impl CaseAction {
    pub const ALL: [CaseAction; 3] = [
        CaseAction::OpenCase,
        CaseAction::DecideStep,
        CaseAction::ReadCase,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            CaseAction::OpenCase => "open_case",
            CaseAction::DecideStep => "decide_step",
            CaseAction::ReadCase => "read_case",
        }
    }
}

/// The role table: officers open cases and read them; a step's decision is a supervisor's or
/// an admin's; a viewer reads; a counter operator has no part.
pub const fn may(role: Role, action: CaseAction) -> bool {
    match action {
        CaseAction::OpenCase => matches!(role, Role::Admin | Role::Supervisor | Role::Officer),
        CaseAction::DecideStep => matches!(role, Role::Admin | Role::Supervisor),
        CaseAction::ReadCase => !matches!(role, Role::CounterOperator),
    }
}

/// Is this agency one of those handling cases of officials of `region`? Bawaslu or BKN whose
/// region is it or contains it, or the region's own Pemda.
pub fn handles(agency: AgencyView<'_>, region: &RegionCode) -> Option<AgencyKind> {
    let covers =
        || RegionCode::parse(agency.region_code).is_ok_and(|r| r.contains(region.as_str()));
    if agency.kind == AgencyKind::Bawaslu.as_str() && covers() {
        Some(AgencyKind::Bawaslu)
    } else if agency.kind == AgencyKind::Bkn.as_str() && covers() {
        Some(AgencyKind::Bkn)
    } else if agency.kind == AgencyKind::Pemda.as_str() && agency.region_code == region.as_str() {
        Some(AgencyKind::Pemda)
    } else {
        None
    }
}

/// May a handling agency of this kind see a case at this stage? Bawaslu always; BKN and the
/// Pemda once Bawaslu's examination has ended in a recommendation (or the case started at BKN).
pub fn sees(kind: AgencyKind, stage: Stage) -> bool {
    kind == AgencyKind::Bawaslu || stage != Stage::BawasluExamination
}

/// May a handling agency of this kind decide this step? Only the step's own agency.
pub fn decides(kind: AgencyKind, stage: Stage) -> bool {
    stage.handler() == Some(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(c: &str) -> RegionCode {
        RegionCode::parse(c).unwrap()
    }

    fn view<'a>(kind: &'a str, region_code: &'a str) -> AgencyView<'a> {
        AgencyView { kind, region_code }
    }

    #[test]
    fn handling_agencies_of_a_city_official() {
        let banjar = region("32.79");
        assert_eq!(
            handles(view("bawaslu", "32.79"), &banjar),
            Some(AgencyKind::Bawaslu)
        );
        assert_eq!(
            handles(view("bawaslu", "32"), &banjar),
            Some(AgencyKind::Bawaslu)
        );
        assert_eq!(handles(view("bkn", "32"), &banjar), Some(AgencyKind::Bkn));
        assert_eq!(
            handles(view("pemda", "32.79"), &banjar),
            Some(AgencyKind::Pemda)
        );
        assert_eq!(handles(view("pemda", "32"), &banjar), None);
        assert_eq!(handles(view("kpu", "32.79"), &banjar), None);
        assert_eq!(handles(view("bawaslu", "16.71"), &banjar), None);
    }

    #[test]
    fn the_pemda_waits_for_bawaslus_recommendation_and_decides_only_the_sanction() {
        assert!(!sees(AgencyKind::Pemda, Stage::BawasluExamination));
        assert!(!sees(AgencyKind::Bkn, Stage::BawasluExamination));
        assert!(sees(AgencyKind::Bawaslu, Stage::BawasluExamination));
        assert!(sees(AgencyKind::Pemda, Stage::BknExamination));
        assert!(decides(AgencyKind::Pemda, Stage::Sanction));
        assert!(!decides(AgencyKind::Pemda, Stage::BknExamination));
        assert!(decides(AgencyKind::Bkn, Stage::FollowUp));
        assert!(!decides(AgencyKind::Bawaslu, Stage::Closed));
    }

    #[test]
    fn the_role_table() {
        let allowed = |r| {
            CaseAction::ALL
                .into_iter()
                .filter(|a| may(r, *a))
                .map(CaseAction::as_str)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            allowed(Role::Admin),
            ["open_case", "decide_step", "read_case"]
        );
        assert_eq!(allowed(Role::Supervisor), allowed(Role::Admin));
        assert_eq!(allowed(Role::Officer), ["open_case", "read_case"]);
        assert_eq!(allowed(Role::Viewer), ["read_case"]);
        assert!(allowed(Role::CounterOperator).is_empty());
    }
}
