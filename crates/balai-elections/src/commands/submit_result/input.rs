//! What a submission takes and answers: the form as the client sent it, the queued item, the
//! outcome.

use std::collections::BTreeMap;

use balai_core::web::actor::{Actor, ReqMeta};
use serde::{Deserialize, Serialize};

use crate::domain::checks::Finding;
use crate::domain::form::FormFields;

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitInput {
    /// The TPS id, or `village_code` and `tps_number`.
    #[serde(default, deserialize_with = "balai_core::web::json_int::opt_i64")]
    pub tps_id: Option<i64>,
    pub village_code: Option<String>,
    #[serde(default, deserialize_with = "balai_core::web::json_int::opt_i64")]
    pub tps_number: Option<i64>,
    /// The form, nested (`{"pemilih_dpt": {"l": 1, "p": 2, "total": 3}, "votes": {"1": 10}}`)
    /// or with dotted keys (`"pemilih_dpt.l"`).
    #[schema(value_type = Object)]
    pub form: FormFields,
    /// The operator confirms the paper form itself has these numbers: a form failing rules
    /// 1–8 is then stored, flagged.
    #[serde(default)]
    pub confirm_paper: bool,
    /// Why: required for a correction of one's own earlier entry.
    pub reason: Option<String>,
    /// The decision ordering a re-vote (PSU); makes this version supersede earlier ones.
    pub psu_ref: Option<String>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Submitted {
    pub entry_id: i64,
    pub tps_id: i64,
    pub version: i64,
    /// `entry`, `correction` or `psu`
    pub kind: String,
    pub verified: bool,
    pub disputed: bool,
    pub flagged: bool,
    /// Warnings 8–10, stored with the entry.
    pub warnings: Vec<Finding>,
    /// Hard-rule failures stored because the operator confirmed the paper says so.
    pub confirmed_errors: Vec<Finding>,
    /// Position in the election's publication log.
    pub log_seq: i64,
}

/// One form to submit, to which election, and who submits it.
pub struct Item<'a> {
    pub election_id: i64,
    pub actor: &'a Actor,
    pub meta: &'a ReqMeta,
    pub input: &'a SubmitInput,
    /// The form's fields (`input.form`, dotted when the request was read).
    /// (it needs nothing from the database) so the serial writer does not.
    pub flat: &'a BTreeMap<String, serde_json::Value>,
}
