//! Open311 GeoReport v2 at `/open311/v2/`, in JSON and XML (chosen by the `.json` / `.xml`
//! suffix). Services are the complaint categories; a request's public status is `open` or
//! `closed` with Balai's detailed status in `status_notes`. Because Balai routes by village,
//! POST needs the village code, as `attribute[village_code]` or `address_id`.

use std::collections::HashMap;

use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use axum::Form;
use balai_core::ids::ComplaintId;
use balai_core::web::actor::{actor_for_user, AuthVia, ReqMeta};
use balai_core::web::AppCtx;
use serde_json::{json, Map, Value};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};

use crate::commands::file_report::{self, Submission};
use crate::domain::{Channel, Clock, Status, TrackingCode};
use crate::errors::ComplaintError;
use crate::queries::lists::{self, PublicFilter};
use crate::store::{self, Category, Complaint};
use crate::web::lookups::count_lookup;
use crate::web::page::clocks;

pub mod doc;
mod format;
use format::{error, internal, respond, split, Format};

fn service_json(c: &Category) -> Value {
    json!({
        "service_code": c.code,
        "service_name": c.name_id,
        "description": format!("{} / {}. Diteruskan ke: {}.", c.name_id, c.name_en, c.agency_kind),
        "metadata": true,
        "type": "realtime",
        "keywords": c.report_type,
        "group": c.agency_kind,
    })
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// What a list shows beside each report, read for the whole page at once: three queries
/// whatever the page size.
#[derive(Default)]
struct Extras {
    names: HashMap<String, String>,
    agencies: HashMap<i64, String>,
    photos: HashMap<ComplaintId, i64>,
    due: HashMap<ComplaintId, Date>,
}

async fn extras(ctx: &AppCtx, list: &[Complaint]) -> Result<Extras, sqlx::Error> {
    let ids: Vec<ComplaintId> = list.iter().map(|c| c.id).collect();
    let mut agency_ids: Vec<i64> = list.iter().filter_map(|c| c.agency_id).collect();
    agency_ids.sort_unstable();
    agency_ids.dedup();
    let clocks = Clock::ALL.map(Clock::as_str);
    let (names, agencies, photos, due) = tokio::try_join!(
        names(ctx),
        store::agency_names(&ctx.db, &agency_ids),
        store::first_photo_ids(&ctx.db, &ids),
        store::earliest_open_due_of(&ctx.db, &ids, &clocks),
    )?;
    Ok(Extras {
        names,
        agencies,
        photos,
        due,
    })
}

fn request_json(c: &Complaint, x: &Extras) -> Value {
    let st = Status::parse(&c.status).unwrap_or(Status::Submitted);
    let agency = c.agency_id.and_then(|id| x.agencies.get(&id).cloned());
    let mut notes = st.label_id().to_string();
    if let Some(r) = &c.reject_reason {
        notes = format!("{notes}: {r}");
    }
    let photo = x
        .photos
        .get(&c.id)
        .map(|p| format!("/aduan/lihat/{}/foto/{p}", c.id));
    let due = x.due.get(&c.id);
    json!({
        "service_request_id": c.id.to_string(),
        "status": st.open311(),
        "status_notes": notes,
        "service_name": x.names.get(&c.category_code).cloned().unwrap_or_else(|| c.category_code.clone()),
        "service_code": c.category_code,
        "description": c.public_description.as_deref().unwrap_or(&c.description),
        "agency_responsible": agency,
        "service_notice": Value::Null,
        "requested_datetime": rfc3339(c.submitted_at),
        "updated_datetime": rfc3339(c.updated_at),
        "expected_datetime": due.map(|d| format!("{d}T17:00:00+07:00")),
        "address": c.address,
        "address_id": c.village_code,
        "zipcode": Value::Null,
        "lat": c.lat,
        "long": c.lon,
        "media_url": photo,
    })
}

/// The reports of a list with what it shows beside each.
async fn requests_json(ctx: &AppCtx, f: &PublicFilter) -> Result<Vec<Value>, sqlx::Error> {
    let list = lists::public_list(&ctx.db, f).await?;
    let x = extras(ctx, &list).await?;
    Ok(list.iter().map(|c| request_json(c, &x)).collect())
}

async fn names(ctx: &AppCtx) -> Result<HashMap<String, String>, sqlx::Error> {
    Ok(store::categories_for(&ctx.db, None)
        .await?
        .into_iter()
        .map(|c| (c.code, c.name_id))
        .collect())
}

/// The wire format a path asks for: the suffix of its last segment (`.json`, `.xml`, or none
/// for JSON).
fn format_of(uri: &Uri) -> Format {
    let last = uri.path().rsplit('/').next().unwrap_or_default();
    split(last).map_or(Format::Json, |(_, f)| f)
}

/// The query of a GET, or a GeoReport 400 when it does not parse.
fn query_of(
    fmt: Format,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<HashMap<String, String>, Box<Response>> {
    query.map(|Query(q)| q).map_err(|_| {
        Box::new(error(
            fmt,
            StatusCode::BAD_REQUEST,
            "Malformed query string",
        ))
    })
}

/// Where the endpoints are and what they speak.
#[utoipa::path(get, path = "/open311/v2/discovery.{format}", tag = "open311",
    params(doc::FormatParam),
    responses((status = 200, description = "The service discovery document.", content(
        (doc::Discovery = "application/json"), (String = "text/xml")))))]
