//! The vocabulary of accounts: the roles a user holds and the kinds of agency that have meaning
//! in code.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Supervisor,
    Officer,
    CounterOperator,
    Viewer,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Supervisor,
        Role::Officer,
        Role::CounterOperator,
        Role::Viewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
            Role::Officer => "officer",
            Role::CounterOperator => "counter_operator",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label_id(self) -> &'static str {
        match self {
            Role::Admin => "Admin",
            Role::Supervisor => "Supervisor",
            Role::Officer => "Petugas",
            Role::CounterOperator => "Operator loket",
            Role::Viewer => "Pemantau (baca saja)",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Role::Admin => "Admin",
            Role::Supervisor => "Supervisor",
            Role::Officer => "Officer",
            Role::CounterOperator => "Counter operator",
            Role::Viewer => "Observer (read only)",
        }
    }

    /// The role's name in the reader's language.
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        lang.tr(self.label_id(), self.label_en())
    }
}

/// The agency kinds that have meaning in code (who receives which reports, who may enter
/// results). Stored as their `as_str` code in `agencies.kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgencyKind {
    Kpu,
    Bawaslu,
    Kesbangpol,
    Pemda,
    Disdukcapil,
    Kelurahan,
    Ppid,
    Bkn,
    Diskominfo,
}

impl AgencyKind {
    pub const ALL: [AgencyKind; 9] = [
        AgencyKind::Kpu,
        AgencyKind::Bawaslu,
        AgencyKind::Kesbangpol,
        AgencyKind::Pemda,
        AgencyKind::Disdukcapil,
        AgencyKind::Kelurahan,
        AgencyKind::Ppid,
        AgencyKind::Bkn,
        AgencyKind::Diskominfo,
    ];

    /// The code stored in `agencies.kind`.
    pub const fn as_str(self) -> &'static str {
        match self {
            AgencyKind::Kpu => "kpu",
            AgencyKind::Bawaslu => "bawaslu",
            AgencyKind::Kesbangpol => "kesbangpol",
            AgencyKind::Pemda => "pemda",
            AgencyKind::Disdukcapil => "disdukcapil",
            AgencyKind::Kelurahan => "kelurahan",
            AgencyKind::Ppid => "ppid",
            AgencyKind::Bkn => "bkn",
            AgencyKind::Diskominfo => "diskominfo",
        }
    }

    /// The name people use for it.
    pub const fn label(self) -> &'static str {
        match self {
            AgencyKind::Kpu => "KPU",
            AgencyKind::Bawaslu => "Bawaslu",
            AgencyKind::Kesbangpol => "Kesbangpol",
            AgencyKind::Pemda => "Pemerintah Daerah",
            AgencyKind::Disdukcapil => "Disdukcapil",
            AgencyKind::Kelurahan => "Kelurahan/Desa (loket)",
            AgencyKind::Ppid => "PPID",
            AgencyKind::Bkn => "BKN",
            AgencyKind::Diskominfo => "Diskominfo",
        }
    }

    pub fn parse(s: &str) -> Option<AgencyKind> {
        AgencyKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl std::fmt::Display for AgencyKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Known agency kinds with their names, for forms and lists.
pub const AGENCY_KINDS: [(&str, &str); 9] = {
    let mut out = [("", ""); 9];
    let mut i = 0;
    while i < 9 {
        out[i] = (AgencyKind::ALL[i].as_str(), AgencyKind::ALL[i].label());
        i += 1;
    }
    out
};

pub fn agency_kind_valid(kind: &str) -> bool {
    AgencyKind::parse(kind).is_some()
}
