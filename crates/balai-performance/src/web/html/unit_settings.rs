//! The unit's admin sets its element weights and a month's service users from the unit's page:
//! two plain forms, POST, then back to the page with a short confirmation. The commands check
//! everything; a refusal they explain (a weight, the sum, the month, the number) shows the form
//! again with what was typed and the message next to its field, and nothing is changed.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::i18n::Lang;
use balai_core::ids::AgencyId;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

use super::public::PeriodQuery;
use super::report::{self, Viewer};
use super::unit_forms::{fields, SettingsForms};
use crate::commands::settings;
use crate::domain::elements::ELEMENTS;
use crate::domain::ikm::WeightsError;
use crate::errors::PerformanceError;

#[derive(Deserialize)]
pub struct UsersForm {
    #[serde(default)]
    month: String,
    #[serde(default)]
    users: String,
}

/// The unit's page again, with the refused form open (422).
async fn again(
    ctx: &AppCtx,
    lang: Lang,
    actor: &Actor,
    csrf: &CsrfToken,
    unit: AgencyId,
    forms: SettingsForms,
) -> AppResult<Response> {
    let path = format!("/kinerja/unit/{unit}");
    let viewer = Viewer {
        lang,
        actor: Some(actor),
        csrf: &csrf.0,
        path: &path,
    };
    let page = report::show(ctx, &viewer, unit, &PeriodQuery::default(), Some(forms)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

fn saved(unit: AgencyId, what: &str) -> Response {
    Redirect::to(&format!("/kinerja/unit/{unit}?disimpan={what}#pengaturan")).into_response()
}

/// `POST /kinerja/unit/{id}/bobot`: fields `w1`…`w9`, as the API takes them.
pub async fn set_weights(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    Path(unit): Path<AgencyId>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let typed: Vec<String> = (1..=ELEMENTS.len())
        .map(|k| {
            form.get(&format!("w{k}"))
                .map_or("", |w| w.trim())
                .to_string()
        })
        .collect();
    let refused = match settings::set_weights(&ctx, &meta, &actor, unit, &typed).await {
        Ok(_) => return Ok(saved(unit, "bobot")),
        Err(e @ PerformanceError::BadWeights(_)) => e,
        Err(e) => return Err(e.into()),
    };
    let mut forms = SettingsForms::stored(&ctx, unit, lang).await?;
    forms.weights = fields(&typed, lang);
    forms.open = "bobot";
    let message = lang
        .tr(&refused.to_string(), &refused.message_en())
        .to_string();
    match refused {
        PerformanceError::BadWeights(WeightsError::Unreadable(i) | WeightsError::Negative(i)) => {
            if let Some(f) = forms.weights.get_mut(i.saturating_sub(1)) {
                f.error = Some(message);
            }
        }
        _ => forms.weights_error = Some(message),
    }
    again(&ctx, lang, &actor, &csrf, unit, forms).await
}

/// `POST /kinerja/unit/{id}/pengguna`: fields `month` (YYYY-MM) and `users`.
pub async fn set_service_users(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    Path(unit): Path<AgencyId>,
    CsrfForm(form): CsrfForm<UsersForm>,
) -> AppResult<Response> {
    let month = form.month.trim();
    // Not a whole number: given as -1, which the command refuses as it refuses any number
    // outside its range (after the actor and the month are checked).
    let users = form.users.trim().parse::<i64>().unwrap_or(-1);
    let refused = match settings::set_service_users(&ctx, &meta, &actor, unit, month, users).await {
        Ok(()) => return Ok(saved(unit, "pengguna")),
        Err(e @ (PerformanceError::BadMonth | PerformanceError::BadUsers)) => e,
        Err(e) => return Err(e.into()),
    };
    let mut forms = SettingsForms::stored(&ctx, unit, lang).await?;
    forms.month = form.month.clone();
    forms.users = form.users.clone();
    forms.open = "pengguna";
    let message = Some(
        lang.tr(&refused.to_string(), &refused.message_en())
            .to_string(),
    );
    if matches!(refused, PerformanceError::BadMonth) {
        forms.month_error = message;
    } else {
        forms.users_error = message;
    }
    again(&ctx, lang, &actor, &csrf, unit, forms).await
}