pub async fn discovery(uri: Uri) -> Response {
    let fmt = format_of(&uri);
    let base = "/open311/v2/";
    let v = json!({
        "changeset": "2026-01-01T00:00:00Z",
        "contact": "Balai: kode desa wajib (attribute[village_code] atau address_id).",
        "key_service": "API token Balai (balai token create --user NAMA)",
        "endpoints": [{
            "specification": "http://wiki.open311.org/GeoReport_v2",
            "url": base,
            "changeset": "2026-01-01T00:00:00Z",
            "type": "production",
            "formats": ["application/json", "text/xml"],
        }],
    });
    respond(StatusCode::OK, fmt, "discovery", "discovery", v)
}

/// The services: Balai's complaint categories.
#[utoipa::path(get, path = "/open311/v2/services.{format}", tag = "open311",
    params(doc::FormatParam, doc::ServicesQuery),
    responses((status = 200, description = "The services.", content(
        (Vec<doc::Service> = "application/json"), (String = "text/xml")))))]
pub async fn services(
    State(ctx): State<AppCtx>,
    uri: Uri,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let fmt = format_of(&uri);
    let q = match query_of(fmt, query) {
        Ok(q) => q,
        Err(res) => return *res,
    };
    let region = q.get("jurisdiction_id").map(String::as_str);
    match store::categories_for(&ctx.db, region).await {
        Ok(cats) => respond(
            StatusCode::OK,
            fmt,
            "services",
            "service",
            Value::Array(cats.iter().map(service_json).collect()),
        ),
        Err(e) => internal(fmt, e),
    }
}

fn parse_time(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).ok()
}

/// Public service requests (complaints), the last 90 days unless asked otherwise.
#[utoipa::path(get, path = "/open311/v2/requests.{format}", tag = "open311",
    params(doc::FormatParam, doc::RequestsQuery),
    responses((status = 200, description = "The requests.", content(
        (Vec<doc::ServiceRequest> = "application/json"), (String = "text/xml"))),
        (status = 400, description = "A malformed filter.", content(
        (Vec<doc::GeoReportError> = "application/json"), (String = "text/xml")))))]
pub async fn list_requests(
    State(ctx): State<AppCtx>,
    uri: Uri,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let fmt = format_of(&uri);
    let q = match query_of(fmt, query) {
        Ok(q) => q,
        Err(res) => return *res,
    };
    let ctx = &ctx;
    let mut f = PublicFilter {
        limit: 1000,
        ..PublicFilter::default()
    };
    if let Some(ids) = q.get("service_request_id") {
        for i in ids.split(',') {
            match i.trim().parse() {
                Ok(n) => f.ids.push(n),
                Err(_) => {
                    return error(
                        fmt,
                        StatusCode::BAD_REQUEST,
                        "service_request_id must be numbers",
                    )
                }
            }
        }
    }
    f.category = q.get("service_code").filter(|s| !s.is_empty()).cloned();
    f.open = match q.get("status").map(String::as_str) {
        None | Some("") => None,
        Some("open") => Some(true),
        Some("closed") => Some(false),
        Some(_) => {
            return error(
                fmt,
                StatusCode::BAD_REQUEST,
                "status must be open or closed",
            )
        }
    };
    for (k, slot) in [("start_date", &mut f.start), ("end_date", &mut f.end)] {
        if let Some(s) = q.get(k) {
            match parse_time(s) {
                Some(t) => *slot = Some(t.to_offset(time::UtcOffset::UTC)),
                None => {
                    return error(
                        fmt,
                        StatusCode::BAD_REQUEST,
                        &format!("{k} must be RFC 3339"),
                    )
                }
            }
        }
    }
    if f.ids.is_empty() && f.start.is_none() {
        // The spec's default window: the last 90 days.
        f.start = Some(balai_core::db::now() - time::Duration::days(90));
    }
    match requests_json(ctx, &f).await {
        Ok(v) => respond(
            StatusCode::OK,
            fmt,
            "service_requests",
            "request",
            Value::Array(v),
        ),
        Err(e) => internal(fmt, e),
    }
}

