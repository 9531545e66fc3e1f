//! The supervisor's queue of disputed TPS (two operators' entries disagree), both entries side
//! by side with the differing fields marked, and the decision on each: choose a version or ask
//! for a re-entry, with a reason (POST, then back to the queue).

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::i18n::Lang;
use balai_core::ids::{ElectionId, TpsId};
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

use crate::commands::resolve_dispute::{
    latest_decision, resolve, Decision, DecisionRow, ResolveInput,
};
use crate::queries::{self, load_election, Dispute};
use crate::store::ElectionRow;
use crate::web::html::pages::region_name;
use crate::web::labels::field_label;

/// One disputed TPS with the last decision on it (a re-entry asked for, say).
struct Item {
    d: Dispute,
    village: String,
    decision: Option<DecisionRow>,
}

#[derive(Template)]
#[template(path = "elections_disputes.html")]
struct DisputesPage {
    page: Page,
    e: ElectionRow,
    region_name: String,
    items: Vec<Item>,
    /// Set after a decision was stored (`?selesai=TPS-id`).
    done: bool,
    /// A refused decision: the TPS and why.
    error: Option<(i64, String)>,
}

impl DisputesPage {
    fn field(&self, key: &str) -> String {
        field_label(key, self.page.lang)
    }
}

#[derive(Deserialize)]
pub struct QueueQuery {
    region: Option<String>,
    selesai: Option<i64>,
}

async fn queue(
    ctx: &AppCtx,
    lang: Lang,
    actor: &Actor,
    csrf: &CsrfToken,
    uri: &OriginalUri,
    id: i64,
    region: Option<&str>,
) -> AppResult<DisputesPage> {
    let e = load_election(ctx, id).await?;
    let region = crate::web::shared::supervisor_region(actor, &e, region)?;
    let mut items = Vec::new();
    for d in queries::disputes(ctx, &e, &region).await? {
        let decision = latest_decision(&ctx.db, d.tps.id).await?;
        let village = region_name(ctx, &d.tps.village_code).await?;
        items.push(Item {
            d,
            village,
            decision,
        });
    }
    Ok(DisputesPage {
        page: Page::new(
            lang,
            lang.tr("Antrean selisih entri", "Entry disagreements"),
            Some(actor),
            &csrf.0,
            uri.path(),
        ),
        region_name: region_name(ctx, &region).await?,
        e,
        items,
        done: false,
        error: None,
    })
}

/// The supervisor's queue, both entries side by side (supervisors and admins of the KPU).
pub async fn disputes(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<i64>,
    Query(q): Query<QueueQuery>,
) -> AppResult<Response> {
    let mut p = queue(&ctx, lang, &actor, &csrf, &uri, id, q.region.as_deref()).await?;
    p.done = q.selesai.is_some();
    render(&p)
}

#[derive(Deserialize)]
pub struct ResolveForm {
    /// `reentry`, or `version:N` to choose version N.
    decision: String,
    #[serde(default)]
    reason: String,
}

/// Store a decision, then back to the queue; a refused one shows the queue with the reason.
#[allow(clippy::too_many_arguments)]
pub async fn resolve_form(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path((id, tps_id)): Path<(ElectionId, TpsId)>,
    CsrfForm(f): CsrfForm<ResolveForm>,
) -> AppResult<Response> {
    let (decision, version) = match f.decision.split_once(':') {
        Some(("version", v)) => (Decision::ChooseVersion, v.trim().parse().ok()),
        _ => (Decision::Reentry, None),
    };
    let input = ResolveInput {
        decision,
        version,
        reason: f.reason,
    };
    match resolve(&ctx, &actor, &meta, id, tps_id, &input).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/elections/{id}/disputes?selesai={tps_id}")).into_response())
        }
        Err(err) if err.status().is_client_error() && err.status() != StatusCode::FORBIDDEN => {
            let mut p = queue(&ctx, lang, &actor, &csrf, &uri, id.get(), None).await?;
            p.error = Some((tps_id.get(), err.info.message(lang).to_string()));
            let mut res = render(&p)?;
            *res.status_mut() = err.status();
            Ok(res)
        }
        Err(err) => Err(err),
    }
}
