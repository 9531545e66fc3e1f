//! Filing an application (online or at a counter): validate everything first, then write the
//! application, its documents, its history, its deadline clock, the audit event and the
//! applicant's notification in one transaction — bad input stores nothing.

use balai_core::accounts::Role;
use balai_core::audit::{self, AuditEvent};
use balai_core::outbox::{self, Channel};
use balai_core::regions::{self, Level, RegionCode};
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use balai_core::{with_db, AppError, AppResult, Tx};
use serde_json::json;
use time::Date;

use crate::crypto::{self, PiiKeys};
use crate::domain::intake::{self, FileKind};
use crate::domain::nik::{mask, KkNumber, Nik, Sex};
use crate::domain::service::{self as svc, EventKind};
use crate::store::{self, NewApplication, ServiceRow};

pub const CLOCK_KIND: &str = "cr_application";
pub const CLOCK_PURPOSE: &str = "service_standard";
pub const DEFAULT_MAX_UPLOAD_BYTES: usize = 1024 * 1024;

/// What the form carried, as text.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct SubmitInput {
    pub service: String,
    pub kelurahan: String,
    pub name: String,
    pub nik: String,
    pub kk: String,
    pub birth_date: String,
    pub sex: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub event_date: String,
}

/// One uploaded file, keyed by the checklist item it answers.
#[derive(Clone, Debug)]
pub struct Upload {
    pub key: String,
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// What the applicant keeps: the receipt.
#[derive(Clone, Debug)]
pub struct Submitted {
    pub id: i64,
    pub tracking_code: String,
    pub secret: String,
    pub due_day: Date,
    pub late: bool,
}

pub fn invalid(code: &'static str, id: impl Into<String>, en: impl Into<String>) -> AppError {
    AppError::unprocessable(code, id, en)
}

/// A NIK/KK problem as the user-facing error.
pub fn id_err(e: crate::domain::nik::IdNumberError) -> AppError {
    invalid(e.code(), e.to_string(), e.message_en())
}

pub fn parse_date(s: &str, what_id: &str, what_en: &str) -> AppResult<Date> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s.trim(), &fmt).map_err(|_| {
        invalid(
            "bad_date",
            format!("{what_id} harus berupa tanggal TTTT-BB-HH."),
            format!("{what_en} must be a date YYYY-MM-DD."),
        )
    })
}

pub async fn max_upload_bytes(ctx: &AppCtx) -> AppResult<usize> {
    let v: Option<String> = with_db!(&ctx.db, |c| sqlx::query_scalar(
        "SELECT value FROM settings WHERE key = 'civil_registry.max_upload_bytes'"
    )
    .fetch_optional(c)
    .await)?;
    Ok(v.and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_MAX_UPLOAD_BYTES))
}

/// A checked upload: checklist key, cleaned file name, real type, bytes.
pub type CheckedFile = (String, String, FileKind, Vec<u8>);

/// Check uploaded files against the checklist: known item, real PDF/JPEG/PNG, not too large.
/// With `require_all`, every required upload must be present.
pub fn check_uploads(
    service: &ServiceRow,
    uploads: &[Upload],
    max_bytes: usize,
    require_all: bool,
) -> AppResult<Vec<CheckedFile>> {
    let checklist = service.checklist();
    let mut out = Vec::new();
    for u in uploads.iter().filter(|u| !u.bytes.is_empty()) {
        let Some(req) = checklist.iter().find(|r| r.key == u.key && r.upload) else {
            return Err(invalid(
                "unknown_document",
                format!(
                    "Dokumen \"{}\" tidak termasuk persyaratan layanan ini.",
                    u.key
                ),
                format!(
                    "Document \"{}\" is not a requirement of this service.",
                    u.key
                ),
            ));
        };
        if u.bytes.len() > max_bytes {
            return Err(invalid(
                "upload_too_large",
                format!(
                    "Berkas \"{}\" terlalu besar ({} KB). Ukuran paling besar {} KB per berkas.",
                    req.label_id,
                    u.bytes.len() / 1024,
                    max_bytes / 1024
                ),
                format!(
                    "File \"{}\" is too large ({} KB). The limit is {} KB per file.",
                    req.label_en,
                    u.bytes.len() / 1024,
                    max_bytes / 1024
                ),
            ));
        }
        let Some(kind) = intake::sniff(&u.bytes) else {
            return Err(invalid(
                "bad_file_type",
                format!(
                    "Berkas \"{}\" bukan PDF, JPEG atau PNG. Unggah hasil pindaian atau foto dalam salah satu format itu.",
                    req.label_id
                ),
                format!("File \"{}\" is not a PDF, JPEG or PNG.", req.label_en),
            ));
        };
        out.push((
            u.key.clone(),
            intake::clean_filename(&u.filename),
            kind,
            u.bytes.clone(),
        ));
    }
    if require_all {
        if let Some(missing) = checklist
            .iter()
            .find(|r| r.upload && r.required && !out.iter().any(|(k, ..)| *k == r.key))
        {
            return Err(invalid(
                "missing_document",
                format!("Dokumen wajib belum diunggah: {}.", missing.label_id),
                format!("A required document is missing: {}.", missing.label_en),
            ));
        }
    }
    Ok(out)
}

