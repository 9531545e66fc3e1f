//! Every refusal of the feature, and its one mapping to [`AppError`]: the stable code, the HTTP
//! status, the Indonesian message (the `#[error]` text) and the English one
//! ([`NeutralityError::message_en`]). Commands return this type; handlers turn it into an
//! `AppError` with `?`.

use axum::http::StatusCode;
use balai_core::AppError;

use crate::domain::appointment::Invalid;
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
        };
        AppError::new(status, code, e.to_string(), e.message_en())
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
