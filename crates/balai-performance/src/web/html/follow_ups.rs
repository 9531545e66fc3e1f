//! The follow-up plan on a unit's report page: every action shown publicly (what, who, by
//! when, status, progress); the unit's admin or supervisor records and updates them with
//! plain forms (POST, then back to the report).

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::i18n::Lang;
use balai_core::ids::AgencyId;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::csrf::CsrfForm;
use balai_core::web::AppCtx;
use balai_core::AppResult;
use time::Date;

use super::day;
use crate::commands::follow_up::{self, ActionInput};
use crate::domain::elements::ELEMENTS;
use crate::domain::follow_up::Status;
use crate::store::follow_ups;
use crate::web::api::surveys::parse_period;

/// One action as shown.
pub struct FollowUpView {
    pub id: i64,
    pub element: String,
    pub plan: String,
    pub owner: String,
    pub due: String,
    pub due_on: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub progress: String,
}

/// The statuses for a form's choice: (key, words).
pub fn statuses(lang: Lang) -> Vec<(&'static str, &'static str)> {
    Status::ALL
        .iter()
        .map(|s| (s.as_str(), s.label(lang == Lang::En)))
        .collect()
}

/// The unit's actions for survey periods overlapping the report's.
pub async fn views(
    ctx: &AppCtx,
    unit: AgencyId,
    (from, to): (Date, Date),
    lang: Lang,
) -> AppResult<Vec<FollowUpView>> {
    let en = lang == Lang::En;
    let rows = follow_ups::list(&ctx.db, unit, from, to).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let status = Status::parse(&r.status).unwrap_or(Status::Planned);
            let element = usize::try_from(r.element - 1)
                .ok()
                .and_then(|i| ELEMENTS.get(i))
                .map_or_else(String::new, |e| format!("{} {}", e.code, e.name(en)));
            FollowUpView {
                id: r.id,
                element,
                plan: r.plan,
                owner: r.owner,
                due: r.due_on.map(|d| day(d, lang)).unwrap_or_else(|| "–".into()),
                due_on: r.due_on.map(|d| d.to_string()).unwrap_or_default(),
                status: status.as_str(),
                status_label: status.label(en),
                progress: r.progress,
            }
        })
        .collect())
}

fn action(form: &HashMap<String, String>) -> ActionInput {
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    ActionInput {
        plan: get("plan"),
        owner: get("owner"),
        due_on: Some(get("due_on")).filter(|d| !d.trim().is_empty()),
        status: get("status"),
        progress: get("progress"),
    }
}

fn back(unit: AgencyId, form: &HashMap<String, String>) -> Response {
    let get = |k: &str| {
        form.get(k)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let (from, to) = (get("from"), get("to"));
    let query = match parse_period(&from, &to) {
        Ok((f, t)) => format!("?from={f}&to={t}"),
        Err(_) => String::new(),
    };
    Redirect::to(&format!("/kinerja/unit/{unit}{query}#tindak-lanjut")).into_response()
}

pub async fn record(
    State(ctx): State<AppCtx>,
    actor: Actor,
    meta: ReqMeta,
    Path(unit): Path<AgencyId>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let get = |k: &str| {
        form.get(k)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let period = parse_period(&get("from"), &get("to"))?;
    let element = get("element").parse().unwrap_or(0);
    follow_up::record(&ctx, &meta, &actor, unit, period, element, &action(&form)).await?;
    Ok(back(unit, &form))
}

pub async fn update(
    State(ctx): State<AppCtx>,
    actor: Actor,
    meta: ReqMeta,
    Path((unit, id)): Path<(AgencyId, i64)>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> AppResult<Response> {
    follow_up::update(&ctx, &meta, &actor, unit, id, &action(&form)).await?;
    Ok(back(unit, &form))
}