struct Checked {
    service: ServiceRow,
    kelurahan: RegionCode,
    name: String,
    nik: Nik,
    kk: KkNumber,
    birth_date: Date,
    sex: Sex,
    phone: Option<String>,
    email: Option<String>,
    event_date: Option<Date>,
    late: bool,
    today: Date,
}

fn optional(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

async fn check_input(
    ctx: &AppCtx,
    input: &SubmitInput,
    now: time::OffsetDateTime,
) -> AppResult<Checked> {
    let service = store::service(&ctx.db, input.service.trim())
        .await?
        .filter(|s| s.active)
        .ok_or_else(|| {
            invalid(
                "unknown_service",
                "Layanan tidak dikenal atau tidak dibuka.",
                "Unknown or closed service.",
            )
        })?;
    let name = input.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(invalid(
            "bad_name",
            "Nama pemohon wajib diisi (paling banyak 200 karakter).",
            "The applicant's name is required (at most 200 characters).",
        ));
    }
    let birth_date = parse_date(&input.birth_date, "Tanggal lahir", "Birth date")?;
    let sex = Sex::parse(input.sex.trim()).ok_or_else(|| {
        invalid(
            "bad_sex",
            "Jenis kelamin harus L atau P.",
            "Sex must be L (male) or P (female).",
        )
    })?;
    let nik = Nik::parse(&input.nik, now.date()).map_err(id_err)?;
    nik.check_declared(birth_date, sex).map_err(id_err)?;
    let kk = KkNumber::parse(&input.kk).map_err(id_err)?;
    let kelurahan = RegionCode::parse(input.kelurahan.trim())
        .ok()
        .filter(|r| r.level() == Level::Village);
    let bad_kel = || {
        invalid(
            "bad_kelurahan",
            "Pilih kelurahan/desa dengan kode wilayah lengkap (PP.KK.CC.NNNN).",
            "Choose a kelurahan/desa by its full region code (PP.KK.CC.NNNN).",
        )
    };
    let kelurahan = kelurahan.ok_or_else(bad_kel)?;
    let Some(region) = regions::get(&ctx.db, &kelurahan).await? else {
        return Err(bad_kel());
    };
    let today = svc::local_date(now, &region.tz);
    let phone = optional(&input.phone);
    if let Some(p) = &phone {
        let digits = p.trim_start_matches('+');
        if !(8..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid(
                "bad_phone",
                "Nomor telepon hanya angka, 8–15 digit (boleh diawali +).",
                "The phone number must be 8–15 digits (may start with +).",
            ));
        }
    }
    let email = optional(&input.email);
    if let Some(e) = &email {
        if e.len() > 200 || !e.contains('@') || e.contains(char::is_whitespace) {
            return Err(invalid(
                "bad_email",
                "Alamat email tidak sah.",
                "The email address is not valid.",
            ));
        }
    }
    let event_kind = service.event_kind.as_deref().and_then(EventKind::parse);
    let (event_date, late) = match event_kind {
        None => (None, false),
        Some(kind) => {
            let (id, en) = match kind {
                EventKind::Birth => ("Tanggal kelahiran", "Date of birth"),
                EventKind::Death => ("Tanggal kematian", "Date of death"),
            };
            let d = parse_date(&input.event_date, id, en)?;
            if d > today {
                return Err(invalid(
                    "event_in_future",
                    format!("{id} tidak boleh di masa depan."),
                    format!("{en} cannot be in the future."),
                ));
            }
            let late = service
                .late_after_days
                .is_some_and(|n| svc::is_late(d, today, n));
            (Some(d), late)
        }
    };
    Ok(Checked {
        service,
        kelurahan,
        name,
        nik,
        kk,
        birth_date,
        sex,
        phone,
        email,
        event_date,
        late,
        today,
    })
}

/// May this official file at a counter for this kelurahan?
fn counter_allowed(actor: &Actor, kelurahan: &str) -> bool {
    if actor.is_superadmin() {
        return true;
    }
    if actor.role == Role::Viewer {
        return false;
    }
    ["kelurahan", "disdukcapil"]
        .iter()
        .any(|k| actor.scope.covers(kelurahan, k))
}

pub async fn notify(
    tx: &mut Tx,
    email: Option<&str>,
    phone: Option<&str>,
    subject: &str,
    body: &str,
) -> AppResult<()> {
    if let Some(e) = email {
        outbox::enqueue(tx, Channel::Email, e, subject, body).await?;
    } else if let Some(p) = phone {
        outbox::enqueue(tx, Channel::Sms, p, subject, body).await?;
    }
    Ok(())
}

