//! Who may do what in Kinerja: the role × action table the commands consult (written out in
//! `docs/ROLES.md`). Every action is for the official's own agency (the service unit) only,
//! which [`acts_for`] checks beside the table; a super-admin may do everything. Answering a
//! survey needs no account, only an unused code; reading indexes and KPIs is public.

use balai_core::accounts::{Agency, Role};
use balai_core::web::actor::Actor;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PerfAction {
    /// Issue single-use survey codes (for receipts and counter cards).
    IssueCodes,
    /// Set the unit's element weights and the number of service users of a month.
    ManageSettings,
    /// Set the unit's KPI targets.
    SetTargets,
    /// Record or update the follow-up plan of a survey period.
    RecordFollowUp,
}

impl PerfAction {
    pub const ALL: [PerfAction; 4] = [
        PerfAction::IssueCodes,
        PerfAction::ManageSettings,
        PerfAction::SetTargets,
        PerfAction::RecordFollowUp,
    ];

    /// The action's name in `docs/ROLES.md`.
    pub const fn as_str(self) -> &'static str {
        match self {
            PerfAction::IssueCodes => "issue_codes",
            PerfAction::ManageSettings => "manage_settings",
            PerfAction::SetTargets => "set_targets",
            PerfAction::RecordFollowUp => "record_follow_up",
        }
    }
}

/// May an official of the unit, with this role, take this action?
pub const fn may(role: Role, action: PerfAction) -> bool {
    match action {
        PerfAction::IssueCodes => !matches!(role, Role::Viewer),
        PerfAction::ManageSettings | PerfAction::SetTargets => matches!(role, Role::Admin),
        PerfAction::RecordFollowUp => matches!(role, Role::Admin | Role::Supervisor),
    }
}

/// May the actor take `action` for `unit`? Officials act for their own agency only (which
/// fixes its kind and region); a super-admin for any.
pub fn acts_for(actor: &Actor, unit: &Agency, action: PerfAction) -> bool {
    actor.is_superadmin()
        || (may(actor.role, action) && actor.agency.as_ref().is_some_and(|a| a.id == unit.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let allowed = |role| -> Vec<&str> {
            PerfAction::ALL
                .into_iter()
                .filter(|a| may(role, *a))
                .map(PerfAction::as_str)
                .collect()
        };
        assert_eq!(
            allowed(Role::Admin),
            [
                "issue_codes",
                "manage_settings",
                "set_targets",
                "record_follow_up"
            ]
        );
        assert_eq!(
            allowed(Role::Supervisor),
            ["issue_codes", "record_follow_up"]
        );
        assert_eq!(allowed(Role::Officer), ["issue_codes"]);
        assert_eq!(allowed(Role::CounterOperator), ["issue_codes"]);
        assert!(allowed(Role::Viewer).is_empty());
    }
}
