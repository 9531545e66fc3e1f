//! The Open311 GeoReport v2 routes in the API document. The handlers build their answers as
//! JSON values (rendered as JSON or XML, see `format`); these types only describe them.
#![allow(dead_code)] // These types only describe the answers (the handlers build JSON values).

use serde::Serialize;
use utoipa::{IntoParams, OpenApi, ToSchema};

/// The `{format}` suffix of every Open311 path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct FormatParam {
    /// `json` or `xml`.
    #[param(inline)]
    pub format: WireFormat,
}

#[derive(ToSchema, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WireFormat {
    Json,
    Xml,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ServicesQuery {
    /// Only the services offered in this region (a dotted region code).
    pub jurisdiction_id: Option<String>,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RequestsQuery {
    /// Comma-separated request ids.
    #[param(pattern = r"^\s*-?[0-9]{1,18}\s*(,\s*-?[0-9]{1,18}\s*)*$")]
    pub service_request_id: Option<String>,
    /// Only this service.
    pub service_code: Option<String>,
    /// `open` or `closed`.
    #[param(inline)]
    pub status: Option<OpenStatus>,
    /// RFC 3339 date-time.
    #[param(format = DateTime)]
    pub start_date: Option<String>,
    /// RFC 3339 date-time.
    #[param(format = DateTime)]
    pub end_date: Option<String>,
}

#[derive(ToSchema, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OpenStatus {
    Open,
    Closed,
}

/// An error, in GeoReport's shape (errors come as a list of these).
#[derive(ToSchema, Serialize)]
pub struct GeoReportError {
    /// The HTTP status.
    pub code: u16,
    pub description: String,
}

#[derive(ToSchema, Serialize)]
pub struct Endpoint {
    pub specification: String,
    pub url: String,
    pub changeset: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub formats: Vec<String>,
}

#[derive(ToSchema, Serialize)]
pub struct Discovery {
    pub changeset: String,
    pub contact: String,
    pub key_service: String,
    pub endpoints: Vec<Endpoint>,
}

#[derive(ToSchema, Serialize)]
pub struct Service {
    pub service_code: String,
    pub service_name: String,
    pub description: String,
    pub metadata: bool,
    #[serde(rename = "type")]
    pub kind: String,
    pub keywords: String,
    pub group: String,
}

#[derive(ToSchema, Serialize)]
pub struct Attribute {
    pub variable: bool,
    pub code: String,
    pub datatype: String,
    pub required: bool,
    pub datatype_description: String,
    pub order: u32,
    pub description: String,
}

#[derive(ToSchema, Serialize)]
pub struct ServiceDefinition {
    pub service_code: String,
    pub attributes: Vec<Attribute>,
}

#[derive(ToSchema, Serialize)]
pub struct ServiceRequest {
    pub service_request_id: String,
    /// `open` or `closed`; Balai's own status is in `status_notes`.
    pub status: String,
    pub status_notes: String,
    pub service_name: String,
    pub service_code: String,
    pub description: String,
    pub agency_responsible: Option<String>,
    pub service_notice: Option<String>,
    pub requested_datetime: String,
    pub updated_datetime: String,
    pub expected_datetime: Option<String>,
    pub address: Option<String>,
    /// The village code.
    pub address_id: Option<String>,
    pub zipcode: Option<String>,
    pub lat: Option<f64>,
    pub long: Option<f64>,
    pub media_url: Option<String>,
}

#[derive(ToSchema, Serialize)]
pub struct TokenAnswer {
    pub service_request_id: String,
    pub token: String,
}

#[derive(ToSchema, Serialize)]
pub struct Filed {
    pub service_request_id: String,
    /// The tracking code: keep it to follow the report.
    pub token: String,
    pub service_notice: String,
    pub account_id: Option<String>,
}

/// A new service request, form-encoded. Balai routes by village, so the village code is
/// needed, as `attribute[village_code]` or `address_id`.
#[derive(ToSchema, Serialize)]
pub struct NewServiceRequest {
    /// A Balai API token.
    pub api_key: String,
    pub service_code: String,
    pub description: Option<String>,
    #[serde(rename = "attribute[village_code]")]
    pub village_code: Option<String>,
    pub address_id: Option<String>,
    pub address_string: Option<String>,
    pub lat: Option<f64>,
    pub long: Option<f64>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(OpenApi)]
#[openapi(paths(
    super::discovery,
    super::services,
    super::list_requests,
    super::post_request,
    super::service_definition,
    super::one_request,
    super::token
))]
pub struct Open311Doc;