/// What a service needs besides the standard fields: the village code.
#[utoipa::path(get, path = "/open311/v2/services/{service_code}.{format}", tag = "open311",
    params(("service_code" = String, Path, description = "A service code from the services list."), doc::FormatParam),
    responses((status = 200, description = "The service definition.", content(
        (doc::ServiceDefinition = "application/json"), (String = "text/xml"))),
        (status = 404, description = "No such service.", content(
        (Vec<doc::GeoReportError> = "application/json"), (String = "text/xml")))))]
pub async fn service_definition(State(ctx): State<AppCtx>, Path(file): Path<String>) -> Response {
    let Some((code, fmt)) = split(&file) else {
        return error(Format::Json, StatusCode::NOT_FOUND, "Unknown format");
    };
    match store::categories_for(&ctx.db, None).await {
        Ok(cats) if cats.iter().any(|c| c.code == code) => {
            let v = json!({
                "service_code": code,
                "attributes": [{
                    "variable": true,
                    "code": "village_code",
                    "datatype": "string",
                    "required": true,
                    "datatype_description": "Kode desa/kelurahan Kemendagri, PP.KK.CC.NNNN",
                    "order": 1,
                    "description": "Kode desa/kelurahan (village code)",
                }],
            });
            respond(
                StatusCode::OK,
                fmt,
                "service_definition",
                "service_definition",
                v,
            )
        }
        Ok(_) => error(fmt, StatusCode::NOT_FOUND, "Unknown service_code"),
        Err(e) => internal(fmt, e),
    }
}

/// One public service request.
#[utoipa::path(get, path = "/open311/v2/requests/{service_request_id}.{format}", tag = "open311",
    params(("service_request_id" = i64, Path, description = "The request's id."), doc::FormatParam),
    responses((status = 200, description = "A list holding the request.", content(
        (Vec<doc::ServiceRequest> = "application/json"), (String = "text/xml"))),
        (status = 404, description = "No such public request.", content(
        (Vec<doc::GeoReportError> = "application/json"), (String = "text/xml")))))]
pub async fn one_request(State(ctx): State<AppCtx>, Path(file): Path<String>) -> Response {
    let Some((id, fmt)) = split(&file) else {
        return error(Format::Json, StatusCode::NOT_FOUND, "Unknown format");
    };
    let Ok(id) = id.parse::<i64>() else {
        return error(fmt, StatusCode::NOT_FOUND, "Unknown service_request_id");
    };
    let f = PublicFilter {
        ids: vec![id],
        limit: 1,
        ..PublicFilter::default()
    };
    match requests_json(&ctx, &f).await {
        Ok(v) if v.is_empty() => error(fmt, StatusCode::NOT_FOUND, "Unknown service_request_id"),
        Ok(v) => respond(
            StatusCode::OK,
            fmt,
            "service_requests",
            "request",
            Value::Array(v),
        ),
        Err(e) => internal(fmt, e),
    }
}

/// A token is the tracking code returned by POST. Like every look-up by code it is limited
/// per client, and only a report the public may see is found.
#[utoipa::path(get, path = "/open311/v2/tokens/{token}.{format}", tag = "open311",
    params(("token" = String, Path, description = "The token (tracking code) POST returned."), doc::FormatParam),
    responses((status = 200, description = "The request's id for the token.", content(
        (Vec<doc::TokenAnswer> = "application/json"), (String = "text/xml"))),
        (status = 404, description = "No such token.", content(
        (Vec<doc::GeoReportError> = "application/json"), (String = "text/xml"))),
        (status = 429, description = "Too many look-ups from this client.", headers(("Retry-After" = u64)), content(
        (Vec<doc::GeoReportError> = "application/json"), (String = "text/xml")))))]
