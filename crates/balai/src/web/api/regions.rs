//! `GET /api/v1/regions/{code}` and the name search.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use balai_core::regions::finder;
use balai_core::regions::{self, Level, RegionCode, RegionRef};
use balai_core::web::AppCtx;
use balai_core::{AppError, AppResult};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::ApiError;
use crate::web::regions::region_not_found;

#[derive(Serialize, ToSchema)]
pub struct RegionDetail {
    /// Dotted Kemendagri code, e.g. `32.79`.
    pub code: String,
    pub name: String,
    /// `province`, `regency`, `district` or `village`.
    pub level: String,
    /// The parent's code; null for a province.
    pub parent: Option<String>,
    /// WIB, WITA or WIT.
    pub timezone: String,
    pub children: Vec<RegionRef>,
}

fn cache_public(mut res: Response) -> Response {
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    res
}

/// One region with its direct children.
#[utoipa::path(
    get,
    path = "/api/v1/regions/{code}",
    tag = "regions",
    params(("code" = String, Path, pattern = r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$", description = "Dotted region code: PP, PP.KK, PP.KK.CC or PP.KK.CC.NNNN")),
    responses(
        (status = 200, body = RegionDetail),
        (status = 400, description = "Malformed code", body = ApiError),
        (status = 404, description = "Unknown code", body = ApiError)
    )
)]
pub async fn get_region(
    State(ctx): State<AppCtx>,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let code = RegionCode::parse(&code)?;
    let r = regions::get(&ctx.db, &code)
        .await?
        .ok_or_else(region_not_found)?;
    let children = regions::children(&ctx.db, &code).await?;
    let level = balai_core::regions::Level::from_number(r.level)
        .map(|l| l.as_str())
        .unwrap_or("unknown");
    Ok(cache_public(
        Json(RegionDetail {
            code: r.code,
            name: r.name,
            level: level.to_string(),
            parent: r.parent_code,
            timezone: r.tz,
            children,
        })
        .into_response(),
    ))
}

#[derive(Deserialize, IntoParams)]
pub struct SearchQuery {
    /// Two to sixty characters: words of the region's name and of its district, regency or
    /// province (`mekarsari banjar`); case, accents and apostrophes are ignored.
    #[param(min_length = 2, max_length = 60, pattern = r"^\S([\s\S]*\S)?$")]
    q: String,
    /// Default 20; values outside 1–100 are taken as the nearest bound.
    limit: Option<i64>,
    /// Only regions of this level: `province`, `regency`, `district` or `village`.
    #[param(pattern = "^(province|regency|district|village)$")]
    level: Option<String>,
    /// Only regions inside this one (a regency's code, say: `32.79`).
    #[param(pattern = r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2})?)?$")]
    within: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RegionHit {
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent: Option<String>,
    /// The name with where it lies: `Mekarsari — Kec. Banjar, Kota Banjar, Jawa Barat`.
    pub label: String,
    /// The ancestors, nearest first (district, regency, province).
    pub ancestors: Vec<RegionRef>,
}

/// Find regions by the words of their name and their ancestors' names, best first: the
/// region's own name matching whole words, then the whole chain, then larger regions, then
/// the chain with more matching names.
#[utoipa::path(
    get,
    path = "/api/v1/regions",
    tag = "regions",
    params(SearchQuery),
    responses((status = 200, body = Vec<RegionHit>), (status = 400, body = ApiError))
)]
pub async fn search_regions(Query(q): Query<SearchQuery>) -> AppResult<Response> {
    let term = q.q.trim();
    if term.chars().count() < 2 || term.chars().count() > 60 {
        return Err(AppError::bad_request(
            "bad_query",
            "Kata kunci harus 2–60 karakter.",
            "The search term must be 2–60 characters.",
        ));
    }
    let level = match q.level.as_deref() {
        None | Some("") => None,
        Some(l) => Some(
            [
                Level::Province,
                Level::Regency,
                Level::District,
                Level::Village,
            ]
            .into_iter()
            .find(|x| x.as_str() == l)
            .ok_or_else(|| {
                AppError::bad_request(
                    "bad_level",
                    "Tingkat wilayah harus province, regency, district atau village.",
                    "level must be province, regency, district or village.",
                )
            })?,
        ),
    };
    let within = match q.within.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(w) => Some(RegionCode::parse(w)?),
    };
    let limit = usize::try_from(q.limit.unwrap_or(20).clamp(1, 100)).unwrap_or(20);
    let hits: Vec<RegionHit> = finder::find(&finder::Query {
        text: term,
        level,
        within: within.as_ref().map(RegionCode::as_str),
        limit,
    })
    .into_iter()
    .map(|h| RegionHit {
        label: h.label(),
        ancestors: h
            .ancestors
            .iter()
            .map(|(code, name)| RegionRef {
                code: (*code).to_string(),
                name: (*name).to_string(),
            })
            .collect(),
        level: h.level.as_str().to_string(),
        code: h.code.to_string(),
        name: h.name.to_string(),
        parent: h.parent.map(str::to_string),
    })
    .collect();
    Ok(cache_public(Json(hits).into_response()))
}
