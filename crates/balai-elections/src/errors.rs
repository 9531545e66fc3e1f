//! Why the elections feature refuses a request, as types, and the one place that turns each
//! refusal into its HTTP answer: status, stable `code`, the Indonesian and English message and
//! the JSON `details` API clients read.

use axum::http::StatusCode;
use balai_core::i18n::Lang;
use balai_core::AppError;
use serde_json::json;

use crate::domain::checks::Finding;
use crate::domain::election::{Kind, MAX_BALLOT};
use crate::domain::entry::{EntryRefusal, MAX_BATCH};
use crate::domain::form::FieldError;

/// Why a result form is refused. A refused form changes nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubmitRefusal {
    /// The reason is over 500 characters or the PSU reference over 200.
    TooLong,
    /// The PSU reference does not look like a decision's (see `domain::entry::psu_ref_valid`).
    BadPsuRef,
    ElectionClosed,
    /// No TPS of this election has that id, or that village and number.
    UnknownTps,
    /// The TPS lies inside a region whose plenary recapitulation is recorded: only a re-vote
    /// changes it.
    Recapitulated {
        region: String,
    },
    NoCandidates,
    /// Fields that could not be read.
    InvalidForm(Vec<FieldError>),
    /// Hard rules 1–7 fail and the operator did not confirm the paper form says so.
    Inconsistent {
        errors: Vec<Finding>,
        warnings: Vec<Finding>,
    },
    /// The operator already submitted exactly this entry.
    DuplicateEntry {
        version: i64,
    },
    /// A correction of one's own entry needs a reason.
    ReasonRequired,
}

impl SubmitRefusal {
    /// 409 for a state of the election or TPS, 422 for the form itself.
    pub fn status(&self) -> StatusCode {
        match self {
            SubmitRefusal::ElectionClosed
            | SubmitRefusal::Recapitulated { .. }
            | SubmitRefusal::DuplicateEntry { .. } => StatusCode::CONFLICT,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    /// What the entry form lists: each unreadable field or broken rule, else the message.
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        let pick = |id: &str, en: &str| lang.tr(id, en).to_string();
        match self {
            SubmitRefusal::InvalidForm(fields) if !fields.is_empty() => fields
                .iter()
                .map(|f| pick(&f.message_id, &f.message_en))
                .collect(),
            SubmitRefusal::Inconsistent { errors, .. } if !errors.is_empty() => errors
                .iter()
                .map(|f| pick(&f.message_id, &f.message_en))
                .collect(),
            other => {
                let e = AppError::from(other.clone());
                vec![e.info.message(lang).to_string()]
            }
        }
    }
}

impl From<EntryRefusal> for SubmitRefusal {
    fn from(r: EntryRefusal) -> Self {
        match r {
            EntryRefusal::Duplicate { version } => SubmitRefusal::DuplicateEntry { version },
            EntryRefusal::ReasonRequired => SubmitRefusal::ReasonRequired,
        }
    }
}

/// Messages of several findings or field errors joined by spaces, in one language.
fn joined<'a>(messages: impl Iterator<Item = (&'a str, &'a str)>, en: bool) -> String {
    messages
        .map(|(id, e)| if en { e } else { id })
        .collect::<Vec<_>>()
        .join(" ")
}

