//! Every refusal of the feature, and its one mapping to [`AppError`]: the stable code, the HTTP
//! status, the Indonesian message (the `#[error]` text) and the English one
//! ([`InformationError::message_en`]).

use axum::http::StatusCode;
use balai_core::AppError;

#[derive(Debug, thiserror::Error)]
pub enum InformationError {
    #[error("Badan publik (PPID) tidak dikenal.")]
    UnknownAgency,
    #[error("Nama pemohon wajib diisi (paling banyak 200 karakter).")]
    BadName,
    #[error("Alamat email tidak sah.")]
    BadEmail,
    #[error("Nomor telepon hanya angka, 8–15 digit (boleh diawali +).")]
    BadPhone,
    #[error("Alamat paling banyak 500 karakter.")]
    BadAddress,
    #[error("Cantumkan paling sedikit satu kontak: email, nomor telepon atau alamat.")]
    ContactRequired,
    #[error("Rincian informasi yang diminta wajib diisi (10–5.000 karakter).")]
    BadInformation,
    #[error("Tujuan penggunaan informasi wajib diisi (paling banyak 1.000 karakter).")]
    BadPurpose,
    #[error("Cara memperoleh informasi tidak sah: email (perlu alamat email), pickup, atau post (perlu alamat).")]
    BadDelivery,
    #[error("Saluran tidak sah: counter (loket) atau email.")]
    BadChannel,
    #[error(
        "Tanggal diterima harus TTTT-BB-HH, tidak di masa depan dan paling lama 60 hari lalu."
    )]
    BadReceivedOn,
    #[error("Tindakan tidak dikenal.")]
    UnknownAction,
    #[error("Untuk penilaian, nyatakan apakah jawaban memuaskan (satisfied: true atau false).")]
    SatisfiedRequired,
    #[error("{} wajib diisi (10–10.000 karakter).", .0.label_id())]
    TextRequired(ReasonField),
    #[error("Sebutkan dasar pengecualian Pasal 17 UU 14/2008 (huruf a–j).")]
    ExemptionRequired,
    #[error("Jawaban sebagian wajib menandai bagian yang dikecualikan: [DIHITAMKAN: apa dan alasannya, mis. Pasal 17 huruf h].")]
    RedactionMarkRequired,
    #[error("Tanda [DIHITAMKAN: …] harus ditutup dengan ] dan memuat alasannya (paling sedikit 5 karakter).")]
    BadRedactionMark,
    #[error("Badan publik tujuan harus PPID lain yang terdaftar.")]
    BadTransferTarget,
    #[error("Tindakan ini tidak berlaku untuk permohonan dengan status sekarang.")]
    WrongState,
    #[error("Permohonan sudah pernah diperpanjang; perpanjangan hanya sekali (Pasal 22 ayat 8).")]
    AlreadyExtended,
    #[error("Batas waktu jawaban sudah lewat; perpanjangan harus diberikan paling lambat pada hari jatuh tempo.")]
    ExtensionAfterDueDay,
    #[error("Keberatan belum dapat diajukan: PPID masih dalam batas waktu menjawab.")]
    ObjectionTooEarly,
    #[error("Batas waktu keberatan (30 hari kerja) sudah lewat.")]
    ObjectionTooLate,
    #[error(
        "Sengketa belum dapat dicatat: Atasan PPID masih dalam batas waktu menanggapi keberatan."
    )]
    DisputeTooEarly,
    #[error("Batas waktu mengajukan sengketa ke Komisi Informasi (14 hari kerja) sudah lewat.")]
    DisputeTooLate,
    #[error("Permohonan ini baru saja diubah orang lain. Muat ulang lalu coba lagi.")]
    ChangedMeanwhile,
    #[error("Kode lacak atau kode rahasia salah.")]
    TrackingNotFound,
    #[error("Terlalu banyak percobaan kode yang salah. Tunggu beberapa menit lalu coba lagi.")]
    TooManyAttempts,
    #[error("Kata pencarian paling banyak 200 karakter.")]
    BadSearchQuery,
    #[error("Nomor halaman harus 1–500.")]
    BadPage,
    #[error(
        "Bagian yang dirahasiakan harus request (seluruh permohonan) atau answers (jawabannya)."
    )]
    BadPrivatePart,
    #[error("Bagian ini sudah dirahasiakan.")]
    AlreadyPrivate,
    #[error("Golongan informasi harus berkala, serta_merta, setiap_saat atau dikecualikan.")]
    BadCategory,
    #[error("Judul informasi wajib diisi (paling banyak 300 karakter).")]
    BadTitle,
    #[error("Ringkasan paling banyak 2.000 karakter.")]
    BadSummary,
    #[error("Dasar hukum wajib diisi (paling banyak 500 karakter).")]
    BadLegalBasis,
    #[error("Dasar pengecualian Pasal 17 hanya untuk informasi yang dikecualikan.")]
    ExemptionOnlyForExempt,
    #[error("Setiap dokumen perlu judul dan tautan atau nomor arsip (paling banyak 20 dokumen).")]
    BadDocument,
    #[error("Tanggal pemutakhiran harus TTTT-BB-HH dan tidak di masa depan.")]
    BadUpdatedOn,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// A failure of a core service (storage, audit, calendar), passed on as it is.
    #[error("{0}")]
    Core(AppError),
}