pub async fn token(State(ctx): State<AppCtx>, meta: ReqMeta, Path(file): Path<String>) -> Response {
    let Some((tok, fmt)) = split(&file) else {
        return error(Format::Json, StatusCode::NOT_FOUND, "Unknown format");
    };
    if let Err(ComplaintError::TooManyLookups { retry_after }) = count_lookup(&ctx, &meta.ip) {
        let mut res = error(fmt, StatusCode::TOO_MANY_REQUESTS, "Too many look-ups");
        res.headers_mut()
            .insert(axum::http::header::RETRY_AFTER, retry_after.into());
        return res;
    }
    let Some(code) = TrackingCode::parse(tok) else {
        return error(fmt, StatusCode::NOT_FOUND, "Unknown token");
    };
    match store::by_code(&ctx.db, code.as_str()).await {
        Ok(Some(c)) if !c.confidential && !c.hidden => respond(
            StatusCode::OK,
            fmt,
            "service_requests",
            "request",
            json!([{ "service_request_id": c.id.to_string(), "token": code.as_str() }]),
        ),
        Ok(_) => error(fmt, StatusCode::NOT_FOUND, "Unknown token"),
        Err(e) => internal(fmt, e),
    }
}

/// POST requests: file a report for an Open311 client (needs `api_key`).
#[utoipa::path(post, path = "/open311/v2/requests.{format}", tag = "open311",
    params(doc::FormatParam),
    request_body(content = doc::NewServiceRequest, content_type = "application/x-www-form-urlencoded"),
    responses((status = 201, description = "Filed.", content(
        (Vec<doc::Filed> = "application/json"), (String = "text/xml"))),
        (status = 400, description = "A missing or invalid field.", content(
        (Vec<doc::GeoReportError> = "application/json"), (String = "text/xml"))),
        (status = 415, description = "The body is not form-encoded.", content(
        (Vec<doc::GeoReportError> = "application/json"), (String = "text/xml"))),
        (status = 422, description = "The form does not parse.", content(
        (Vec<doc::GeoReportError> = "application/json"), (String = "text/xml"))),
        (status = 403, description = "No valid `api_key`.", content(
        (Vec<doc::GeoReportError> = "application/json"), (String = "text/xml"))),
        (status = 429, description = "Too many reports from this sender.", content(
        (Vec<doc::GeoReportError> = "application/json"), (String = "text/xml")))))]
pub async fn post_request(
    State(ctx): State<AppCtx>,
    meta: ReqMeta,
    uri: Uri,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Response {
    let fmt = format_of(&uri);
    let f = match form {
        Ok(Form(f)) => f,
        Err(e) => {
            return error(
                fmt,
                e.status(),
                "The body must be application/x-www-form-urlencoded",
            )
        }
    };
    let key = f.get("api_key").map(String::as_str).unwrap_or("");
    let user = match balai_core::auth::find_api_token(&ctx.db, key).await {
        Ok(Some(u)) if !key.is_empty() => u,
        Ok(_) => return error(fmt, StatusCode::FORBIDDEN, "Invalid api_key"),
        Err(e) => return internal(fmt, e),
    };
    let actor = match actor_for_user(&ctx, user, AuthVia::Token).await {
        Ok(Some(a)) => a,
        Ok(None) => return error(fmt, StatusCode::FORBIDDEN, "Invalid api_key"),
        Err(e) => return internal(fmt, e),
    };
    let get = |k: &str| {
        f.get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let Some(service) = get("service_code") else {
        return error(fmt, StatusCode::BAD_REQUEST, "service_code is required");
    };
    let num = |k: &str| get(k).and_then(|v| v.parse::<f64>().ok());
    let name = [get("first_name"), get("last_name")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let s = Submission {
        category: service,
        description: get("description").unwrap_or_default(),
        village_code: get("attribute[village_code]").or_else(|| get("address_id")),
        address: get("address_string"),
        lat: num("lat"),
        lon: num("long"),
        contact_name: Some(name).filter(|n| !n.is_empty()),
        contact_phone: get("phone"),
        contact_email: get("email"),
        ..Submission::default()
    };
    match file_report::submit(
        &ctx,
        &meta.audit(Some(&actor)),
        Channel::Open311,
        None,
        s,
        &clocks(&ctx),
    )
    .await
    {
        Ok(done) => {
            let v = json!([{
                "service_request_id": done.id.to_string(),
                "token": done.tracking_code.as_str(),
                "service_notice": done.message_id,
                "account_id": Value::Null,
            }]);
            respond(StatusCode::CREATED, fmt, "service_requests", "request", v)
        }
        Err(e) => {
            let e = balai_core::AppError::from(e);
            let st = e.status();
            let st = if st == StatusCode::UNPROCESSABLE_ENTITY {
                StatusCode::BAD_REQUEST
            } else {
                st
            };
            let mut desc = e.info.message_en.clone();
            if let Some(Value::Object(fields)) =
                e.info.details.as_ref().and_then(|d| d.get("fields"))
            {
                let names: Vec<&String> = Map::keys(fields).collect();
                desc = format!(
                    "{desc} (fields: {})",
                    names
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            error(fmt, st, &desc)
        }
    }
}