impl From<SubmitRefusal> for AppError {
    fn from(r: SubmitRefusal) -> Self {
        match r {
            SubmitRefusal::TooLong => AppError::unprocessable(
                "too_long",
                "Alasan paling banyak 500 karakter, rujukan keputusan PSU 200 karakter.",
                "The reason may have at most 500 characters, the PSU reference 200.",
            ),
            SubmitRefusal::BadPsuRef => AppError::unprocessable(
                "bad_psu_ref",
                "Rujukan PSU harus nomor keputusan yang memerintahkan pemungutan suara ulang (8–200 karakter, dengan nomor), mis. \"Keputusan KPU Kota Banjar No. 12/2024\".",
                "The PSU reference must be the number of the decision ordering the re-vote (8–200 characters, with a number), e.g. \"Keputusan KPU Kota Banjar No. 12/2024\".",
            ),
            SubmitRefusal::ElectionClosed => AppError::conflict(
                "election_closed",
                "Pemilihan ini sudah ditutup; hasil tidak dapat dimasukkan lagi.",
                "This election is closed; results can no longer be entered.",
            ),
            SubmitRefusal::UnknownTps => AppError::unprocessable(
                "unknown_tps",
                "TPS tidak ditemukan pada pemilihan ini. Sebutkan tps_id, atau village_code dan tps_number.",
                "No such TPS in this election. Give tps_id, or village_code and tps_number.",
            ),
            SubmitRefusal::Recapitulated { region } => AppError::conflict(
                "recapitulated",
                format!("Rekapitulasi {region} sudah ditetapkan; hasil TPS di dalamnya, termasuk PSU, hanya dapat berubah setelah admin KPU membuka kembali rekapitulasi itu dengan alasan."),
                format!("The recapitulation of {region} is recorded; results inside it, a re-vote's (PSU) too, change only after a KPU admin reopens that recapitulation with a reason."),
            ),
            SubmitRefusal::NoCandidates => AppError::unprocessable(
                "no_candidates",
                "Pemilihan ini belum memiliki paslon.",
                "This election has no candidate pairs yet.",
            ),
            SubmitRefusal::InvalidForm(errs) => {
                let pairs = || errs.iter().map(|e| (e.message_id.as_str(), e.message_en.as_str()));
                let (id, en) = (joined(pairs(), false), joined(pairs(), true));
                AppError::unprocessable("invalid_form", id, en)
                    .with_details(json!({ "fields": errs }))
            }
            SubmitRefusal::Inconsistent { errors, warnings } => {
                let pairs = || {
                    errors
                        .iter()
                        .map(|e| (e.message_id.as_str(), e.message_en.as_str()))
                };
                let (id, en) = (joined(pairs(), false), joined(pairs(), true));
                AppError::unprocessable(
                    "form_inconsistent",
                    format!("Formulir tidak konsisten ({} pelanggaran). {id} Jika formulir kertasnya memang demikian, kirim ulang dengan confirm_paper = true.", errors.len()),
                    format!("The form is inconsistent ({} problems). {en} If the paper form itself says so, resubmit with confirm_paper = true.", errors.len()),
                )
                .with_details(json!({ "errors": errors, "warnings": warnings }))
            }
            SubmitRefusal::DuplicateEntry { version } => AppError::conflict(
                "duplicate_entry",
                format!("Entri yang sama persis sudah Anda kirim (versi {version})."),
                format!("You already submitted exactly this entry (version {version})."),
            ),
            SubmitRefusal::ReasonRequired => AppError::unprocessable(
                "reason_required",
                "Perbaikan atas entri Anda sendiri wajib disertai alasan (reason).",
                "A correction of your own entry needs a reason.",
            ),
        }
    }
}

/// Why a submission failed: a refusal of the form itself, or anything else (not allowed, not
/// found, the database).
#[derive(Debug)]
pub enum SubmitError {
    Refused(SubmitRefusal),
    Other(AppError),
}

impl From<SubmitRefusal> for SubmitError {
    fn from(r: SubmitRefusal) -> Self {
        SubmitError::Refused(r)
    }
}

impl From<AppError> for SubmitError {
    fn from(e: AppError) -> Self {
        SubmitError::Other(e)
    }
}

impl From<sqlx::Error> for SubmitError {
    fn from(e: sqlx::Error) -> Self {
        SubmitError::Other(AppError::from(e))
    }
}

impl From<SubmitError> for AppError {
    fn from(e: SubmitError) -> Self {
        match e {
            SubmitError::Refused(r) => AppError::from(r),
            SubmitError::Other(e) => e,
        }
    }
}

/// Why the feature refuses anything else: setting an election up, a photo, a recapitulation,
/// a batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    BadKind,
    KindRegionMismatch {
        kind: Kind,
        region: String,
    },
    BadName,
    BadDate,
    /// A well-formed region code missing from the region table.
    UnknownRegion(String),
    BadStatus,
    BadCandidate,
    BallotNumberTaken(u32),
    BadCandidateStatus,
    TpsExists {
        village: String,
        number: u32,
    },
    BadPhoto,
    /// A photo for a closed election.
    PhotoElectionClosed,
    DuplicatePhoto,
    BadRecap,
    /// A recapitulation of a region where no TPS result has been entered.
    RecapWithoutResults(String),
    RecapExists(String),
    /// No recorded recapitulation of this region to reopen.
    NoRecap(String),
    BadReopenReason,
    BadBatch,
    /// Several problems (of a CSV, a schedule, TPS rows), each in both languages; 422 with
    /// `details.problems`.
    Lines {
        code: &'static str,
        problems: Vec<(String, String)>,
    },
}