pub type InfoResult<T> = Result<T, InformationError>;

/// Which free text is missing, for the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReasonField {
    Reason,
    Answer,
    ConsequenceTest,
}

impl ReasonField {
    pub const fn label_id(self) -> &'static str {
        match self {
            ReasonField::Reason => "Alasan",
            ReasonField::Answer => "Jawaban",
            ReasonField::ConsequenceTest => "Uji konsekuensi",
        }
    }

    pub const fn label_en(self) -> &'static str {
        match self {
            ReasonField::Reason => "The reason",
            ReasonField::Answer => "The answer",
            ReasonField::ConsequenceTest => "The consequence test",
        }
    }
}

impl InformationError {
    /// The English message (the Indonesian one is the `Display` text).
    pub fn message_en(&self) -> String {
        use InformationError as E;
        match self {
            E::UnknownAgency => "Unknown public body (PPID).".into(),
            E::BadName => "The requester's name is required (at most 200 characters).".into(),
            E::BadEmail => "The email address is not valid.".into(),
            E::BadPhone => "The phone number must be 8–15 digits (may start with +).".into(),
            E::BadAddress => "The address must be at most 500 characters.".into(),
            E::ContactRequired => "Give at least one contact: email, phone or address.".into(),
            E::BadInformation => {
                "Describe the information requested (10–5,000 characters).".into()
            }
            E::BadPurpose => "The purpose of the request is required (at most 1,000 characters).".into(),
            E::BadDelivery => "Invalid delivery: email (needs an email address), pickup, or post (needs an address).".into(),
            E::BadChannel => "Invalid channel: counter or email.".into(),
            E::BadReceivedOn => "The day received must be YYYY-MM-DD, not in the future and at most 60 days ago.".into(),
            E::UnknownAction => "Unknown action.".into(),
            E::SatisfiedRequired => {
                "For a rating, say whether the answer satisfied you (satisfied: true or false)."
                    .into()
            }
            E::TextRequired(f) => format!("{} is required (10–10,000 characters).", f.label_en()),
            E::ExemptionRequired => "Name the exemption of art. 17 of Law 14/2008 (letter a–j).".into(),
            E::RedactionMarkRequired => "A partial answer marks what it withholds: [DIHITAMKAN: what and why, e.g. Pasal 17 huruf h].".into(),
            E::BadRedactionMark => "A [DIHITAMKAN: …] mark must be closed with ] and give its reason (at least 5 characters).".into(),
            E::BadTransferTarget => "The target must be another registered PPID.".into(),
            E::WrongState => "This action does not apply to the request in its current status.".into(),
            E::AlreadyExtended => "The request was extended already; the law allows one extension (art. 22(8)).".into(),
            E::ExtensionAfterDueDay => "The answer's due day has passed; an extension must be given on or before it.".into(),
            E::ObjectionTooEarly => "An objection cannot be filed yet: the PPID's time to answer has not run out.".into(),
            E::ObjectionTooLate => "The time to object (30 working days) has passed.".into(),
            E::DisputeTooEarly => "A dispute cannot be recorded yet: the PPID's superior may still answer the objection.".into(),
            E::DisputeTooLate => "The time to take the dispute to the Information Commission (14 working days) has passed.".into(),
            E::ChangedMeanwhile => "This request was just changed by someone else. Reload and try again.".into(),
            E::TrackingNotFound => "Wrong tracking code or secret.".into(),
            E::TooManyAttempts => "Too many wrong attempts. Wait a few minutes and try again.".into(),
            E::BadSearchQuery => "The search text must be at most 200 characters.".into(),
            E::BadPage => "The page number must be 1–500.".into(),
            E::BadPrivatePart => "The part kept private must be request (the whole request) or answers.".into(),
            E::AlreadyPrivate => "This part is private already.".into(),
            E::BadCategory => "The class must be berkala, serta_merta, setiap_saat or dikecualikan.".into(),
            E::BadTitle => "The title is required (at most 300 characters).".into(),
            E::BadSummary => "The summary must be at most 2,000 characters.".into(),
            E::BadLegalBasis => "The legal basis is required (at most 500 characters).".into(),
            E::ExemptionOnlyForExempt => "An art. 17 ground is only for exempt information.".into(),
            E::BadDocument => "Each document needs a title and a link or archive reference (at most 20 documents).".into(),
            E::BadUpdatedOn => "The day last updated must be YYYY-MM-DD, not in the future.".into(),
            E::Forbidden | E::NotFound | E::Core(_) => self.to_string(),
        }
    }

