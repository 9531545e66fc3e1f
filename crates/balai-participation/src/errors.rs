//! Every refusal of the feature, and its one mapping to [`AppError`]: the stable code, the HTTP
//! status, the Indonesian message (the `#[error]` text) and the English one
//! ([`ParticipationError::message_en`]). Commands return this type; handlers turn it into an
//! `AppError` with `?`.

use axum::http::StatusCode;
use balai_core::AppError;

use crate::domain::invalid::Invalid;
use crate::domain::targets::Problem;

#[derive(Debug, thiserror::Error)]
pub enum ParticipationError {
    /// A field or rule, named in [`Invalid`].
    #[error("{}", .0.messages().0)]
    Invalid(Invalid),
    /// A well-formed region code that is not in the regions table.
    #[error("Kode wilayah tidak dikenal.")]
    UnknownRegion,
    /// A target region outside the election's region.
    #[error("Wilayah {0} tidak termasuk wilayah pemilihan ini.")]
    OutsideElection(String),
    /// A targets CSV with problems, each with its line.
    #[error("Berkas CSV tidak disimpan. {}", joined(.0, false))]
    Csv(Vec<Problem>),
    #[error("Isian formulir tidak dapat dibaca. Coba kirim ulang.")]
    BadForm,
    #[error("not found")]
    NotFound,
    /// The core's "not allowed" refusal.
    #[error("forbidden")]
    Forbidden,
    /// A failure of a core service (storage, audit), passed on as it is.
    #[error("{0}")]
    Core(AppError),
}

pub type PResult<T> = Result<T, ParticipationError>;

impl From<Invalid> for ParticipationError {
    fn from(e: Invalid) -> Self {
        ParticipationError::Invalid(e)
    }
}

impl From<sqlx::Error> for ParticipationError {
    fn from(e: sqlx::Error) -> Self {
        ParticipationError::Core(AppError::from(e))
    }
}

impl From<AppError> for ParticipationError {
    fn from(e: AppError) -> Self {
        ParticipationError::Core(e)
    }
}

impl ParticipationError {
    /// The English message (the Indonesian one is the `Display` text).
    pub fn message_en(&self) -> String {
        use ParticipationError as E;
        match self {
            E::Invalid(i) => i.messages().1,
            E::UnknownRegion => "Unknown region code.".into(),
            E::OutsideElection(r) => format!("Region {r} is not inside this election's region."),
            E::Csv(p) => format!("The CSV file was not stored. {}", joined(p, true)),
            E::BadForm => "The form could not be read. Please send it again.".into(),
            E::NotFound | E::Forbidden | E::Core(_) => self.to_string(),
        }
    }

    /// The message in a page's language.
    pub fn message(&self, lang: balai_core::i18n::Lang) -> String {
        if lang == balai_core::i18n::Lang::En {
            self.message_en()
        } else {
            self.to_string()
        }
    }
}

impl From<ParticipationError> for AppError {
    fn from(e: ParticipationError) -> AppError {
        use ParticipationError as E;
        let (status, code) = match &e {
            E::Core(_) | E::Forbidden | E::NotFound => {
                return match e {
                    E::Core(inner) => inner,
                    E::NotFound => AppError::not_found(),
                    _ => AppError::forbidden(),
                }
            }
            // The minutes' or the activity's state, not the request, is in the way: a
            // conflict (a withdrawn activity takes no change).
            E::Invalid(i @ (Invalid::AlreadyPublished | Invalid::NoDraft | Invalid::Withdrawn)) => {
                (StatusCode::CONFLICT, i.code())
            }
            E::Invalid(i @ Invalid::DocumentTooLarge(_)) => {
                (StatusCode::PAYLOAD_TOO_LARGE, i.code())
            }
            E::Invalid(i) => (StatusCode::UNPROCESSABLE_ENTITY, i.code()),
            E::UnknownRegion => (StatusCode::UNPROCESSABLE_ENTITY, "unknown_region"),
            E::OutsideElection(_) => (StatusCode::UNPROCESSABLE_ENTITY, "region_outside_election"),
            E::Csv(problems) => {
                let details = serde_json::json!({
                    "problems": problems.iter()
                        .map(|(i, e)| serde_json::json!({"message_id": i, "message_en": e}))
                        .collect::<Vec<_>>()
                });
                let code = if problems.iter().any(|(_, en)| en.contains("above 100%")) {
                    "target_above_100"
                } else {
                    "bad_csv"
                };
                return AppError::unprocessable(code, e.to_string(), e.message_en())
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