impl From<Refusal> for AppError {
    fn from(r: Refusal) -> Self {
        use Refusal as R;
        match r {
            R::BadKind => AppError::unprocessable(
                "bad_kind",
                "Jenis pemilihan harus gubernur, bupati atau walikota.",
                "The kind must be gubernur, bupati or walikota.",
            ),
            R::KindRegionMismatch { kind, region } => AppError::unprocessable(
                "kind_region_mismatch",
                format!("Pemilihan {} tidak cocok dengan wilayah {}: gubernur untuk provinsi, bupati untuk kabupaten (KK 01–69), walikota untuk kota (KK 71–99).", kind.as_str(), region),
                format!("A {} election does not fit region {}: gubernur is for a province, bupati for a kabupaten (KK 01–69), walikota for a kota (KK 71–99).", kind.as_str(), region),
            ),
            R::BadName => AppError::unprocessable(
                "bad_name",
                "Nama pemilihan wajib diisi (maks. 200 karakter).",
                "A name is required (at most 200 characters).",
            ),
            R::BadDate => AppError::unprocessable(
                "bad_date",
                "Tanggal harus berbentuk TTTT-BB-HH.",
                "The date must be YYYY-MM-DD.",
            ),
            R::UnknownRegion(code) => AppError::unprocessable(
                "unknown_region",
                format!("Wilayah {code} tidak dikenal."),
                format!("Unknown region {code}."),
            ),
            R::BadStatus => AppError::unprocessable(
                "bad_status",
                "Status harus open atau closed.",
                "The status must be open or closed.",
            ),
            R::BadCandidate => AppError::unprocessable(
                "bad_candidate",
                format!("Nomor urut (1 sampai {MAX_BALLOT}), nama calon dan wakil wajib diisi; paslon perseorangan tanpa partai, paslon partai dengan paling sedikit satu partai."),
                format!("A ballot number (1 to {MAX_BALLOT}) and both names are required; an independent pair has no parties, a party pair at least one."),
            ),
            R::BallotNumberTaken(n) => AppError::conflict(
                "ballot_number_taken",
                format!("Nomor urut {n} sudah dipakai."),
                format!("Ballot number {n} is already taken."),
            ),
            R::BadCandidateStatus => AppError::unprocessable(
                "bad_candidate_status",
                "Status harus registered, designated atau disqualified (dengan alasan).",
                "The status must be registered, designated or disqualified (with a reason).",
            ),
            R::TpsExists { village, number } => AppError::conflict(
                "tps_exists",
                format!("TPS {village} nomor {number} sudah ada."),
                format!("TPS {village} number {number} already exists."),
            ),
            R::BadPhoto => AppError::unprocessable(
                "bad_photo",
                "Foto harus berupa JPEG, PNG atau WebP (maks. 8 MB) dengan Content-Type yang sesuai.",
                "The photo must be a JPEG, PNG or WebP (at most 8 MB) with a matching Content-Type.",
            ),
            R::PhotoElectionClosed => AppError::conflict(
                "election_closed",
                "Pemilihan ini sudah ditutup.",
                "This election is closed.",
            ),
            R::DuplicatePhoto => AppError::conflict(
                "duplicate_photo",
                "Foto ini sudah diunggah untuk TPS ini.",
                "This photo was already uploaded for this TPS.",
            ),
            R::BadRecap => AppError::unprocessable(
                "bad_recap",
                "Wilayah harus di dalam wilayah pemilihan dan nomor berita acara wajib diisi: 3–100 karakter, huruf, angka, spasi dan / - . _ : ( ) , dengan sedikitnya satu angka.",
                "The region must be inside the election's region and a document reference is required: 3–100 characters, letters, digits, spaces and / - . _ : ( ) , with at least one digit.",
            ),
            R::RecapWithoutResults(code) => AppError::unprocessable(
                "recap_without_results",
                format!("Belum ada hasil TPS yang dimasukkan di {code}; rekapitulasi belum dapat dicatat."),
                format!("No TPS result has been entered in {code}; the recapitulation cannot be recorded yet."),
            ),
            R::RecapExists(code) => AppError::conflict(
                "recap_exists",
                format!("Rekapitulasi {code} sudah dicatat."),
                format!("The recapitulation of {code} is already recorded."),
            ),
            R::NoRecap(code) => AppError::conflict(
                "no_recap",
                format!("Rekapitulasi {code} belum dicatat, jadi tidak dapat dibuka kembali."),
                format!("No recapitulation of {code} is recorded, so none can be reopened."),
            ),
            R::BadReopenReason => AppError::unprocessable(
                "bad_reason",
                "Alasan membuka kembali rekapitulasi wajib diisi (maks. 1.000 karakter).",
                "A reason for reopening the recapitulation is required (at most 1,000 characters).",
            ),
            R::BadBatch => AppError::unprocessable(
                "bad_batch",
                format!("Satu kiriman berisi 1 sampai {MAX_BATCH} formulir."),
                format!("A batch holds 1 to {MAX_BATCH} forms."),
            ),
            R::Lines { code, problems } => lines(code, &problems),
        }
    }
}

/// A 422 listing several problems, each in both languages.
fn lines(code: &'static str, problems: &[(String, String)]) -> AppError {
    let pairs = || problems.iter().map(|(i, e)| (i.as_str(), e.as_str()));
    let (id, en) = (joined(pairs(), false), joined(pairs(), true));
    AppError::unprocessable(code, id, en).with_details(json!({
        "problems": problems.iter().map(|(i, e)| json!({"message_id": i, "message_en": e})).collect::<Vec<_>>()
    }))
}
