//! What an application carries in: tracking codes, the applicant's fields and uploaded files,
//! each checked before anything is stored.

use balai_core::regions::{Level, RegionCode};
use time::Date;

use super::nik::Sex;
use super::service::{is_late, EventKind, Requirement};
use crate::errors::{CivilRegistryError, CrResult};

/// Codes and secrets: the alphabet, generation, normalising and comparing are shared with the
/// complaints' reporter credentials (`balai_core::secret`).
pub use balai_core::secret::{code_valid, normalise_code, random_code, same_secret, ALPHABET};

pub const TRACKING_LEN: usize = 10;
pub const SECRET_LEN: usize = 8;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Jpeg,
    Png,
}

impl FileKind {
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
        }
    }
}

/// What a file really is, by its first bytes (the browser's declared type is not trusted).
pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
    if bytes.starts_with(b"%PDF-") {
        Some(FileKind::Pdf)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileKind::Jpeg)
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(FileKind::Png)
    } else {
        None
    }
}

/// Keep a file name printable and short; it is only ever shown, never used as a path.
pub fn clean_filename(s: &str) -> String {
    let base = s.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(120)
        .collect();
    if cleaned.trim().is_empty() {
        "dokumen".into()
    } else {
        cleaned
    }
}

/// A day written `YYYY-MM-DD`; `what_id` / `what_en` name the field in the refusal.
pub fn parse_date(s: &str, what_id: &'static str, what_en: &'static str) -> CrResult<Date> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s.trim(), &fmt).map_err(|_| CivilRegistryError::BadDate { what_id, what_en })
}

/// The applicant's name: required, at most 200 characters.
pub fn check_name(s: &str) -> CrResult<String> {
    let name = s.trim().to_string();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(CivilRegistryError::BadName);
    }
    Ok(name)
}

pub fn parse_sex(s: &str) -> CrResult<Sex> {
    Sex::parse(s.trim()).ok_or(CivilRegistryError::BadSex)
}

/// A kelurahan/desa by its full code (PP.KK.CC.NNNN); anything else is no village.
pub fn village_code(s: &str) -> Option<RegionCode> {
    RegionCode::parse(s.trim())
        .ok()
        .filter(|r| r.level() == Level::Village)
}

fn optional(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// An optional phone number: 8–15 digits, may start with +.
pub fn check_phone(s: &str) -> CrResult<Option<String>> {
    let phone = optional(s);
    if let Some(p) = &phone {
        let digits = p.trim_start_matches('+');
        if !(8..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CivilRegistryError::BadPhone);
        }
    }
    Ok(phone)
}

/// An optional email address (a light check: one `@`-address of at most 200 characters).
pub fn check_email(s: &str) -> CrResult<Option<String>> {
    let email = optional(s);
    if let Some(e) = &email {
        if e.len() > 200 || !e.contains('@') || e.contains(char::is_whitespace) {
            return Err(CivilRegistryError::BadEmail);
        }
    }
    Ok(email)
}

/// The day of a birth or death (not in the future) and whether its registration is late
/// (more than `late_after_days` calendar days later, if the service sets a limit).
pub fn event_date(
    kind: EventKind,
    input: &str,
    today: Date,
    late_after_days: Option<i64>,
) -> CrResult<(Date, bool)> {
    let (what_id, what_en) = match kind {
        EventKind::Birth => ("Tanggal kelahiran", "Date of birth"),
        EventKind::Death => ("Tanggal kematian", "Date of death"),
    };
    let d = parse_date(input, what_id, what_en)?;
    if d > today {
        return Err(CivilRegistryError::EventInFuture { what_id, what_en });
    }
    Ok((d, late_after_days.is_some_and(|n| is_late(d, today, n))))
}

/// One uploaded file, keyed by the checklist item it answers.
#[derive(Clone, Debug)]
pub struct Upload {
    pub key: String,
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// A checked upload: checklist key, cleaned file name, real type, bytes.
pub type CheckedFile = (String, String, FileKind, Vec<u8>);

/// Check one upload against the checklist: known item, not too large, a real PDF/JPEG/PNG.
fn check_upload(checklist: &[Requirement], u: &Upload, max_bytes: usize) -> CrResult<CheckedFile> {
    let Some(req) = checklist.iter().find(|r| r.key == u.key && r.upload) else {
        return Err(CivilRegistryError::UnknownDocument { key: u.key.clone() });
    };
    if u.bytes.len() > max_bytes {
        return Err(CivilRegistryError::UploadTooLarge {
            label_id: req.label_id.clone(),
            label_en: req.label_en.clone(),
            kb: u.bytes.len() / 1024,
            max_kb: max_bytes / 1024,
        });
    }
    let Some(kind) = sniff(&u.bytes) else {
        return Err(CivilRegistryError::NotPdfJpegPng {
            label_id: req.label_id.clone(),
            label_en: req.label_en.clone(),
        });
    };
    Ok((
        u.key.clone(),
        clean_filename(&u.filename),
        kind,
        u.bytes.clone(),
    ))
}

/// Check uploaded files (empty ones are skipped) against the service's checklist. With
/// `require_all`, every required upload must be present.
pub fn check_uploads(
    checklist: &[Requirement],
    uploads: &[Upload],
    max_bytes: usize,
    require_all: bool,
) -> CrResult<Vec<CheckedFile>> {
    let out = uploads
        .iter()
        .filter(|u| !u.bytes.is_empty())
        .map(|u| check_upload(checklist, u, max_bytes))
        .collect::<CrResult<Vec<_>>>()?;
    if require_all {
        if let Some(missing) = checklist
            .iter()
            .find(|r| r.upload && r.required && !out.iter().any(|(k, ..)| *k == r.key))
        {
            return Err(CivilRegistryError::MissingDocument {
                label_id: missing.label_id.clone(),
                label_en: missing.label_en.clone(),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn codes() {
        let c = random_code(TRACKING_LEN);
        assert!(code_valid(&c, TRACKING_LEN), "{c}");
        assert!(!c.contains(['0', 'O', '1', 'I']));
        assert_eq!(normalise_code(" abcd-efg h "), "ABCDEFGH");
        assert!(!code_valid("ABCDEFGH0J", TRACKING_LEN));
        assert!(!code_valid("ABC", TRACKING_LEN));
    }

    #[test]
    fn magic_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(FileKind::Pdf));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0]), Some(FileKind::Jpeg));
        assert_eq!(
            sniff(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]),
            Some(FileKind::Png)
        );
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(sniff(b"MZ\x90\x00"), None);
        assert_eq!(sniff(b""), None);
        assert_eq!(clean_filename("C:\\x\\scan \"kk\".pdf"), "scan kk.pdf");
        assert_eq!(clean_filename("../"), "dokumen");
    }
}
