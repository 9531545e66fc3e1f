//! The unit's admin sets its KPI targets from the unit's page: one plain form with a field per
//! figure of the month shown and the index (blank or unchanged: left as it is), POST, then
//! back to the KPIs.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::i18n::Lang;
use balai_core::ids::AgencyId;
use balai_core::kpi::KpiValue;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::csrf::CsrfForm;
use balai_core::web::AppCtx;
use balai_core::AppResult;

use crate::commands::targets;
use crate::domain::ikm::Hundredths;
use crate::domain::kpi::{parse_target, IKM_KEY};
use crate::domain::period::parse_month;
use crate::queries::kpis::MonthKpis;
use crate::store::targets as stored;

/// One field of the form: the figure's key and name, its target as typed back, its unit.
pub struct TargetField {
    pub key: String,
    pub label: String,
    pub value: String,
    pub unit: &'static str,
}

/// The fields for a month's figures: the index first, then each KPI with a good direction.
pub fn fields(m: Option<&MonthKpis>, lang: Lang) -> Vec<TargetField> {
    let typed = |t: Option<i64>| {
        t.map(|h| Hundredths(h).text(if lang == Lang::En { '.' } else { ',' }))
            .unwrap_or_default()
    };
    let mut out = vec![TargetField {
        key: IKM_KEY.into(),
        label: lang
            .tr(
                "Indeks kepuasan masyarakat (IKM)",
                "Community satisfaction index (IKM)",
            )
            .into(),
        value: typed(m.and_then(|m| m.ikm_target)),
        unit: "",
    }];
    if let Some(m) = m {
        out.extend(m.kpis().map(|r| TargetField {
            key: r.figure.key.clone(),
            label: if lang == Lang::En {
                r.figure.label_en.clone()
            } else {
                r.figure.label_id.clone()
            },
            value: typed(r.target),
            unit: match r.figure.value {
                KpiValue::Share { .. } => "%",
                KpiValue::WorkingDays(_) => lang.tr("hari kerja", "working days"),
                KpiValue::Count(_) => "",
            },
        }));
    }
    out
}

/// `POST /kinerja/unit/{id}/target`: fields `t.<kpi key>`; every value is checked before any
/// is stored (a bad one: the error page, nothing changed).
pub async fn set(
    State(ctx): State<AppCtx>,
    actor: Actor,
    meta: ReqMeta,
    Path(unit): Path<AgencyId>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let current = stored::of_unit(&ctx.db, unit).await?;
    let mut items: Vec<(String, String)> = form
        .iter()
        .filter_map(|(name, value)| {
            let key = name.strip_prefix("t.")?;
            let v = value.trim();
            let unchanged = parse_target(v).is_some_and(|h| current.get(key) == Some(&h));
            (!v.is_empty() && !unchanged).then(|| (key.to_string(), v.to_string()))
        })
        .collect();
    items.sort();
    targets::set_targets(&ctx, &meta, &actor, unit, &items).await?;
    let month = form
        .get("month")
        .map(|m| m.trim())
        .filter(|m| parse_month(m).is_some())
        .map(|m| format!("?month={m}"))
        .unwrap_or_default();
    Ok(Redirect::to(&format!("/kinerja/unit/{unit}{month}#kpi")).into_response())
}
