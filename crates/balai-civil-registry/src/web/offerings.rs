//! Disdukcapil admins switch services on and off for their agency.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::audit::{self, AuditEvent};
use balai_core::i18n::Lang;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::{AppError, AppResult};
use serde_json::json;

use super::Tr;
use crate::offerings;
use crate::store;

pub struct AgencyOfferings {
    pub id: i64,
    pub name: String,
    pub region: String,
    /// (service code, service name, offered)
    pub services: Vec<(String, String, bool)>,
}

#[derive(Template)]
#[template(path = "cr_offerings_admin.html")]
struct OfferingsPage {
    page: Page,
    agencies: Vec<AgencyOfferings>,
}

pub async fn page(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
) -> AppResult<Response> {
    actor.require_admin()?;
    let page = Page::new(
        lang,
        "Layanan yang dibuka",
        Some(&actor),
        &csrf.0,
        uri.path(),
    );
    let en = page.en();
    let services: Vec<_> = store::list_services(&ctx.db)
        .await?
        .into_iter()
        .filter(|s| s.active)
        .collect();
    let mut agencies = Vec::new();
    for a in offerings::disdukcapil_agencies(&ctx.db).await? {
        if !offerings::may_manage(&actor, &a) {
            continue;
        }
        let off = offerings::withdrawn(&ctx.db, a.id).await?;
        agencies.push(AgencyOfferings {
            id: a.id,
            name: a.name,
            region: a.region_code,
            services: services
                .iter()
                .map(|s| {
                    (
                        s.code.clone(),
                        if en {
                            s.name_en.clone()
                        } else {
                            s.name_id.clone()
                        },
                        !off.contains(&s.code),
                    )
                })
                .collect(),
        });
    }
    if agencies.is_empty() && !actor.is_superadmin() {
        return Err(AppError::forbidden());
    }
    render(&OfferingsPage { page, agencies })
}

/// Save the offered services of one Disdukcapil: checkbox `svc_<code>` ticked = offered.
pub async fn save(
    State(ctx): State<AppCtx>,
    actor: Actor,
    meta: ReqMeta,
    Path(agency_id): Path<i64>,
    CsrfForm(f): CsrfForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let agency = balai_core::accounts::get_agency(&ctx.db, agency_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !offerings::may_manage(&actor, &agency) {
        return Err(AppError::forbidden());
    }
    let services: Vec<_> = store::list_services(&ctx.db)
        .await?
        .into_iter()
        .filter(|s| s.active)
        .collect();
    let before = offerings::withdrawn(&ctx.db, agency_id).await?;
    let mut offered = Vec::new();
    let mut withdrawn = Vec::new();
    let mut tx = ctx.begin().await?;
    for s in &services {
        let on = f.contains_key(&format!("svc_{}", s.code));
        offerings::set(&mut tx, agency_id, &s.code, on).await?;
        if on {
            offered.push(s.code.clone());
        } else {
            withdrawn.push(s.code.clone());
        }
    }
    audit::record(
        &mut tx,
        &meta.audit(Some(&actor)),
        AuditEvent {
            action: "civil_registry.offerings_update",
            target_kind: "agency",
            target_id: agency_id.to_string(),
            region_code: Some(agency.region_code.clone()),
            summary: json!({ "offered": offered, "withdrawn": withdrawn,
                "withdrawn_before": before }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/dukcapil/admin/offerings").into_response())
}
