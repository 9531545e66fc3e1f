//! Every refusal of Kinerja, and its one mapping to [`AppError`]: the stable code, the HTTP
//! status, the Indonesian message (the `#[error]` text) and the English one
//! ([`PerformanceError::message_en`]).

use axum::http::StatusCode;
use balai_core::AppError;

use crate::domain::follow_up::ActionError;
use crate::domain::ikm::WeightsError;

#[derive(Debug, thiserror::Error)]
pub enum PerformanceError {
    /// A code that is not well-formed or that Balai never issued.
    #[error("Kode survei tidak dikenal. Periksa kembali kode pada tanda terima atau kartu Anda.")]
    CodeUnknown,
    #[error("Kode survei ini sudah dipakai. Setiap kode hanya dapat dipakai sekali.")]
    CodeUsed,
    #[error("Kode survei ini sudah kedaluwarsa.")]
    CodeExpired,
    #[error("Jawaban harus tepat 9 angka, masing-masing 1 sampai 4.")]
    BadAnswers,
    /// A respondent fact outside its list.
    #[error("Isian \"{field_id}\" tidak dikenal.")]
    BadFact {
        field_id: &'static str,
        field_en: &'static str,
    },
    #[error("Saran atau komentar paling panjang 2.000 karakter.")]
    CommentTooLong,
    #[error("Nama layanan paling panjang 100 karakter, tanpa baris baru.")]
    BadService,
    #[error("Jumlah kode harus 1 sampai {max}.")]
    BadCount { max: u32 },
    #[error("Periode tidak sah: from dan to berbentuk TTTT-BB-HH, from tidak setelah to, paling panjang 5 tahun.")]
    BadPeriod,
    #[error("Bulan harus berbentuk TTTT-BB, mis. 2026-11.")]
    BadMonth,
    #[error("Bobot tidak sah: {0}.")]
    BadWeights(WeightsError),
    #[error("Jumlah pengguna layanan harus bilangan bulat 0 sampai 10.000.000.")]
    BadUsers,
    #[error("Kunci KPI tidak dikenal (bentuk: fitur.ukuran, huruf kecil).")]
    BadKpi,
    #[error("Target harus angka 0 sampai 1.000.000 (persen untuk persentase), boleh dengan dua desimal.")]
    BadTarget,
    #[error("Parameter region harus kode wilayah (PP, PP.KK, …).")]
    BadRegion,
    #[error("Terlalu banyak kode yang salah dari alamat ini. Tunggu sebentar lalu coba lagi.")]
    TooManyAttempts { retry_after: u64 },
    #[error(
        "Pertanyaan tambahan: 1 sampai 300 karakter, satu baris (terjemahan Inggris boleh kosong)."
    )]
    BadQuestion,
    #[error("Paling banyak {max} pertanyaan tambahan sekaligus; hentikan satu dulu.")]
    TooManyQuestions { max: usize },
    /// An extra answer to a question the unit does not ask, twice, or outside 1–4.
    #[error(
        "Jawaban pertanyaan tambahan tidak sah: pertanyaan unit ini, sekali, nilai 1 sampai 4."
    )]
    BadExtraAnswer,
    #[error("Rencana tindak lanjut tidak sah: {}.", .0.message(false))]
    BadFollowUp(ActionError),
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Core(AppError),
}

pub type PerfResult<T> = Result<T, PerformanceError>;

