//! The checks of a filing, all reported at once: the text fields, contact details, dates and
//! photos (decoded off the async threads), then the route read on a reader: the village, the
//! category that applies there and its agency.

use balai_core::accounts::Agency;
use balai_core::audit::AuditContext;
use balai_core::Db;
use time::Date;

use super::{Submission, MAX_DESCRIPTION, MIN_DESCRIPTION};
use crate::domain::{normalise_phone, valid_email, Channel, ClockConfig};
use crate::errors::{ComplaintError, ComplaintResult, FieldError};
use crate::photo::{self, CleanPhoto};
use crate::store::{self, Category};

/// A submission after every check, ready for the write.
pub(super) struct Checked {
    pub category: Category,
    pub agency: Option<Agency>,
    pub s: Submission,
    pub description: String,
    pub title: Option<String>,
    pub address: Option<String>,
    pub contact_name: Option<String>,
    pub village: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub known_on: Option<Date>,
    pub photos: Vec<CleanPhoto>,
    pub audit_ctx: AuditContext,
    pub channel: Channel,
    pub ip: Option<String>,
    pub cfg: ClockConfig,
}

/// Field errors, reported all at once.
#[derive(Default)]
struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    fn add(&mut self, field: &'static str, id: impl Into<String>, en: impl Into<String>) {
        self.0.push(FieldError {
            field,
            id: id.into(),
            en: en.into(),
        });
    }

    fn into_result(self) -> ComplaintResult<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ComplaintError::Invalid(self.0))
        }
    }
}

pub(super) fn trimmed(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

fn too_long(e: &mut FieldErrors, field: &'static str, v: &Option<String>, max: usize) {
    if v.as_ref().is_some_and(|s| s.chars().count() > max) {
        e.add(
            field,
            format!("Isian {field} terlalu panjang (paling banyak {max} karakter)."),
            format!("{field} is too long (at most {max} characters)."),
        );
    }
}

/// The fields as they pass the checks that need neither the database nor the photos.
struct Fields {
    description: String,
    title: Option<String>,
    address: Option<String>,
    contact_name: Option<String>,
    village: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    known_on: Option<Date>,
}

fn check_fields(e: &mut FieldErrors, s: &Submission) -> Fields {
    let description = s.description.trim().to_string();
    let min = if s.unstructured { 1 } else { MIN_DESCRIPTION };
    if description.chars().count() < min {
        e.add(
            "description",
            format!("Uraian laporan wajib diisi (paling sedikit {min} karakter)."),
            format!("A description is required (at least {min} characters)."),
        );
    } else if description.chars().count() > MAX_DESCRIPTION {
        e.add(
            "description",
            "Uraian laporan terlalu panjang (paling banyak 5.000 karakter).",
            "The description is too long (at most 5,000 characters).",
        );
    }
    let title = trimmed(&s.title);
    too_long(e, "title", &title, 120);
    let address = trimmed(&s.address);
    too_long(e, "address", &address, 300);
    let contact_name = trimmed(&s.contact_name);
    too_long(e, "contact_name", &contact_name, 120);
    let village = trimmed(&s.village_code);
    if village.is_none() && !s.unstructured {
        e.add(
            "village_code",
            "Lokasi wajib diisi sampai desa/kelurahan.",
            "The location is required down to the village.",
        );
    }
    match (s.lat, s.lon) {
        (None, None) => {}
        (Some(la), Some(lo)) if (-90.0..=90.0).contains(&la) && (-180.0..=180.0).contains(&lo) => {}
        _ => e.add(
            "lat",
            "Koordinat tidak sah (isi lintang dan bujur).",
            "Invalid coordinates (give both latitude and longitude).",
        ),
    }
    let (phone, email) = check_contact(e, s);
    let known_on = check_known_on(e, s);
    for (f, v) in [
        ("reported_party", &s.reported_party),
        ("incident_time", &s.incident_time),
        ("incident_place", &s.incident_place),
        ("evidence", &s.evidence),
    ] {
        too_long(e, f, v, 1_000);
    }
    Fields {
        description,
        title,
        address,
        contact_name,
        village,
        phone,
        email,
        known_on,
    }
}

fn check_contact(e: &mut FieldErrors, s: &Submission) -> (Option<String>, Option<String>) {
    let phone = match trimmed(&s.contact_phone) {
        None => None,
        Some(p) => match normalise_phone(&p) {
            Some(n) => Some(n),
            None => {
                e.add(
                    "contact_phone",
                    "Nomor telepon tidak sah.",
                    "Invalid phone number.",
                );
                None
            }
        },
    };
    let email = trimmed(&s.contact_email);
    if email.as_deref().is_some_and(|m| !valid_email(m)) {
        e.add(
            "contact_email",
            "Alamat email tidak sah.",
            "Invalid email address.",
        );
    }
    (phone, email)
}

fn check_known_on(e: &mut FieldErrors, s: &Submission) -> Option<Date> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    match trimmed(&s.known_on) {
        None => None,
        Some(k) => match Date::parse(&k, &fmt) {
            Ok(d) => Some(d),
            Err(_) => {
                e.add(
                    "known_on",
                    "Tanggal harus berbentuk TTTT-BB-HH.",
                    "Dates must be YYYY-MM-DD.",
                );
                None
            }
        },
    }
}

