//! The JSON API under `/api/v1`, with its OpenAPI 3.1 document generated from the handlers.

pub mod accounts;
pub mod calendar;
pub mod checkpoints;
pub mod contract;
pub mod regions;

use std::sync::OnceLock;

use askama::Template;
use axum::extract::OriginalUri;
use axum::http::{header, HeaderValue};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::Router;
use balai_core::i18n::Lang;
use balai_core::web::actor::MaybeActor;
use balai_core::web::csrf::CsrfToken;
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Serialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The error body every API endpoint returns (written by `balai_core::web::errors::api_body`).
#[derive(Serialize, ToSchema)]
pub struct ApiError {
    /// Stable machine-readable code, e.g. `not_found`, `bad_region_code`.
    pub code: String,
    /// Human-readable message in the request's language (`?lang=en` for English).
    pub message: String,
    /// Quote this when reporting a problem; also in the `x-request-id` header.
    pub request_id: String,
    /// Machine-readable detail, when there is any (e.g. which fields failed); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>, required = false)]
    pub details: Option<serde_json::Value>,
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(c) = openapi.components.as_mut() {
            c.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Balai API", description = "Layanan publik Pilkada dan pemerintahan daerah. Tokens: `balai token create --user NAME`; send `Authorization: Bearer <token>`. POSTs accept `Idempotency-Key`."),
    components(schemas(ApiError)),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

fn api_router() -> OpenApiRouter<AppCtx> {
    feature_apis()
        .into_iter()
        .fold(core_api(), |doc, (_, api)| doc.merge(api))
}

/// The routes of no feature: regions, accounts, the calendar, checkpoints, this document.
fn core_api() -> OpenApiRouter<AppCtx> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(regions::get_region))
        .routes(routes!(regions::search_regions))
        .routes(routes!(accounts::me))
        .routes(routes!(accounts::list_agencies, accounts::create_agency))
        .routes(routes!(accounts::get_agency))
        .routes(routes!(accounts::list_users))
        .routes(routes!(accounts::list_audit))
        .routes(routes!(calendar::list_holidays, calendar::put_holiday))
        .routes(routes!(calendar::delete_holiday))
        .routes(routes!(calendar::add_working_days))
        .routes(routes!(checkpoints::list_checkpoints))
        .routes(routes!(openapi_json))
}

/// Each feature's API with the feature's name. Their schemas share one namespace in the
/// document, so two features must not give one name to two different schemas (a test checks).
fn feature_apis() -> Vec<(&'static str, OpenApiRouter<AppCtx>)> {
    vec![
        ("civil-registry", balai_civil_registry::api()),
        ("complaints", balai_complaints::api()),
        ("elections", balai_elections::api()),
        ("sop", balai_sop::api()),
        ("information", balai_information::api()),
        ("performance", balai_performance::api()),
        ("neutrality", balai_neutrality::api()),
        ("participation", balai_participation::api()),
        ("voters", balai_voters::api()),
    ]
}

/// The OpenAPI document generated from the handlers.
pub fn openapi() -> &'static utoipa::openapi::OpenApi {
    static DOC: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    DOC.get_or_init(|| {
        let mut doc = api_router().into_openapi();
        doc.merge(balai_complaints::open311_openapi());
        doc
    })
}

/// The served document: [`openapi`] completed as a contract ([`contract::complete`]).
pub fn contract_json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        let mut doc = serde_json::to_value(openapi()).unwrap_or_default();
        contract::complete(&mut doc);
        serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into())
    })
}

/// This document (OpenAPI 3.1).
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta",
    responses((status = 200, description = "The OpenAPI document.", body = Object)))]
async fn openapi_json() -> Response {
    let mut res = contract_json().into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    res
}

/// API routes with the idempotency layer, already bound to the state.
pub fn router(ctx: AppCtx) -> (Router, &'static utoipa::openapi::OpenApi) {
    let (r, _) = api_router().split_for_parts();
    let r = r
        .route(
            "/.well-known/balai-checkpoint-key.json",
            axum::routing::get(checkpoints::well_known_key),
        )
        .layer(from_fn_with_state(
            ctx.clone(),
            balai_core::web::idempotency::idempotency,
        ))
        .with_state(ctx);
    (r, openapi())
}

pub struct Endpoint {
    pub method: String,
    pub path: String,
    pub summary: String,
}

#[derive(Template)]
#[template(path = "api_docs.html")]
struct DocsPage {
    page: Page,
    version: String,
    endpoints: Vec<Endpoint>,
}

/// A readable list of the endpoints, rendered from the same OpenAPI document (no JavaScript).
pub async fn docs_page(
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
) -> AppResult<Response> {
    let doc = openapi();
    let mut endpoints = Vec::new();
    for (path, item) in doc.paths.paths.iter() {
        let ops = [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("DELETE", &item.delete),
            ("PATCH", &item.patch),
        ];
        for (m, op) in ops {
            if let Some(op) = op {
                endpoints.push(Endpoint {
                    method: m.to_string(),
                    path: path.clone(),
                    summary: op
                        .summary
                        .clone()
                        .or_else(|| op.description.clone())
                        .unwrap_or_default(),
                });
            }
        }
    }
    let page = Page::new(
        lang,
        lang.tr("Dokumentasi API", "API documentation"),
        actor.as_ref(),
        &csrf.0,
        uri.path(),
    );
    let version = serde_json::to_value(&doc.openapi)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    render(&DocsPage {
        page,
        version,
        endpoints,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// A schema name given by two features to two different types: the merged document keeps
    /// one of them, and the other feature's operations are then described with a stranger's
    /// fields and enums (the information requests' actions once showed the civil registry's).
    #[test]
    fn features_do_not_share_schema_names() {
        let mut parts = feature_apis();
        parts.push(("core", core_api()));
        let mut seen: BTreeMap<String, (&str, serde_json::Value)> = BTreeMap::new();
        let mut clashes = Vec::new();
        for (feature, api) in parts {
            let doc = api.into_openapi();
            let Some(components) = doc.components else {
                continue;
            };
            for (name, schema) in components.schemas {
                let schema = serde_json::to_value(schema).unwrap();
                match seen.get(&name) {
                    Some((other, known)) if *known != schema => {
                        clashes.push(format!("{name}: {other} and {feature}"));
                    }
                    Some(_) => {}
                    None => {
                        seen.insert(name, (feature, schema));
                    }
                }
            }
        }
        assert!(
            clashes.is_empty(),
            "one schema name, two schemas: {clashes:?}"
        );
    }
}
