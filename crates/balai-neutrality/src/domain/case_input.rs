//! A case's opening and a step's decision as they arrive (form or JSON): parse, don't
//! validate. The raw fields become a [`NewCase`] or a [`StepDecision`], or an [`Invalid`]
//! naming the field, in both languages.

use balai_core::regions::{Level, RegionCode};
use time::Date;

use super::appointment::{parse_date, Nip};
use super::case::{Decision, Origin, Stage};
use super::vocabulary::{ForbiddenAct, Sanction};

pub const NAME_MAX: usize = 200;
pub const POSITION_MAX: usize = 300;
pub const TEXT_MAX: usize = 4000;
pub const REFERENCE_MAX: usize = 200;
pub const DOCUMENT_MAX: usize = 300;
pub const DOCUMENTS_MAX: usize = 20;

/// The opening of a case, as sent.
#[derive(Clone, Debug, Default)]
pub struct CaseDraft {
    pub region_code: String,
    /// `None`: derived from the complaint or the opening agency.
    pub origin: Option<String>,
    pub complaint_id: Option<i64>,
    pub official_name: String,
    pub nip: String,
    pub official_position: String,
    pub allegation: String,
}

/// An openable case (the origin may still be derived from the opening agency).
#[derive(Clone, Debug)]
pub struct NewCase {
    pub region: RegionCode,
    pub origin: Option<Origin>,
    pub complaint_id: Option<i64>,
    pub official_name: String,
    pub nip: Option<Nip>,
    pub official_position: String,
    pub allegation: String,
}

/// A step's decision, as sent (`None`: not given; a form's empty field is `None`).
#[derive(Clone, Debug, Default)]
pub struct StepDraft {
    pub step: String,
    pub decision: String,
    pub forbidden_act: Option<String>,
    pub sanction: Option<String>,
    pub reference: Option<String>,
    pub note: String,
    pub documents: Vec<String>,
    /// `None`: today.
    pub decided_on: Option<String>,
}

/// A form field: `None` when left empty.
pub fn given(s: &str) -> Option<String> {
    (!s.trim().is_empty()).then(|| s.to_string())
}

/// A checked decision of one step.
#[derive(Clone, Debug)]
pub struct StepDecision {
    pub step: Stage,
    pub decision: Decision,
    pub reference: Option<String>,
    pub note: String,
    pub documents: Vec<String>,
    pub decided_on: Date,
}

/// Why an opening or a decision cannot be recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invalid {
    BadRegion,
    BadOrigin,
    /// A case of origin `complaint` names no complaint, or one of another origin names one.
    ComplaintMismatch,
    BadName,
    BadNip,
    BadPosition,
    BadAllegation,
    BadStep,
    BadDecision,
    BadAct,
    BadSanction,
    BadReference,
    BadNote,
    BadDocuments,
    BadDate,
    DateInFuture,
}

