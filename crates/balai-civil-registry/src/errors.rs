//! Every refusal of the feature, and its one mapping to [`AppError`]: the stable code, the HTTP
//! status, the Indonesian message (the `#[error]` text) and the English one
//! ([`CivilRegistryError::message_en`]). Domain rules and commands return this type; handlers
//! turn it into an `AppError` with `?`.

use axum::http::StatusCode;
use balai_core::AppError;

use crate::domain::nik::IdNumberError;
use crate::domain::tracking::grouped_code;
use crate::domain::workflow::WorkflowError;

#[derive(Debug, thiserror::Error)]
pub enum CivilRegistryError {
    #[error("Layanan tidak dikenal atau tidak dibuka.")]
    UnknownService,
    #[error("Nama pemohon wajib diisi (paling banyak 200 karakter).")]
    BadName,
    /// `what_id` / `what_en` name the field, e.g. "Tanggal lahir" / "Birth date".
    #[error("{what_id} harus berupa tanggal TTTT-BB-HH.")]
    BadDate {
        what_id: &'static str,
        what_en: &'static str,
    },
    #[error("Jenis kelamin harus L atau P.")]
    BadSex,
    /// A required text of a birth registration (the child's name, the place of birth, the
    /// mother's name) is missing or too long.
    #[error("{what_id} wajib diisi (paling banyak 200 karakter).")]
    MissingDetail {
        what_id: &'static str,
        what_en: &'static str,
    },
    #[error("Jam lahir harus berbentuk JJ:MM, mis. 07:45.")]
    BadTime,
    /// The same NIK already has an open application for the same service (for a birth: for
    /// the same child): it is shown instead of a second one being filed.
    #[error("Sudah ada permohonan {service_id} untuk NIK ini yang masih berjalan (kode lacak {}). Permohonan baru tidak dibuat; lacak permohonan itu dengan kode rahasianya dari tanda terima.", grouped_code(tracking_code))]
    AlreadyOpen {
        id: i64,
        tracking_code: String,
        service_id: String,
        service_en: String,
        status: String,
    },
    #[error(transparent)]
    IdNumber(#[from] IdNumberError),
    /// The application form's kelurahan is not a known village code.
    #[error("Pilih kelurahan/desa dengan kode wilayah lengkap (PP.KK.CC.NNNN).")]
    BadKelurahan,
    /// A kelurahan chosen to list its services is not a village code.
    #[error("Kode kelurahan/desa tidak sah (PP.KK.CC.NNNN).")]
    KelurahanCodeInvalid,
    /// A kelurahan chosen to list its services is not in the regions table.
    #[error("Kode kelurahan/desa tidak dikenal.")]
    KelurahanUnknown,
    #[error("Nomor telepon hanya angka, 8–15 digit (boleh diawali +).")]
    BadPhone,
    #[error("Alamat email tidak sah.")]
    BadEmail,
    #[error("{what_id} tidak boleh di masa depan.")]
    EventInFuture {
        what_id: &'static str,
        what_en: &'static str,
    },
    #[error("Dokumen \"{key}\" tidak termasuk persyaratan layanan ini.")]
    UnknownDocument { key: String },
    #[error("Berkas \"{label_id}\" terlalu besar ({kb} KB). Ukuran paling besar {max_kb} KB per berkas.")]
    UploadTooLarge {
        label_id: String,
        label_en: String,
        kb: usize,
        max_kb: usize,
    },
    #[error("Berkas \"{label_id}\" bukan PDF, JPEG atau PNG. Unggah hasil pindaian atau foto dalam salah satu format itu.")]
    NotPdfJpegPng { label_id: String, label_en: String },
    #[error("Dokumen wajib belum diunggah: {label_id}.")]
    MissingDocument { label_id: String, label_en: String },
    /// Filing: no Disdukcapil serves the region (the applicant is sent to the office).
    #[error("Belum ada Disdukcapil yang melayani wilayah ini di Balai. Silakan datang ke kantor Disdukcapil.")]
    NoDisdukcapil,
    /// Listing the services of a region no Disdukcapil serves.
    #[error("Belum ada Disdukcapil yang melayani wilayah ini di Balai.")]
    NoDisdukcapilListed,
    #[error("Layanan {service_id} tidak dibuka oleh {agency} untuk wilayah ini. Silakan tanyakan ke kantor Disdukcapil atau loket kelurahan.")]
    ServiceNotOffered {
        service_id: String,
        service_en: String,
        agency: String,
    },
    #[error("Tindakan tidak dikenal.")]
    UnknownAction,
    #[error("Periode tidak sah: from harus sebelum to, paling panjang 5 tahun.")]
    BadPeriod,
    #[error("Bulan harus berbentuk TTTT-BB, mis. 2026-11.")]
    BadMonth,
    #[error("Parameter region wajib diisi.")]
    RegionRequired,
    #[error("{what_id} harus bilangan bulat tidak negatif.")]
    BadNumber {
        what_id: &'static str,
        what_en: &'static str,
    },
    /// The checklist parser's message (one language, shown in both).
    #[error("{0}")]
    BadChecklist(String),
    #[error("Isi dokumen \"{key}\" bukan base64 yang sah.")]
    BadBase64 { key: String },
    /// An API document whose declared type is not allowed or does not match its bytes.
    #[error("Dokumen \"{key}\" harus PDF, JPEG atau PNG dan jenisnya sesuai isi berkas.")]
    DeclaredTypeMismatch { key: String },
    #[error(transparent)]
    Workflow(#[from] WorkflowError),
    #[error("Permohonan ini baru saja diubah orang lain. Muat ulang lalu coba lagi.")]
    ChangedMeanwhile,
    #[error("Kode lacak atau kode rahasia salah.")]
    TrackingNotFound,
    #[error("Terlalu banyak percobaan kode yang salah. Tunggu beberapa menit lalu coba lagi.")]
    TooManyAttempts,
    /// Too many applications lately from one address, or for one NIK or contact; `retry_after`
    /// in seconds.
    #[error("Terlalu banyak permohonan dalam waktu singkat dari alamat, NIK atau kontak ini. Coba lagi nanti.")]
    Flooded { retry_after: u32 },
    #[error("Kiriman terlalu besar. Perkecil berkas (pindai dengan resolusi lebih rendah) lalu coba lagi.")]
    BodyTooLarge,
    #[error("Isian formulir tidak dapat dibaca. Coba kirim ulang.")]
    BadForm,
    /// The core's "not allowed" refusal.
    #[error("forbidden")]
    Forbidden,
    /// An official would approve an application they filed themselves at the counter.
    #[error("Anda tidak boleh menyetujui permohonan yang Anda ajukan sendiri di loket; petugas lain yang memverifikasinya.")]
    OwnFiling,
    /// The core's "not found" (also for what the actor may not see, so it does not leak).
    #[error("not found")]
    NotFound,
    /// A failure of a core service (storage, audit, calendar, outbox), passed on as it is.
    #[error("{0}")]
    Core(AppError),
}

pub type CrResult<T> = Result<T, CivilRegistryError>;

impl CivilRegistryError {
    /// The English message (the Indonesian one is the `Display` text).
    pub fn message_en(&self) -> String {
        use CivilRegistryError as E;
        match self {
            E::UnknownService => "Unknown or closed service.".into(),
            E::BadName => "The applicant's name is required (at most 200 characters).".into(),
            E::BadDate { what_en, .. } => format!("{what_en} must be a date YYYY-MM-DD."),
            E::BadSex => "Sex must be L (male) or P (female).".into(),
            E::MissingDetail { what_en, .. } => {
                format!("{what_en} is required (at most 200 characters).")
            }
            E::BadTime => "The time of birth must be HH:MM, e.g. 07:45.".into(),
            E::AlreadyOpen {
                tracking_code,
                service_en,
                ..
            } => format!(
                "This NIK already has an open {service_en} application (tracking code {}). No new application was filed; track that one with the secret from its receipt.",
                grouped_code(tracking_code)
            ),
            E::IdNumber(e) => e.message_en(),
            E::BadKelurahan => {
                "Choose a kelurahan/desa by its full region code (PP.KK.CC.NNNN).".into()
            }
            E::KelurahanCodeInvalid => "Invalid kelurahan/desa code (PP.KK.CC.NNNN).".into(),
            E::KelurahanUnknown => "Unknown kelurahan/desa code.".into(),
            E::BadPhone => "The phone number must be 8–15 digits (may start with +).".into(),
            E::BadEmail => "The email address is not valid.".into(),
            E::EventInFuture { what_en, .. } => format!("{what_en} cannot be in the future."),
            E::UnknownDocument { key } => {
                format!("Document \"{key}\" is not a requirement of this service.")
            }
            E::UploadTooLarge {
                label_en,
                kb,
                max_kb,
                ..
            } => format!("File \"{label_en}\" is too large ({kb} KB). The limit is {max_kb} KB per file."),
            E::NotPdfJpegPng { label_en, .. } => {
                format!("File \"{label_en}\" is not a PDF, JPEG or PNG.")
            }
            E::MissingDocument { label_en, .. } => {
                format!("A required document is missing: {label_en}.")
            }
            E::NoDisdukcapil => "No Disdukcapil serves this region in Balai yet. Please visit the Disdukcapil office.".into(),
            E::NoDisdukcapilListed => "No Disdukcapil serves this region in Balai yet.".into(),
            E::ServiceNotOffered { service_en, agency, .. } => format!(
                "The service {service_en} is not offered by {agency} for this region. Please ask the Disdukcapil office or the kelurahan counter."
            ),
            E::UnknownAction => "Unknown action.".into(),
            E::BadPeriod => {
                "Invalid period: from must not be after to, and at most 5 years long.".into()
            }
            E::BadMonth => "The month must be YYYY-MM, e.g. 2026-11.".into(),
            E::RegionRequired => "The region parameter is required.".into(),
            E::BadNumber { what_en, .. } => format!("{what_en} must be a non-negative whole number."),
            E::BadChecklist(text) => text.clone(),
            E::BadBase64 { key } => format!("Document \"{key}\" is not valid base64."),
            E::DeclaredTypeMismatch { key } => format!(
                "Document \"{key}\" must be a PDF, JPEG or PNG and its type must match its content."
            ),
            E::Workflow(e) => e.message_en(),
            E::OwnFiling => "You may not approve an application you filed yourself at the counter; another officer verifies it.".into(),
            E::ChangedMeanwhile => {
                "This application was just changed by someone else. Reload and try again.".into()
            }
            E::TrackingNotFound => "Wrong tracking code or secret.".into(),
            E::TooManyAttempts => "Too many wrong attempts. Wait a few minutes and try again.".into(),
            E::Flooded { .. } => "Too many applications lately from this address, NIK or contact. Try again later.".into(),
            E::BodyTooLarge => "The upload is too large. Make the files smaller and try again.".into(),
            E::BadForm => "The form could not be read. Please send it again.".into(),
            E::Forbidden | E::NotFound | E::Core(_) => self.to_string(),
        }
    }

    /// A multipart body that could not be read, sorted by the status axum gives its error.
    pub fn unreadable_form(status: StatusCode) -> CivilRegistryError {
        match status {
            StatusCode::PAYLOAD_TOO_LARGE => CivilRegistryError::BodyTooLarge,
            _ => CivilRegistryError::BadForm,
        }
    }
}

impl From<CivilRegistryError> for AppError {
    fn from(e: CivilRegistryError) -> AppError {
        use CivilRegistryError as E;
        let (status, code) = match &e {
            E::Core(_) | E::Forbidden | E::NotFound => {
                return match e {
                    E::Core(inner) => inner,
                    E::Forbidden => AppError::forbidden(),
                    _ => AppError::not_found(),
                }
            }
            E::IdNumber(n) => (StatusCode::UNPROCESSABLE_ENTITY, n.code()),
            E::Workflow(w) => (workflow_status(w), w.code()),
            E::UnknownService => (StatusCode::UNPROCESSABLE_ENTITY, "unknown_service"),
            E::BadName => (StatusCode::UNPROCESSABLE_ENTITY, "bad_name"),
            E::BadDate { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "bad_date"),
            E::BadSex => (StatusCode::UNPROCESSABLE_ENTITY, "bad_sex"),
            E::MissingDetail { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "missing_detail"),
            E::BadTime => (StatusCode::UNPROCESSABLE_ENTITY, "bad_time"),
            E::AlreadyOpen {
                id,
                tracking_code,
                status,
                ..
            } => {
                let details = serde_json::json!({
                    "application_id": id, "tracking_code": tracking_code, "status": status,
                });
                return AppError::new(
                    StatusCode::CONFLICT,
                    "application_open",
                    e.to_string(),
                    e.message_en(),
                )
                .with_details(details);
            }
            E::BadKelurahan | E::KelurahanCodeInvalid | E::KelurahanUnknown => {
                (StatusCode::UNPROCESSABLE_ENTITY, "bad_kelurahan")
            }
            E::BadPhone => (StatusCode::UNPROCESSABLE_ENTITY, "bad_phone"),
            E::BadEmail => (StatusCode::UNPROCESSABLE_ENTITY, "bad_email"),
            E::EventInFuture { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "event_in_future"),
            E::UnknownDocument { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "unknown_document"),
            E::UploadTooLarge { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "upload_too_large"),
            E::NotPdfJpegPng { .. } | E::DeclaredTypeMismatch { .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, "bad_file_type")
            }
            E::MissingDocument { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "missing_document"),
            E::NoDisdukcapil | E::NoDisdukcapilListed => {
                (StatusCode::UNPROCESSABLE_ENTITY, "no_disdukcapil")
            }
            E::ServiceNotOffered { .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, "service_not_offered")
            }
            E::UnknownAction => (StatusCode::UNPROCESSABLE_ENTITY, "unknown_action"),
            E::BadPeriod => (StatusCode::UNPROCESSABLE_ENTITY, "bad_period"),
            E::BadMonth => (StatusCode::UNPROCESSABLE_ENTITY, "bad_month"),
            E::RegionRequired => (StatusCode::UNPROCESSABLE_ENTITY, "region_required"),
            E::BadNumber { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "bad_number"),
            E::BadChecklist(_) => (StatusCode::UNPROCESSABLE_ENTITY, "bad_checklist"),
            E::BadBase64 { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "bad_base64"),
            E::ChangedMeanwhile => (StatusCode::CONFLICT, "changed_meanwhile"),
            E::OwnFiling => (StatusCode::FORBIDDEN, "own_filing"),
            E::TrackingNotFound => (StatusCode::NOT_FOUND, "tracking_not_found"),
            E::TooManyAttempts => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            E::Flooded { retry_after } => {
                let secs = *retry_after;
                return AppError::too_many(e.to_string(), e.message_en()).with_retry_after(secs);
            }
            E::BodyTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "body_too_large"),
            E::BadForm => (StatusCode::BAD_REQUEST, "bad_form"),
        };
        AppError::new(status, code, e.to_string(), e.message_en())
    }
}