    fn code(&self) -> (StatusCode, &'static str) {
        use InformationError as E;
        let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
        match self {
            E::UnknownAgency => (unprocessable, "unknown_agency"),
            E::BadName => (unprocessable, "bad_name"),
            E::BadEmail => (unprocessable, "bad_email"),
            E::BadPhone => (unprocessable, "bad_phone"),
            E::BadAddress => (unprocessable, "bad_address"),
            E::ContactRequired => (unprocessable, "contact_required"),
            E::BadInformation => (unprocessable, "bad_information"),
            E::BadPurpose => (unprocessable, "bad_purpose"),
            E::BadDelivery => (unprocessable, "bad_delivery"),
            E::BadChannel => (unprocessable, "bad_channel"),
            E::BadReceivedOn => (unprocessable, "bad_received_on"),
            E::UnknownAction => (unprocessable, "unknown_action"),
            E::SatisfiedRequired => (unprocessable, "satisfied_required"),
            E::TextRequired(_) => (unprocessable, "text_required"),
            E::ExemptionRequired => (unprocessable, "exemption_required"),
            E::RedactionMarkRequired => (unprocessable, "redaction_mark_required"),
            E::BadRedactionMark => (unprocessable, "bad_redaction_mark"),
            E::BadTransferTarget => (unprocessable, "bad_transfer_target"),
            E::WrongState => (StatusCode::CONFLICT, "wrong_state"),
            E::AlreadyExtended => (unprocessable, "already_extended"),
            E::ExtensionAfterDueDay => (unprocessable, "extension_after_due_day"),
            E::ObjectionTooEarly => (unprocessable, "objection_too_early"),
            E::ObjectionTooLate => (unprocessable, "objection_too_late"),
            E::DisputeTooEarly => (unprocessable, "dispute_too_early"),
            E::DisputeTooLate => (unprocessable, "dispute_too_late"),
            E::ChangedMeanwhile => (StatusCode::CONFLICT, "changed_meanwhile"),
            E::TrackingNotFound => (StatusCode::NOT_FOUND, "tracking_not_found"),
            E::TooManyAttempts => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            E::BadSearchQuery => (unprocessable, "bad_search_query"),
            E::BadPage => (unprocessable, "bad_page"),
            E::BadPrivatePart => (unprocessable, "bad_private_part"),
            E::AlreadyPrivate => (StatusCode::CONFLICT, "already_private"),
            E::BadCategory => (unprocessable, "bad_category"),
            E::BadTitle => (unprocessable, "bad_title"),
            E::BadSummary => (unprocessable, "bad_summary"),
            E::BadLegalBasis => (unprocessable, "bad_legal_basis"),
            E::ExemptionOnlyForExempt => (unprocessable, "exemption_only_for_exempt"),
            E::BadDocument => (unprocessable, "bad_document"),
            E::BadUpdatedOn => (unprocessable, "bad_updated_on"),
            E::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
            E::NotFound | E::Core(_) => (StatusCode::NOT_FOUND, "not_found"),
        }
    }
}

impl From<InformationError> for AppError {
    fn from(e: InformationError) -> AppError {
        match e {
            InformationError::Core(inner) => inner,
            InformationError::Forbidden => AppError::forbidden(),
            InformationError::NotFound => AppError::not_found(),
            other => {
                let (status, code) = other.code();
                AppError::new(status, code, other.to_string(), other.message_en())
            }
        }
    }
}

impl From<AppError> for InformationError {
    fn from(e: AppError) -> Self {
        InformationError::Core(e)
    }
}

impl From<sqlx::Error> for InformationError {
    fn from(e: sqlx::Error) -> Self {
        InformationError::Core(e.into())
    }
}

impl From<anyhow::Error> for InformationError {
    fn from(e: anyhow::Error) -> Self {
        InformationError::Core(e.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_keep_their_codes_statuses_and_messages() {
        let e = AppError::from(InformationError::TextRequired(ReasonField::ConsequenceTest));
        assert_eq!(e.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e.info.code, "text_required");
        assert_eq!(
            e.info.message_id,
            "Uji konsekuensi wajib diisi (10–10.000 karakter)."
        );
        assert_eq!(
            e.info.message_en,
            "The consequence test is required (10–10,000 characters)."
        );
        let e = AppError::from(InformationError::AlreadyExtended);
        assert_eq!(e.info.code, "already_extended");
        assert_eq!(
            AppError::from(InformationError::NotFound).info.code,
            "not_found"
        );
        assert_eq!(
            AppError::from(InformationError::WrongState).status(),
            StatusCode::CONFLICT
        );
    }
}
