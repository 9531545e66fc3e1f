//! Every refusal of the feature, and its one mapping to [`AppError`]: the stable code, the HTTP
//! status, the Indonesian message (the `#[error]` text) and the English one
//! ([`SopError::message_en`]).

use axum::http::StatusCode;
use balai_core::AppError;

use crate::domain::adoption::PlacementError;
use crate::domain::steps::{StepError, MAX_TEXT};
use crate::domain::training::TrainingError;

#[derive(Debug, thiserror::Error)]
pub enum SopError {
    #[error("Judul SOP wajib diisi (paling panjang 200 karakter).")]
    BadTitle,
    /// `what_id` / `what_en` name the field.
    #[error("{what_id} paling panjang {MAX_TEXT} karakter.")]
    TooLong {
        what_id: &'static str,
        what_en: &'static str,
    },
    #[error(transparent)]
    Steps(#[from] StepError),
    #[error("Perubahan besar (major) wajib disertai catatan perubahan.")]
    ChangeNoteRequired,
    #[error("Catatan peninjauan wajib diisi.")]
    ReviewNoteRequired,
    #[error("Kode wilayah tidak dikenal.")]
    UnknownRegion,
    /// An SOP is written for its owning agency's own region.
    #[error("SOP dibuat untuk wilayah instansi Anda sendiri.")]
    NotOwnRegion,
    /// A super-admin named a region where no agency of the kind owns anything.
    #[error("Belum ada KPU untuk wilayah ini di Balai.")]
    NoAgency,
    #[error(transparent)]
    Placement(#[from] PlacementError),
    #[error("SOP ini belum diterbitkan: draf tidak dapat diadopsi.")]
    NotPublished,
    #[error("Wilayah ini sudah mengadopsi SOP ini.")]
    AlreadyAdopted,
    /// A new version while a draft waits.
    #[error("Versi {0} masih draf: terbitkan dulu sebelum membuat versi baru.")]
    DraftPending(u32),
    #[error("Tidak ada draf yang menunggu diterbitkan.")]
    NoDraft,
    /// Steps of an adoption come from its parent; it changes them through overrides.
    #[error("SOP adopsi mengikuti SOP induk: ubah langkahnya melalui penyesuaian (override).")]
    IsAdoption,
    #[error("SOP ini bukan adopsi dari SOP induk.")]
    NotAdoption,
    /// Accepting the parent while keeping overrides that no longer fit it.
    #[error("Penyesuaian nomor {0} tidak cocok dengan versi induk yang baru; hapus penyesuaian itu atau jangan pertahankan penyesuaian.")]
    OverrideNoLongerFits(usize),
    #[error("Versi {0} tidak ada.")]
    NoSuchVersion(u32),
    #[error("SOP ini belum berlaku pada tanggal itu.")]
    NotYetInForce,
    #[error("Tanggal harus berbentuk TTTT-BB-HH.")]
    BadDate,
    #[error(transparent)]
    Training(#[from] TrainingError),
    /// A roster is kept by a regency's or city's KPU, for its own region.
    #[error("Daftar petugas disimpan per kabupaten/kota (kode PP.KK).")]
    RosterNotRegency,
    #[error("SOP yang disebut tidak ada atau belum diterbitkan.")]
    UnknownSop,
    /// An attendance names someone who is not on the roster of the session's region.
    #[error("Petugas {0} tidak terdaftar di wilayah pelatihan ini.")]
    UnknownOfficer(String),
    #[error("Pilih tahapan yang dipersiapkan pelatihan ini.")]
    BadStage,
    /// The core's "not allowed".
    #[error("forbidden")]
    Forbidden,
    /// The core's "not found" (also for what the actor may not see).
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Core(AppError),
}

pub type SopResult<T> = Result<T, SopError>;

impl SopError {
    /// The English message (the Indonesian one is the `Display` text).
    pub fn message_en(&self) -> String {
        use SopError as E;
        match self {
            E::BadTitle => "The SOP's title is required (at most 200 characters).".into(),
            E::TooLong { what_en, .. } => format!("{what_en} is at most {MAX_TEXT} characters."),
            E::Steps(e) => e.message_en(),
            E::ChangeNoteRequired => "A major version needs a change note.".into(),
            E::ReviewNoteRequired => "A review note is required.".into(),
            E::UnknownRegion => "Unknown region code.".into(),
            E::NotOwnRegion => "An SOP is written for your own agency's region.".into(),
            E::NoAgency => "No KPU serves this region in Balai yet.".into(),
            E::Placement(p) => p.message_en().into(),
            E::NotPublished => "This SOP is not published yet: a draft cannot be adopted.".into(),
            E::AlreadyAdopted => "This region has already adopted this SOP.".into(),
            E::DraftPending(v) => {
                format!("Version {v} is still a draft: publish it before writing a new version.")
            }
            E::NoDraft => "No draft is waiting to be published.".into(),
            E::IsAdoption => "An adopted SOP follows its parent: change its steps through overrides.".into(),
            E::NotAdoption => "This SOP does not adopt a parent SOP.".into(),
            E::OverrideNoLongerFits(n) => format!(
                "Override {n} does not fit the parent's new version; remove it or drop the overrides."
            ),
            E::NoSuchVersion(v) => format!("There is no version {v}."),
            E::NotYetInForce => "This SOP was not yet in force on that day.".into(),
            E::BadDate => "Dates are YYYY-MM-DD.".into(),
            E::Training(t) => t.message_en(),
            E::RosterNotRegency => {
                "A roster is kept per regency or city (code PP.KK).".into()
            }
            E::BadStage => "Choose the stage the session prepares.".into(),
            E::UnknownSop => "The SOP named does not exist or is not published.".into(),
            E::UnknownOfficer(o) => {
                format!("Officer {o} is not on the roster of this session's region.")
            }
            E::Forbidden | E::NotFound | E::Core(_) => self.to_string(),
        }
    }
}

impl From<SopError> for AppError {
    fn from(e: SopError) -> AppError {
        use SopError as E;
        let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
        let (status, code) = match &e {
            E::Core(_) | E::Forbidden | E::NotFound => {
                return match e {
                    E::Core(inner) => inner,
                    E::Forbidden => AppError::forbidden(),
                    _ => AppError::not_found(),
                }
            }
            E::Steps(s) => (unprocessable, s.code()),
            E::Placement(p) => (unprocessable, p.code()),
            E::BadTitle => (unprocessable, "bad_title"),
            E::TooLong { .. } => (unprocessable, "too_long"),
            E::ChangeNoteRequired => (unprocessable, "change_note_required"),
            E::ReviewNoteRequired => (unprocessable, "review_note_required"),
            E::UnknownRegion => (unprocessable, "unknown_region"),
            E::NotOwnRegion => (StatusCode::FORBIDDEN, "not_own_region"),
            E::NoAgency => (unprocessable, "no_agency"),
            E::NotPublished => (unprocessable, "not_published"),
            E::AlreadyAdopted => (StatusCode::CONFLICT, "already_adopted"),
            E::DraftPending(_) => (StatusCode::CONFLICT, "draft_pending"),
            E::NoDraft => (StatusCode::CONFLICT, "no_draft"),
            E::IsAdoption => (unprocessable, "is_adoption"),
            E::NotAdoption => (unprocessable, "not_adoption"),
            E::OverrideNoLongerFits(_) => (unprocessable, "override_no_longer_fits"),
            E::NoSuchVersion(_) => (StatusCode::NOT_FOUND, "no_such_version"),
            E::NotYetInForce => (StatusCode::NOT_FOUND, "not_yet_in_force"),
            E::BadDate => (unprocessable, "bad_date"),
            E::Training(t) => (unprocessable, t.code()),
            E::RosterNotRegency => (unprocessable, "not_regency"),
            E::UnknownSop => (unprocessable, "unknown_sop"),
            E::BadStage => (unprocessable, "bad_stage"),
            E::UnknownOfficer(_) => (unprocessable, "unknown_officer"),
        };
        AppError::new(status, code, e.to_string(), e.message_en())
    }
}

impl From<AppError> for SopError {
    fn from(e: AppError) -> Self {
        SopError::Core(e)
    }
}

impl From<sqlx::Error> for SopError {
    fn from(e: sqlx::Error) -> Self {
        SopError::Core(e.into())
    }
}

impl From<anyhow::Error> for SopError {
    fn from(e: anyhow::Error) -> Self {
        SopError::Core(e.into())
    }
}

impl From<serde_json::Error> for SopError {
    fn from(e: serde_json::Error) -> Self {
        SopError::Core(anyhow::Error::from(e).into())
    }
}

impl From<balai_core::regions::BadRegionCode> for SopError {
    fn from(e: balai_core::regions::BadRegionCode) -> Self {
        SopError::Core(e.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_keep_their_codes_statuses_and_both_languages() {
        let e = AppError::from(SopError::Steps(StepError::NoSteps));
        assert_eq!(
            (e.status(), e.info.code),
            (StatusCode::UNPROCESSABLE_ENTITY, "steps_empty")
        );
        assert_eq!(e.info.message_en, "A procedure needs at least one step.");
        let e = AppError::from(SopError::Placement(PlacementError::OutsideProvince));
        assert_eq!(e.info.code, "region_outside_province");
        let e = AppError::from(SopError::NotPublished);
        assert_eq!(
            e.info.message_id,
            "SOP ini belum diterbitkan: draf tidak dapat diadopsi."
        );
        assert_eq!(AppError::from(SopError::NotFound).info.code, "not_found");
    }
}