/// Decode and clean the photos (no more than allowed, counted before), through the decode
/// gate, off the async threads.
async fn check_photos(e: &mut FieldErrors, raw: Vec<Vec<u8>>) -> ComplaintResult<Vec<CleanPhoto>> {
    // Headers first, outside the gate: a bomb or a fake is refused at once, and nothing of a
    // filing is decoded unless every photo passes.
    let headers: Vec<_> = raw.iter().map(|p| photo::check_header(p)).collect();
    if headers.iter().any(Result::is_err) {
        for err in headers.into_iter().filter_map(Result::err) {
            e.add("photos", err.message_id(), err.to_string());
        }
        return Ok(Vec::new());
    }
    let cleaned: Vec<Result<CleanPhoto, photo::PhotoError>> = photo::decode_gate()
        .run_blocking(move || raw.iter().map(|p| photo::clean(p)).collect())
        .await
        .map_err(|e| ComplaintError::Core(e.into()))?;
    let mut photos = Vec::new();
    for p in cleaned {
        match p {
            Ok(p) => photos.push(p),
            Err(err) => e.add("photos", err.message_id(), err.to_string()),
        }
    }
    Ok(photos)
}

/// Check everything, or say every field that is wrong.
pub(super) async fn validate(
    db: &Db,
    mut s: Submission,
    audit_ctx: &AuditContext,
    channel: Channel,
    ip: Option<&str>,
    cfg: &ClockConfig,
) -> ComplaintResult<Checked> {
    let mut e = FieldErrors::default();
    let f = check_fields(&mut e, &s);
    // Village, category and agency are read before the write, on a reader: they are
    // reference data, and the single writer stays free for writes.
    let mut category = None;
    let mut agency = None;
    if f.village.is_some() || s.unstructured {
        let route = store::route(db, f.village.as_deref(), s.category.trim()).await?;
        match (&f.village, route.village_known) {
            (Some(v), false) => e.add(
                "village_code",
                format!("Kode desa/kelurahan {v:?} tidak dikenal."),
                format!("Unknown village code {v:?}."),
            ),
            _ if route.category.is_none() => {
                e.add("category", "Kategori tidak dikenal.", "Unknown category.")
            }
            _ => {}
        }
        category = route.category;
        agency = route.agency;
    }
    // Photos cost a decode: a filing refused anyway, by its fields or by flood control, is
    // refused before any is decoded (the write checks the flood limit again, exactly).
    let photos = if s.photos.is_empty() {
        e.into_result()?;
        Vec::new()
    } else {
        if s.photos.len() > photo::MAX_PHOTOS {
            e.add(
                "photos",
                format!("Paling banyak {} foto.", photo::MAX_PHOTOS),
                format!("At most {} photos.", photo::MAX_PHOTOS),
            );
        }
        if !e.0.is_empty() {
            return Err(ComplaintError::Invalid(e.0));
        }
        super::flood::flood_check(db, s.sms_from.as_deref(), ip, cfg).await?;
        let photos = check_photos(&mut e, std::mem::take(&mut s.photos)).await?;
        e.into_result()?;
        photos
    };
    let category = category.ok_or(ComplaintError::UnknownCategory)?;
    Ok(Checked {
        category,
        agency,
        s,
        description: f.description,
        title: f.title,
        address: f.address,
        contact_name: f.contact_name,
        village: f.village,
        phone: f.phone,
        email: f.email,
        known_on: f.known_on,
        photos,
        audit_ctx: audit_ctx.clone(),
        channel,
        ip: ip.map(str::to_string),
        cfg: cfg.clone(),
    })
}
