//! What the neutrality-case API answers: a case for its handling agencies (with the official's
//! identity) and the public statistics (without).

use serde::Serialize;
use utoipa::ToSchema;

use super::cases_schema::{acts, decisions, origins, outcomes, sanctions, stages, steps};
use crate::queries::case_stats::Stats;
use crate::queries::cases::{CaseView, Listed};
use crate::store::appointments::PublicRow;
use crate::store::cases::{CaseRow, StepRow};

/// A case in the handling agencies' list.
#[derive(Serialize, ToSchema)]
pub struct CaseSummary {
    pub id: i64,
    /// The official's appointing government.
    pub region_code: String,
    #[schema(schema_with = origins)]
    pub origin: String,
    /// The Aduan report it started from (its id; never the tracking code).
    pub complaint_id: Option<i64>,
    #[schema(schema_with = stages)]
    pub stage: String,
    #[schema(schema_with = outcomes)]
    pub outcome: Option<String>,
    #[schema(schema_with = acts)]
    pub forbidden_act: Option<String>,
    #[schema(schema_with = sanctions)]
    pub sanction: Option<String>,
    /// YYYY-MM-DD
    pub opened_on: String,
    pub official_name: String,
    pub official_position: String,
}

fn summary(r: &CaseRow, name: &str, position: &str) -> CaseSummary {
    CaseSummary {
        id: r.id,
        region_code: r.region_code.clone(),
        origin: r.origin.clone(),
        complaint_id: r.complaint_id,
        stage: r.stage.clone(),
        outcome: r.outcome.clone(),
        forbidden_act: r.forbidden_act.clone(),
        sanction: r.sanction.clone(),
        opened_on: r.opened_on.to_string(),
        official_name: name.to_string(),
        official_position: position.to_string(),
    }
}

impl From<&Listed> for CaseSummary {
    fn from(l: &Listed) -> Self {
        let (name, position) = l.identity.as_ref().map_or(("", ""), |i| {
            (i.official_name.as_str(), i.official_position.as_str())
        });
        summary(&l.row, name, position)
    }
}

/// One decided step.
#[derive(Serialize, ToSchema)]
pub struct StepOut {
    #[schema(schema_with = steps)]
    pub step: String,
    #[schema(schema_with = decisions)]
    pub decision: String,
    #[schema(schema_with = acts)]
    pub forbidden_act: Option<String>,
    #[schema(schema_with = sanctions)]
    pub sanction: Option<String>,
    pub reference: Option<String>,
    pub note: String,
    pub documents: Vec<String>,
    /// YYYY-MM-DD
    pub started_on: String,
    pub decided_on: String,
    pub due_on: String,
    pub working_days: i64,
    pub agency: Option<String>,
    pub decided_by: String,
}

impl From<&StepRow> for StepOut {
    fn from(s: &StepRow) -> Self {
        StepOut {
            step: s.step.clone(),
            decision: s.decision.clone(),
            forbidden_act: s.forbidden_act.clone(),
            sanction: s.sanction.clone(),
            reference: s.reference.clone(),
            note: s.note.clone(),
            documents: s.documents(),
            started_on: s.started_on.to_string(),
            decided_on: s.decided_on.to_string(),
            due_on: s.due_on.to_string(),
            working_days: s.working_days,
            agency: s.agency_name.clone(),
            decided_by: s.user_name.clone(),
        }
    }
}

/// An appointment of the same official (same NIP).
#[derive(Serialize, ToSchema)]
pub struct LinkedAppointment {
    pub id: i64,
    pub region_code: String,
    pub kind: String,
    pub from_position: String,
    pub to_position: String,
    pub decree_number: String,
    /// YYYY-MM-DD
    pub decree_date: String,
}

impl From<&PublicRow> for LinkedAppointment {
    fn from(a: &PublicRow) -> Self {
        LinkedAppointment {
            id: a.id,
            region_code: a.region_code.clone(),
            kind: a.kind.clone(),
            from_position: a.from_position.clone(),
            to_position: a.to_position.clone(),
            decree_number: a.decree_number.clone(),
            decree_date: a.decree_date.to_string(),
        }
    }
}