impl Invalid {
    pub const fn code(self) -> &'static str {
        match self {
            Invalid::BadRegion => "bad_region",
            Invalid::BadOrigin => "bad_origin",
            Invalid::ComplaintMismatch => "complaint_mismatch",
            Invalid::BadName => "bad_name",
            Invalid::BadNip => "bad_nip",
            Invalid::BadPosition => "empty_position",
            Invalid::BadAllegation => "bad_allegation",
            Invalid::BadStep => "bad_step",
            Invalid::BadDecision => "bad_decision",
            Invalid::BadAct => "bad_forbidden_act",
            Invalid::BadSanction => "bad_sanction",
            Invalid::BadReference => "bad_reference",
            Invalid::BadNote => "bad_note",
            Invalid::BadDocuments => "bad_documents",
            Invalid::BadDate => "bad_date",
            Invalid::DateInFuture => "date_in_future",
        }
    }

    /// (Bahasa Indonesia, English)
    pub const fn messages(self) -> (&'static str, &'static str) {
        match self {
            Invalid::BadRegion => (
                "Daerah pejabat harus provinsi, kabupaten atau kota (kode PP atau PP.KK).",
                "The official's region must be a province, regency or city (code PP or PP.KK).",
            ),
            Invalid::BadOrigin => (
                "Asal kasus harus complaint, bawaslu_finding atau bkn_entry.",
                "The origin must be complaint, bawaslu_finding or bkn_entry.",
            ),
            Invalid::ComplaintMismatch => (
                "Kasus dari pengaduan harus menyebut nomor pengaduannya, dan hanya kasus dari pengaduan yang menyebutnya.",
                "A case from a complaint names the complaint's number, and only such a case does.",
            ),
            Invalid::BadName => (
                "Nama pejabat wajib diisi (paling banyak 200 karakter).",
                "The official's name is required (at most 200 characters).",
            ),
            Invalid::BadNip => (
                "NIP harus 18 angka dengan tanggal lahir, bulan pengangkatan dan kode jenis kelamin yang sah.",
                "The NIP must be 18 digits with a valid birth date, appointment month and sex digit.",
            ),
            Invalid::BadPosition => (
                "Jabatan pejabat wajib diisi (paling banyak 300 karakter).",
                "The official's position is required (at most 300 characters).",
            ),
            Invalid::BadAllegation => (
                "Uraian dugaan pelanggaran wajib diisi (paling banyak 4000 karakter).",
                "The alleged violation must be described (at most 4000 characters).",
            ),
            Invalid::BadStep => (
                "Tahap tidak dikenal.",
                "Unknown step.",
            ),
            Invalid::BadDecision => (
                "Keputusan tidak dikenal.",
                "Unknown decision.",
            ),
            Invalid::BadAct => (
                "Bentuk pelanggaran harus salah satu dari daftar SKB netralitas ASN 2022.",
                "The forbidden act must be one of the 2022 joint decree's list.",
            ),
            Invalid::BadSanction => (
                "Sanksi harus salah satu dari: pernyataan tertutup, pernyataan terbuka, disiplin sedang, disiplin berat.",
                "The sanction must be a closed or open moral statement, or a medium or severe discipline sentence.",
            ),
            Invalid::BadReference => (
                "Nomor surat atau keputusan paling banyak 200 karakter.",
                "The letter or decree number may have at most 200 characters.",
            ),
            Invalid::BadNote => (
                "Uraian hasil wajib diisi (paling banyak 4000 karakter).",
                "The result must be described (at most 4000 characters).",
            ),
            Invalid::BadDocuments => (
                "Paling banyak 20 dokumen, masing-masing 1–300 karakter.",
                "At most 20 documents, each 1–300 characters.",
            ),
            Invalid::BadDate => (
                "Tanggal keputusan harus berupa tanggal TTTT-BB-HH.",
                "The decision date must be a date YYYY-MM-DD.",
            ),
            Invalid::DateInFuture => (
                "Tanggal keputusan tidak boleh setelah hari ini atau sebelum tahap dimulai.",
                "The decision date cannot be after today or before the step started.",
            ),
        }
    }
}

/// Not blank, and at most `max` characters as sent (the limit the API document states).
fn text(s: &str, max: usize) -> Option<String> {
    let t = s.trim();
    (!t.is_empty() && s.chars().count() <= max).then(|| t.to_string())
}

/// Check an opening; the first problem wins.
pub fn validate_case(d: &CaseDraft) -> Result<NewCase, Invalid> {
    let region = RegionCode::parse(d.region_code.trim())
        .ok()
        .filter(|r| matches!(r.level(), Level::Province | Level::Regency))
        .ok_or(Invalid::BadRegion)?;
    let origin = match &d.origin {
        None => None,
        Some(o) => Some(Origin::parse(o).ok_or(Invalid::BadOrigin)?),
    };
    if (origin == Some(Origin::Complaint)) != d.complaint_id.is_some() && origin.is_some() {
        return Err(Invalid::ComplaintMismatch);
    }
    let official_name = text(&d.official_name, NAME_MAX).ok_or(Invalid::BadName)?;
    let nip = match d.nip.trim() {
        "" => None,
        n => Some(Nip::parse(n).ok_or(Invalid::BadNip)?),
    };
    Ok(NewCase {
        region,
        origin,
        complaint_id: d.complaint_id,
        official_name,
        nip,
        official_position: text(&d.official_position, POSITION_MAX).ok_or(Invalid::BadPosition)?,
        allegation: text(&d.allegation, TEXT_MAX).ok_or(Invalid::BadAllegation)?,
    })
}