fn workflow_status(e: &WorkflowError) -> StatusCode {
    match e {
        WorkflowError::TakenByOther | WorkflowError::NotAllowed(_) => StatusCode::CONFLICT,
        WorkflowError::SupervisorOnly => StatusCode::FORBIDDEN,
        WorkflowError::NotTaken | WorkflowError::ReasonRequired => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

impl From<AppError> for CivilRegistryError {
    fn from(e: AppError) -> Self {
        CivilRegistryError::Core(e)
    }
}

impl From<sqlx::Error> for CivilRegistryError {
    fn from(e: sqlx::Error) -> Self {
        CivilRegistryError::Core(e.into())
    }
}

impl From<anyhow::Error> for CivilRegistryError {
    fn from(e: anyhow::Error) -> Self {
        CivilRegistryError::Core(e.into())
    }
}

impl From<balai_core::regions::BadRegionCode> for CivilRegistryError {
    fn from(e: balai_core::regions::BadRegionCode) -> Self {
        CivilRegistryError::Core(e.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_keep_their_codes_statuses_and_messages() {
        let e = AppError::from(CivilRegistryError::BadDate {
            what_id: "Tanggal lahir",
            what_en: "Birth date",
        });
        assert_eq!(e.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e.info.code, "bad_date");
        assert_eq!(
            e.info.message_id,
            "Tanggal lahir harus berupa tanggal TTTT-BB-HH."
        );
        assert_eq!(e.info.message_en, "Birth date must be a date YYYY-MM-DD.");
        let e = AppError::from(CivilRegistryError::TooManyAttempts);
        assert_eq!(
            (e.status(), e.info.code),
            (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
        );
        let e = AppError::from(CivilRegistryError::Workflow(WorkflowError::SupervisorOnly));
        assert_eq!(
            (e.status(), e.info.code),
            (StatusCode::FORBIDDEN, "supervisor_only")
        );
        assert_eq!(
            AppError::from(CivilRegistryError::NotFound).info.code,
            "not_found"
        );
        assert_eq!(
            CivilRegistryError::unreadable_form(StatusCode::PAYLOAD_TOO_LARGE).to_string(),
            CivilRegistryError::BodyTooLarge.to_string()
        );
    }
}
