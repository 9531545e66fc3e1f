//! Every refusal of the feature, and its one mapping to [`AppError`]: the stable code, the HTTP
//! status, the Indonesian message (the `#[error]` text) and the English one
//! ([`NeutralityError::message_en`]). Commands return this type; handlers turn it into an
//! `AppError` with `?`.

use axum::http::StatusCode;
use balai_core::AppError;

use crate::domain::appointment::Invalid;
use crate::domain::case::WrongDecision;
use crate::domain::case_input;
use crate::domain::csv::Problem;

#[derive(Debug, thiserror::Error)]
pub enum NeutralityError {
    /// A field of an appointment, named in [`Invalid`].
    #[error("{}", .0.messages().0)]
    Invalid(Invalid),
    /// A well-formed region code that is not in the regions table.
    #[error("Kode wilayah tidak dikenal.")]
    UnknownRegion,
    #[error("Parameter region wajib diisi (kode provinsi atau kabupaten/kota, mis. 32.79).")]
    RegionRequired,
    /// A CSV import with problems, each with its line.
    #[error("Berkas CSV tidak diimpor. {}", joined(.0, false))]
    Csv(Vec<Problem>),
    #[error("Isian formulir tidak dapat dibaca. Coba kirim ulang.")]
    BadForm,
    /// A field of a case's opening or of a step's decision.
    #[error("{}", .0.messages().0)]
    CaseInvalid(case_input::Invalid),
    /// A decision that does not fit the case's current step.
    #[error("{}", wrong_decision(*.0).0)]
    WrongDecision(WrongDecision),
    /// The form was for a step the case has left (someone decided it meanwhile).
    #[error("Tahap ini sudah diputuskan. Muat ulang halaman kasus.")]
    StaleStep,
    /// No such case, or one the official may not see.
    #[error("Kasus tidak ditemukan.")]
    CaseNotFound,
    /// No complaint routed to the official's Bawaslu with this id.
    #[error("Pengaduan tidak ditemukan di antara pengaduan yang diteruskan ke Bawaslu Anda.")]
    UnknownComplaint,
    #[error("Pengaduan ini bukan kategori netralitas ASN.")]
    ComplaintNotNeutrality,
    #[error("Sudah ada kasus untuk pengaduan ini.")]
    ComplaintHasCase,
    /// The origin does not fit the opening agency (Bawaslu: complaint or finding; BKN: entry).
    #[error("Asal kasus tidak sesuai dengan instansi yang mencatat (Bawaslu: pengaduan atau temuan; BKN: catatan BKN).")]
    OriginMismatch,
    /// Duties separated: who opened a case does not record Bawaslu's recommendation on it.
    #[error("Rekomendasi diputuskan oleh pejabat lain daripada yang mencatat kasus.")]
    OwnCase,
    /// The core's "not allowed" refusal.
    #[error("forbidden")]
    Forbidden,
    /// A failure of a core service (storage, audit), passed on as it is.
    #[error("{0}")]
    Core(AppError),
}

pub type NResult<T> = Result<T, NeutralityError>;

impl From<Invalid> for NeutralityError {
    fn from(e: Invalid) -> Self {
        NeutralityError::Invalid(e)
    }
}

impl From<sqlx::Error> for NeutralityError {
    fn from(e: sqlx::Error) -> Self {
        NeutralityError::Core(AppError::from(e))
    }
}

impl From<AppError> for NeutralityError {
    fn from(e: AppError) -> Self {
        NeutralityError::Core(e)
    }
}

impl NeutralityError {
    /// The English message (the Indonesian one is the `Display` text).
    pub fn message_en(&self) -> String {
        use NeutralityError as E;
        match self {
            E::Invalid(i) => i.messages().1,
            E::UnknownRegion => "Unknown region code.".into(),
            E::RegionRequired => {
                "The region parameter is required (a province or regency/city code, e.g. 32.79)."
                    .into()
            }
            E::Csv(p) => format!("The CSV file was not imported. {}", joined(p, true)),
            E::BadForm => "The form could not be read. Please send it again.".into(),
            E::CaseInvalid(i) => i.messages().1.into(),
            E::WrongDecision(w) => wrong_decision(*w).1.into(),
            E::StaleStep => "This step was decided already. Reload the case page.".into(),
            E::CaseNotFound => "Case not found.".into(),
            E::UnknownComplaint => {
                "No complaint routed to your Bawaslu has this number.".into()
            }
            E::ComplaintNotNeutrality => "This complaint is not about ASN neutrality.".into(),
            E::ComplaintHasCase => "A case for this complaint exists already.".into(),
            E::OriginMismatch => "The origin does not fit the recording agency (Bawaslu: complaint or finding; BKN: its own entry).".into(),
            E::OwnCase => "The recommendation is decided by another official than the one who opened the case.".into(),
            E::Forbidden | E::Core(_) => self.to_string(),
        }
    }
}