/// Check a decision against `today` (the decision date defaults to it); the first problem wins.
/// Whether it fits the case's current stage is [`super::case::next`]'s to say.
pub fn validate_step(d: &StepDraft, today: Date) -> Result<StepDecision, Invalid> {
    let step = Stage::parse(&d.step)
        .filter(|s| *s != Stage::Closed)
        .ok_or(Invalid::BadStep)?;
    let act = match &d.forbidden_act {
        None => None,
        Some(a) => Some(ForbiddenAct::parse(a).ok_or(Invalid::BadAct)?),
    };
    let sanction = match &d.sanction {
        None => None,
        Some(s) => Some(Sanction::parse(s).ok_or(Invalid::BadSanction)?),
    };
    let decision = match d.decision.trim() {
        "violation" => Decision::Violation { act, sanction },
        "no_violation" => Decision::NoViolation,
        "sanction" => Decision::Sanctioned(sanction.ok_or(Invalid::BadSanction)?),
        "complied" => Decision::Complied,
        "not_complied" => Decision::NotComplied,
        _ => return Err(Invalid::BadDecision),
    };
    let reference = match &d.reference {
        Some(r) if r.chars().count() > REFERENCE_MAX => return Err(Invalid::BadReference),
        Some(r) => Some(r.trim().to_string()).filter(|r| !r.is_empty()),
        None => None,
    };
    let note = text(&d.note, TEXT_MAX).ok_or(Invalid::BadNote)?;
    if d.documents.len() > DOCUMENTS_MAX {
        return Err(Invalid::BadDocuments);
    }
    let documents: Vec<String> = d
        .documents
        .iter()
        .filter(|x| !x.trim().is_empty())
        .map(|x| text(x, DOCUMENT_MAX).ok_or(Invalid::BadDocuments))
        .collect::<Result<_, _>>()?;
    let decided_on = match &d.decided_on {
        None => today,
        Some(s) => parse_date(s).ok_or(Invalid::BadDate)?,
    };
    if decided_on > today {
        return Err(Invalid::DateInFuture);
    }
    Ok(StepDecision {
        step,
        decision,
        reference,
        note,
        documents,
        decided_on,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn case() -> CaseDraft {
        CaseDraft {
            region_code: "32.79".into(),
            official_name: "Hendra".into(),
            official_position: "Camat".into(),
            allegation: "Unggahan dukungan".into(),
            ..CaseDraft::default()
        }
    }

    #[test]
    fn an_opening_names_its_field() {
        assert!(validate_case(&case()).is_ok());
        let bad = |f: fn(&mut CaseDraft)| {
            let mut d = case();
            f(&mut d);
            validate_case(&d).unwrap_err()
        };
        assert_eq!(
            bad(|d| d.region_code = "32.79.01".into()),
            Invalid::BadRegion
        );
        assert_eq!(bad(|d| d.official_name = "  ".into()), Invalid::BadName);
        assert_eq!(bad(|d| d.nip = "123".into()), Invalid::BadNip);
        assert_eq!(
            bad(|d| d.official_position = String::new()),
            Invalid::BadPosition
        );
        assert_eq!(bad(|d| d.origin = Some("rumor".into())), Invalid::BadOrigin);
        assert_eq!(
            bad(|d| d.origin = Some("complaint".into())),
            Invalid::ComplaintMismatch
        );
    }

    #[test]
    fn a_decision_names_its_field() {
        let today = date!(2024 - 10 - 10);
        let step = |decision: &str, sanction: &str, on: &str| StepDraft {
            step: "sanction".into(),
            decision: decision.into(),
            sanction: given(sanction),
            note: "SK".into(),
            decided_on: given(on),
            ..StepDraft::default()
        };
        let ok = validate_step(&step("sanction", "discipline_medium", ""), today).unwrap();
        assert_eq!(ok.decided_on, today);
        assert_eq!(
            validate_step(&step("sanction", "", ""), today).unwrap_err(),
            Invalid::BadSanction
        );
        assert_eq!(
            validate_step(&step("maybe", "", ""), today).unwrap_err(),
            Invalid::BadDecision
        );
        assert_eq!(
            validate_step(&step("sanction", "discipline_medium", "2024-10-11"), today).unwrap_err(),
            Invalid::DateInFuture
        );
    }
}
