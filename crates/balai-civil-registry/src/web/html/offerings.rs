//! Disdukcapil admins switch services on and off for their agency.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::i18n::Lang;
use balai_core::ids::AgencyId;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::{AppError, AppResult};

use crate::commands::offerings as command;
use crate::domain::access::may_manage_offerings;
use crate::store::{self, offerings};

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
    let en = page.lang == Lang::En;
    let services: Vec<_> = store::list_services(&ctx.db)
        .await?
        .into_iter()
        .filter(|s| s.active)
        .collect();
    let mut agencies = Vec::new();
    for a in store::disdukcapil_agencies(&ctx.db).await? {
        if !may_manage_offerings(&actor, &a) {
            continue;
        }
        let off = offerings::withdrawn(&ctx.db, AgencyId(a.id)).await?;
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
    Path(agency_id): Path<AgencyId>,
    CsrfForm(f): CsrfForm<HashMap<String, String>>,
) -> AppResult<Response> {
    command::save(&ctx, &meta, &actor, agency_id, &f).await?;
    Ok(Redirect::to("/dukcapil/admin/offerings").into_response())
}