impl From<NeutralityError> for AppError {
    fn from(e: NeutralityError) -> AppError {
        use NeutralityError as E;
        let (status, code) = match &e {
            E::Core(_) | E::Forbidden => {
                return match e {
                    E::Core(inner) => inner,
                    _ => AppError::forbidden(),
                }
            }
            E::Invalid(i) => (StatusCode::UNPROCESSABLE_ENTITY, i.code()),
            E::UnknownRegion => (StatusCode::UNPROCESSABLE_ENTITY, "unknown_region"),
            E::RegionRequired => (StatusCode::UNPROCESSABLE_ENTITY, "region_required"),
            E::Csv(problems) => {
                let details = serde_json::json!({
                    "problems": problems.iter()
                        .map(|(i, e)| serde_json::json!({"message_id": i, "message_en": e}))
                        .collect::<Vec<_>>()
                });
                return AppError::unprocessable("bad_csv", e.to_string(), e.message_en())
                    .with_details(details);
            }
            E::BadForm => (StatusCode::BAD_REQUEST, "bad_form"),
            E::CaseInvalid(i) => (StatusCode::UNPROCESSABLE_ENTITY, i.code()),
            E::WrongDecision(w) => (StatusCode::UNPROCESSABLE_ENTITY, wrong_decision(*w).2),
            E::StaleStep => (StatusCode::CONFLICT, "stale_step"),
            E::CaseNotFound => return AppError::not_found(),
            E::UnknownComplaint => (StatusCode::UNPROCESSABLE_ENTITY, "unknown_complaint"),
            E::ComplaintNotNeutrality => {
                (StatusCode::UNPROCESSABLE_ENTITY, "complaint_not_neutrality")
            }
            E::ComplaintHasCase => (StatusCode::CONFLICT, "complaint_has_case"),
            E::OriginMismatch => (StatusCode::UNPROCESSABLE_ENTITY, "origin_mismatch"),
            E::OwnCase => (StatusCode::FORBIDDEN, "own_case"),
        };
        AppError::new(status, code, e.to_string(), e.message_en())
    }
}

/// (Bahasa Indonesia, English, code) of a decision that does not fit the step.
const fn wrong_decision(w: WrongDecision) -> (&'static str, &'static str, &'static str) {
    match w {
        WrongDecision::Closed => ("Kasus sudah selesai.", "The case is closed.", "case_closed"),
        WrongDecision::NotForStep => (
            "Keputusan ini bukan untuk tahap kasus saat ini.",
            "This decision does not belong to the case's current step.",
            "decision_not_for_step",
        ),
        WrongDecision::ActRequired => (
            "Rekomendasi pelanggaran Bawaslu harus menyebut bentuk pelanggaran.",
            "Bawaslu's recommendation of a violation must name the forbidden act.",
            "forbidden_act_required",
        ),
        WrongDecision::SanctionRequired => (
            "Rekomendasi BKN harus menyebut sanksi.",
            "BKN's recommendation must name the sanction.",
            "sanction_required",
        ),
    }
}

/// The first problems of a list, joined, with a count of the rest.
fn joined(problems: &[Problem], english: bool) -> String {
    const SHOWN: usize = 5;
    let mut s = problems
        .iter()
        .take(SHOWN)
        .map(|(i, e)| if english { e.as_str() } else { i.as_str() })
        .collect::<Vec<_>>()
        .join(" ");
    if problems.len() > SHOWN {
        let more = problems.len() - SHOWN;
        s.push_str(&if english {
            format!(" … and {more} more.")
        } else {
            format!(" … dan {more} lainnya.")
        });
    }
    s
}
