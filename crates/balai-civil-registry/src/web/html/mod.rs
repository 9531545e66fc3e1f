//! Server-rendered pages: citizens' (services, apply, track, verify, report) and officials'
//! (queues, detail, counter form, catalogue, offerings), and what they share.

pub mod apply;
pub mod offerings;
pub mod public;
pub mod report;
pub mod staff;

use std::collections::HashMap;

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use balai_core::regions::picker::PickerInput;
use balai_core::web::AppCtx;
use balai_core::web::{csrf, input};
use balai_core::AppError;

use crate::commands::apply::SubmitInput;
use crate::domain::birth::BirthInput;
use crate::domain::intake::Upload;
use crate::errors::CivilRegistryError;
use crate::store::DocumentMeta;

/// A `multipart/form-data` form (text fields and `doc_<key>` files) whose CSRF token has been
/// checked. Files stay in memory: the request size is capped by `max_body_bytes`.
pub struct MultipartForm {
    pub fields: HashMap<String, String>,
    pub files: Vec<Upload>,
}

impl MultipartForm {
    pub fn get(&self, k: &str) -> String {
        self.fields.get(k).cloned().unwrap_or_default()
    }

    pub fn submit_input(&self, service: &str) -> SubmitInput {
        SubmitInput {
            service: service.to_string(),
            kelurahan: self.get("kelurahan"),
            name: self.get("name"),
            nik: self.get("nik"),
            kk: self.get("kk"),
            birth_date: self.get("birth_date"),
            sex: self.get("sex"),
            phone: self.get("phone"),
            email: self.get("email"),
            event_date: self.get("event_date"),
            birth: BirthInput {
                child_name: self.get("child_name"),
                birth_place: self.get("birth_place"),
                birth_time: self.get("birth_time"),
                father_name: self.get("father_name"),
                father_nik: self.get("father_nik"),
                mother_name: self.get("mother_name"),
                mother_nik: self.get("mother_nik"),
            },
        }
    }

    /// The village finder's fields (a search step, or the finder's state).
    pub fn picker_input(&self) -> PickerInput {
        PickerInput::from_fields(|k| self.fields.get(k).cloned())
    }
}

/// A body that could not be read as a multipart form (too large, or malformed).
fn unreadable(status: StatusCode) -> AppError {
    CivilRegistryError::unreadable_form(status).into()
}

impl FromRequest<AppCtx> for MultipartForm {
    type Rejection = AppError;
    async fn from_request(req: Request, ctx: &AppCtx) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let mut inner = Request::new(body);
        if let Some(ct) = parts.headers.get(header::CONTENT_TYPE) {
            inner.headers_mut().insert(header::CONTENT_TYPE, ct.clone());
        }
        let mut mp = Multipart::from_request(inner, ctx)
            .await
            .map_err(|e| unreadable(e.status()))?;
        let mut fields = HashMap::new();
        let mut files = Vec::new();
        while let Some(field) = mp.next_field().await.map_err(|e| unreadable(e.status()))? {
            let name = field.name().unwrap_or("").to_string();
            match field.file_name().map(str::to_string) {
                Some(filename) => {
                    let bytes = field.bytes().await.map_err(|e| unreadable(e.status()))?;
                    if let Some(key) = name.strip_prefix("doc_") {
                        files.push(Upload {
                            key: key.to_string(),
                            filename,
                            bytes: bytes.to_vec(),
                        });
                    }
                }
                None => {
                    let text = field.text().await.map_err(|e| unreadable(e.status()))?;
                    input::check_field(&name, &text)?;
                    fields.insert(name, text);
                }
            }
        }
        csrf::check(
            ctx,
            &parts,
            fields.get("csrf").map(String::as_str).unwrap_or(""),
        )?;
        Ok(MultipartForm { fields, files })
    }
}

/// The QR code of a receipt's verification URL, as inline SVG.
pub fn qr_svg(url: &str) -> String {
    match qrcode::QrCode::new(url.as_bytes()) {
        Ok(code) => {
            let svg = code
                .render::<qrcode::render::svg::Color>()
                .min_dimensions(180, 180)
                .build();
            match svg.find("<svg") {
                Some(i) => svg[i..].to_string(),
                None => svg,
            }
        }
        Err(_) => String::new(),
    }
}

/// Format a day as DD-MM-YYYY for Indonesian readers.
pub fn day(d: time::Date) -> String {
    format!("{:02}-{:02}-{}", d.day(), u8::from(d.month()), d.year())
}

/// An uploaded document as a download (never rendered inline: it is personal data).
pub fn file_response(m: &DocumentMeta, data: Vec<u8>) -> Response {
    let mut res = data.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&m.content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    let ext = match m.content_type.as_str() {
        "application/pdf" => "pdf",
        "image/png" => "png",
        _ => "jpg",
    };
    if let Ok(v) =
        HeaderValue::from_str(&format!("attachment; filename=\"dokumen-{}.{ext}\"", m.id))
    {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}