pub fn secret_hash(keys: &PiiKeys, code: &str, secret: &str) -> String {
    keys.lookup_hash("tracking-secret", &format!("{code}:{secret}"))
}

/// File an application. `counter` is the official filing it for the citizen (assisted channel).
pub async fn submit(
    ctx: &AppCtx,
    meta: &ReqMeta,
    counter: Option<&Actor>,
    input: &SubmitInput,
    uploads: &[Upload],
) -> AppResult<Submitted> {
    let now = balai_core::db::now();
    let c = check_input(ctx, input, now).await?;
    let today = c.today;
    if let Some(actor) = counter {
        if !counter_allowed(actor, c.kelurahan.as_str()) {
            return Err(AppError::forbidden());
        }
    }
    let max = max_upload_bytes(ctx).await?;
    let files = check_uploads(&c.service, uploads, max, true)?;

    let mut tx = ctx.begin().await?;
    let kel = c.kelurahan.as_str();
    let Some(dinas) = store::disdukcapil_for(&mut tx, kel).await? else {
        return Err(invalid(
            "no_disdukcapil",
            "Belum ada Disdukcapil yang melayani wilayah ini di Balai. Silakan datang ke kantor Disdukcapil.",
            "No Disdukcapil serves this region in Balai yet. Please visit the Disdukcapil office.",
        ));
    };
    if !crate::offerings::offered_tx(&mut tx, dinas.id, &c.service.code).await? {
        return Err(crate::offerings::not_offered(&c.service, &dinas));
    }
    let counter_agency = store::counter_for(&mut tx, kel).await?;
    let keys = crypto::keys(&mut tx).await?;
    let code = intake::random_code(intake::TRACKING_LEN);
    let secret = intake::random_code(intake::SECRET_LEN);
    let enc = |s: &str| {
        keys.encrypt(s)
            .map_err(|e| AppError::internal(anyhow::anyhow!(e)))
    };
    let cal_due = balai_core::calendar::start_clock(
        &mut tx,
        CLOCK_KIND,
        &code,
        CLOCK_PURPOSE,
        today,
        u32::try_from(c.service.standard_days).unwrap_or(0),
    )
    .await?;
    let channel = if counter.is_some() {
        "counter"
    } else {
        "online"
    };
    let id = store::insert_application(
        &mut tx,
        NewApplication {
            tracking_code: &code,
            secret_hash: &secret_hash(&keys, &code, &secret),
            service_code: &c.service.code,
            channel,
            kelurahan_code: kel,
            disdukcapil_agency_id: dinas.id,
            counter_agency_id: counter_agency.as_ref().map(|a| a.id),
            applicant_name: &c.name,
            nik_enc: enc(c.nik.as_str())?,
            nik_hash: keys.lookup_hash("nik", c.nik.as_str()),
            nik_masked: mask(c.nik.as_str()),
            kk_enc: enc(c.kk.as_str())?,
            kk_hash: keys.lookup_hash("kk", c.kk.as_str()),
            kk_masked: mask(c.kk.as_str()),
            birth_date: c.birth_date,
            sex: c.sex.as_str(),
            contact_phone: c.phone.as_deref(),
            contact_email: c.email.as_deref(),
            event_date: c.event_date,
            late: c.late,
            filed_by_user_id: counter.map(|a| a.user.id),
            due_day: cal_due,
            submitted_at: now,
        },
    )
    .await?;
    for (key, filename, kind, bytes) in &files {
        store::insert_document(&mut tx, id, key, filename, kind.content_type(), bytes).await?;
    }
    let actor_label = counter
        .map(|a| a.user.username.clone())
        .unwrap_or_else(|| "pemohon".into());
    store::insert_history(&mut tx, id, "submit", None, "submitted", &actor_label, None).await?;
    audit::record(
        &mut tx,
        &meta.audit(counter),
        AuditEvent {
            action: "civil_registry.submit",
            target_kind: "cr_application",
            target_id: code.clone(),
            region_code: Some(kel.to_string()),
            summary: json!({
                "service": c.service.code, "channel": channel, "nik": mask(c.nik.as_str()),
                "documents": files.len(), "late": c.late, "due_day": cal_due.to_string(),
            }),
        },
    )
    .await?;
    notify(
        &mut tx,
        c.email.as_deref(),
        c.phone.as_deref(),
        &format!("Permohonan {} diterima", c.service.name_id),
        &format!(
            "Permohonan {} Anda diterima dengan kode lacak {code}. Perkiraan selesai: {cal_due}. Simpan kode rahasia dari tanda terima untuk melacak dan memperbaiki permohonan.",
            c.service.name_id
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Submitted {
        id,
        tracking_code: code,
        secret,
        due_day: cal_due,
        late: c.late,
    })
}
