//! HTTP handlers: public pages (apply, track, verify, report), officials' pages and the API.

pub mod api;
pub mod apply;
pub mod offerings;
pub mod public;
pub mod report;
pub mod staff;

use std::collections::HashMap;

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use balai_core::web::csrf;
use balai_core::web::page::Page;
use balai_core::web::AppCtx;
use balai_core::AppError;

use crate::submit::{SubmitInput, Upload};

/// Two-language strings in templates: `{{ page.tr("Ajukan", "Apply") }}`.
pub trait Tr {
    fn tr<'a>(&self, id: &'a str, en: &'a str) -> &'a str;
    fn en(&self) -> bool;
}

impl Tr for Page {
    fn tr<'a>(&self, id: &'a str, en: &'a str) -> &'a str {
        if self.en() {
            en
        } else {
            id
        }
    }

    fn en(&self) -> bool {
        self.lang.code() == "en"
    }
}

fn form_error(e: impl std::fmt::Display) -> AppError {
    let text = e.to_string();
    if text.contains("limit") {
        AppError::new(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            "Kiriman terlalu besar. Perkecil berkas (pindai dengan resolusi lebih rendah) lalu coba lagi.",
            "The upload is too large. Make the files smaller and try again.",
        )
    } else {
        AppError::bad_request(
            "bad_form",
            "Isian formulir tidak dapat dibaca. Coba kirim ulang.",
            "The form could not be read. Please send it again.",
        )
    }
}

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
        }
    }
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
            .map_err(form_error)?;
        let mut fields = HashMap::new();
        let mut files = Vec::new();
        while let Some(field) = mp.next_field().await.map_err(form_error)? {
            let name = field.name().unwrap_or("").to_string();
            match field.file_name().map(str::to_string) {
                Some(filename) => {
                    let bytes = field.bytes().await.map_err(form_error)?;
                    if let Some(key) = name.strip_prefix("doc_") {
                        files.push(Upload {
                            key: key.to_string(),
                            filename,
                            bytes: bytes.to_vec(),
                        });
                    }
                }
                None => {
                    let text = field.text().await.map_err(form_error)?;
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

pub fn verify_url(ctx: &AppCtx, code: &str, mac: &str) -> String {
    format!(
        "{}/dukcapil/verify/{code}/{mac}",
        ctx.cfg.base_url.trim_end_matches('/')
    )
}

/// Format a day as DD-MM-YYYY for Indonesian readers.
pub fn day(d: time::Date) -> String {
    format!("{:02}-{:02}-{}", d.day(), u8::from(d.month()), d.year())
}

/// An uploaded document as a download (never rendered inline: it is personal data).
pub fn file_response(m: &crate::store::DocumentMeta, data: Vec<u8>) -> Response {
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