impl PerformanceError {
    pub fn message_en(&self) -> String {
        use PerformanceError as E;
        match self {
            E::CodeUnknown => "Unknown survey code. Check the code on your receipt or card.".into(),
            E::CodeUsed => "This survey code has been used. Each code can be used once.".into(),
            E::CodeExpired => "This survey code has expired.".into(),
            E::BadAnswers => "The answers must be exactly 9 numbers, each 1 to 4.".into(),
            E::BadFact { field_en, .. } => format!("Unknown value for \"{field_en}\"."),
            E::CommentTooLong => "A comment may be at most 2,000 characters.".into(),
            E::BadService => "A service name has at most 100 characters and no line breaks.".into(),
            E::BadCount { max } => format!("The number of codes must be 1 to {max}."),
            E::BadPeriod => {
                "Invalid period: from and to are YYYY-MM-DD, from not after to, at most 5 years."
                    .into()
            }
            E::BadMonth => "The month must be YYYY-MM, e.g. 2026-11.".into(),
            E::BadWeights(w) => format!("Invalid weights: {}.", w.message_en()),
            E::BadUsers => {
                "The number of service users must be a whole number from 0 to 10,000,000.".into()
            }
            E::BadKpi => "Unknown KPI key (form: feature.figure, lower case).".into(),
            E::BadTarget => "A target is a number from 0 to 1,000,000 (percent for shares), with at most two decimals.".into(),
            E::BadRegion => "The region parameter must be a region code (PP, PP.KK, …).".into(),
            E::BadQuestion => "An extra question has 1 to 300 characters on one line (the English text may be empty).".into(),
            E::TooManyQuestions { max } => format!("At most {max} extra questions at once; retire one first."),
            E::BadExtraAnswer => "Invalid extra answer: a question of this unit, once, scored 1 to 4.".into(),
            E::BadFollowUp(a) => format!("Invalid follow-up action: {}.", a.message(true)),
            E::TooManyAttempts { .. } => {
                "Too many wrong codes from this address. Wait a moment and try again.".into()
            }
            E::Forbidden | E::NotFound | E::Core(_) => self.to_string(),
        }
    }
}

impl From<PerformanceError> for AppError {
    fn from(e: PerformanceError) -> AppError {
        use PerformanceError as E;
        let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
        let (status, code) = match &e {
            E::Core(_) | E::Forbidden | E::NotFound => {
                return match e {
                    E::Core(inner) => inner,
                    E::Forbidden => AppError::forbidden(),
                    _ => AppError::not_found(),
                }
            }
            E::TooManyAttempts { retry_after } => {
                let secs = u32::try_from(*retry_after).unwrap_or(u32::MAX);
                return AppError::too_many(e.to_string(), e.message_en()).with_retry_after(secs);
            }
            E::CodeUnknown => (unprocessable, "code_unknown"),
            E::CodeUsed => (StatusCode::CONFLICT, "code_used"),
            E::CodeExpired => (unprocessable, "code_expired"),
            E::BadAnswers => (unprocessable, "bad_answers"),
            E::BadFact { .. } => (unprocessable, "bad_respondent_fact"),
            E::CommentTooLong => (unprocessable, "comment_too_long"),
            E::BadService => (unprocessable, "bad_service"),
            E::BadCount { .. } => (unprocessable, "bad_count"),
            E::BadPeriod => (unprocessable, "bad_period"),
            E::BadMonth => (unprocessable, "bad_month"),
            E::BadWeights(_) => (unprocessable, "bad_weights"),
            E::BadUsers => (unprocessable, "bad_service_users"),
            E::BadKpi => (unprocessable, "bad_kpi"),
            E::BadTarget => (unprocessable, "bad_target"),
            E::BadRegion => (unprocessable, "bad_region_code"),
            E::BadQuestion => (unprocessable, "bad_question"),
            E::TooManyQuestions { .. } => (unprocessable, "too_many_questions"),
            E::BadExtraAnswer => (unprocessable, "bad_extra_answer"),
            E::BadFollowUp(_) => (unprocessable, "bad_follow_up"),
        };
        AppError::new(status, code, e.to_string(), e.message_en())
    }
}

impl From<AppError> for PerformanceError {
    fn from(e: AppError) -> Self {
        PerformanceError::Core(e)
    }
}

impl From<sqlx::Error> for PerformanceError {
    fn from(e: sqlx::Error) -> Self {
        PerformanceError::Core(e.into())
    }
}

impl From<WeightsError> for PerformanceError {
    fn from(e: WeightsError) -> Self {
        PerformanceError::BadWeights(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_statuses() {
        let e = AppError::from(PerformanceError::CodeUsed);
        assert_eq!(
            (e.status(), e.info.code),
            (StatusCode::CONFLICT, "code_used")
        );
        let e = AppError::from(PerformanceError::CodeExpired);
        assert_eq!(
            (e.status(), e.info.code),
            (StatusCode::UNPROCESSABLE_ENTITY, "code_expired")
        );
        assert_eq!(e.info.message_en, "This survey code has expired.");
        let e = AppError::from(PerformanceError::BadWeights(WeightsError::Count));
        assert_eq!(
            e.info.message_id,
            "Bobot tidak sah: bobot harus tepat 9 angka."
        );
    }
}
