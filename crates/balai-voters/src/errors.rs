//! Every refusal of the feature, and its one mapping to [`AppError`]: the stable code, the HTTP
//! status, the Indonesian message (the `#[error]` text) and the English one
//! ([`VoterError::message_en`]). Commands return this type; handlers turn it into an `AppError`
//! with `?`.

use axum::http::StatusCode;
use balai_core::AppError;

use crate::domain::csv::Refused;
use crate::domain::nik::Impossible;
use crate::domain::report::Invalid;

#[derive(Debug, thiserror::Error)]
pub enum VoterError {
    /// A NIK that cannot exist (the check's 422).
    #[error("{}", .0.messages().0)]
    Impossible(Impossible),
    /// A list with refused rows: nothing imported.
    #[error("Daftar pemilih tidak diimpor: {} baris ditolak.", .0.len())]
    Refused(Vec<Refused>),
    #[error("Pemilihan tidak ditemukan.")]
    ElectionNotFound,
    #[error("Tahap daftar tidak dikenal (dps, dpshp atau dpt).")]
    BadStage,
    /// A new version may not go back a stage, and a fixed DPT is final.
    #[error("Daftar sudah pada tahap {0}; versi baru tahap {1} tidak dapat diimpor.")]
    StageOrder(&'static str, &'static str),
    #[error("{}", .0.messages().0)]
    Report(Invalid),
    #[error("Tanggapan tidak ditemukan.")]
    ReportNotFound,
    #[error("Tanggapan ini sudah dijawab.")]
    ReportAnswered,
    /// Responses are taken while the list is DPS or DPSHP.
    #[error("Daftar pemilih pemilihan ini belum diumumkan atau sudah ditetapkan; tanggapan tidak diterima.")]
    ListClosed,
    #[error("NIK ini tidak ada dalam daftar pemilihan ini.")]
    NotListed,
    #[error("Terlalu banyak pencarian. Coba lagi dalam {retry_after} detik.")]
    TooMany { retry_after: u64 },
    #[error("Isian formulir tidak dapat dibaca. Coba kirim ulang.")]
    BadForm,
    #[error("forbidden")]
    Forbidden,
    #[error("{0}")]
    Core(AppError),
}

pub type VResult<T> = Result<T, VoterError>;

impl From<sqlx::Error> for VoterError {
    fn from(e: sqlx::Error) -> Self {
        VoterError::Core(AppError::from(e))
    }
}

impl From<AppError> for VoterError {
    fn from(e: AppError) -> Self {
        VoterError::Core(e)
    }
}

impl From<anyhow::Error> for VoterError {
    fn from(e: anyhow::Error) -> Self {
        VoterError::Core(AppError::internal(e))
    }
}

impl From<Invalid> for VoterError {
    fn from(e: Invalid) -> Self {
        VoterError::Report(e)
    }
}

impl VoterError {
    pub fn message_en(&self) -> String {
        use VoterError as E;
        match self {
            E::Impossible(i) => i.messages().1,
            E::Refused(r) => format!("The voter list was not imported: {} rows refused.", r.len()),
            E::ElectionNotFound => "Election not found.".into(),
            E::BadStage => "Unknown list stage (dps, dpshp or dpt).".into(),
            E::StageOrder(from, to) => format!(
                "The list is already at stage {from}; a new {to} version cannot be imported."
            ),
            E::Report(i) => i.messages().1.into(),
            E::ReportNotFound => "Response not found.".into(),
            E::ReportAnswered => "This response has been answered already.".into(),
            E::ListClosed => "This election's voter list is not published yet or already fixed; responses are not taken.".into(),
            E::NotListed => "This NIK is not in this election's list.".into(),
            E::TooMany { retry_after } => {
                format!("Too many look-ups. Try again in {retry_after} seconds.")
            }
            E::BadForm => "The form could not be read. Please send it again.".into(),
            E::Forbidden | E::Core(_) => self.to_string(),
        }
    }
}

impl From<VoterError> for AppError {
    fn from(e: VoterError) -> AppError {
        use VoterError as E;
        let (status, code) = match &e {
            E::Core(_) | E::Forbidden => {
                return match e {
                    E::Core(inner) => inner,
                    _ => AppError::forbidden(),
                }
            }
            E::TooMany { retry_after } => {
                let secs = u32::try_from(*retry_after).unwrap_or(u32::MAX);
                return AppError::too_many(e.to_string(), e.message_en()).with_retry_after(secs);
            }
            E::Refused(rows) => {
                let details = serde_json::json!({
                    "refused": rows.iter().map(|r| {
                        let (id, en) = r.problem.messages();
                        serde_json::json!({"line": r.line, "code": r.problem.code(),
                            "message_id": id, "message_en": en})
                    }).collect::<Vec<_>>()
                });
                return AppError::unprocessable(
                    "voter_list_refused",
                    e.to_string(),
                    e.message_en(),
                )
                .with_details(details);
            }
            E::Impossible(i) => (StatusCode::UNPROCESSABLE_ENTITY, i.code()),
            E::ElectionNotFound | E::ReportNotFound | E::NotListed => {
                (StatusCode::NOT_FOUND, "not_found")
            }
            E::BadStage => (StatusCode::UNPROCESSABLE_ENTITY, "list_stage_unknown"),
            E::StageOrder(..) => (StatusCode::CONFLICT, "list_stage_order"),
            E::Report(i) => (StatusCode::UNPROCESSABLE_ENTITY, i.code()),
            E::ReportAnswered => (StatusCode::CONFLICT, "report_answered"),
            E::ListClosed => (StatusCode::CONFLICT, "list_closed"),
            E::BadForm => (StatusCode::BAD_REQUEST, "bad_form"),
        };
        AppError::new(status, code, e.to_string(), e.message_en())
    }
}