/// A case as its handling agencies see it.
#[derive(Serialize, ToSchema)]
pub struct CaseDetail {
    #[serde(flatten)]
    pub summary: CaseSummary,
    pub nip: Option<String>,
    pub allegation: String,
    #[schema(schema_with = sanctions)]
    pub recommended_sanction: Option<String>,
    /// YYYY-MM-DD: the running step's due day.
    pub due_on: Option<String>,
    pub steps: Vec<StepOut>,
    /// The same official's appointments (matched by NIP): the broker-then-promoted pattern.
    pub appointments: Vec<LinkedAppointment>,
    /// May the caller decide the current step?
    pub may_decide: bool,
}

impl From<&CaseView> for CaseDetail {
    fn from(v: &CaseView) -> Self {
        CaseDetail {
            summary: summary(
                &v.row,
                &v.identity.official_name,
                &v.identity.official_position,
            ),
            nip: v.identity.nip.clone(),
            allegation: v.identity.allegation.clone(),
            recommended_sanction: v.row.recommended_sanction.clone(),
            due_on: v.due_on.map(|d| d.to_string()),
            steps: v.steps.iter().map(StepOut::from).collect(),
            appointments: v.appointments.iter().map(LinkedAppointment::from).collect(),
            may_decide: v.may_decide,
        }
    }
}

/// A count under one key.
#[derive(Serialize, ToSchema)]
pub struct Count {
    pub key: String,
    pub cases: u32,
}

#[derive(Serialize, ToSchema)]
pub struct RegionCount {
    pub region_code: String,
    pub region_name: String,
    pub cases: u32,
}

/// The working days one step took, over its decided instances.
#[derive(Serialize, ToSchema)]
pub struct StepDaysOut {
    #[schema(schema_with = steps)]
    pub step: String,
    pub decided: u32,
    pub median_working_days: i64,
    pub max_working_days: i64,
    /// Decided after the clock's due day.
    pub late: u32,
}

/// Anonymised statistics: no name, NIP, position or text.
#[derive(Serialize, ToSchema)]
pub struct StatsOut {
    /// The region asked for (null: all).
    pub region_code: Option<String>,
    pub total: u32,
    pub by_region: Vec<RegionCount>,
    /// The agency holding the case now (`bawaslu`, `bkn`, `pemda`; `closed`).
    pub by_agency: Vec<Count>,
    /// `none` until Bawaslu names the act.
    pub by_forbidden_act: Vec<Count>,
    pub by_stage: Vec<Count>,
    /// `open` while the case runs.
    pub by_outcome: Vec<Count>,
    pub step_days: Vec<StepDaysOut>,
}

fn counts<K: AsRef<str>>(m: &std::collections::BTreeMap<K, u32>) -> Vec<Count> {
    m.iter()
        .map(|(k, v)| Count {
            key: k.as_ref().to_string(),
            cases: *v,
        })
        .collect()
}

impl From<&Stats> for StatsOut {
    fn from(s: &Stats) -> Self {
        let t = &s.tally;
        StatsOut {
            region_code: s.region.as_ref().map(|r| r.0.clone()),
            total: t.total,
            by_region: t
                .by_region
                .iter()
                .map(|(code, n)| RegionCount {
                    region_code: code.clone(),
                    region_name: s.region_names.get(code).cloned().unwrap_or_default(),
                    cases: *n,
                })
                .collect(),
            by_agency: counts(&t.by_agency),
            by_forbidden_act: counts(&t.by_act),
            by_stage: counts(&t.by_stage),
            by_outcome: counts(&t.by_outcome),
            step_days: t
                .step_days
                .iter()
                .map(|d| StepDaysOut {
                    step: d.step.as_str().into(),
                    decided: d.count,
                    median_working_days: d.median,
                    max_working_days: d.max,
                    late: d.late,
                })
                .collect(),
        }
    }
}
