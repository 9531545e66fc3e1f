//! Tanggapan masyarakat: anyone may tell the PPS that a TPS's published list is wrong — a
//! listed voter has died or moved, someone is missing, someone is listed twice — with
//! evidence. Each response is a case with a clock, answered publicly; the details and the
//! reporter's contact stay with the officials (they name people).

use balai_core::calendar::Calendar;
use balai_core::format::Zone;
use time::{Date, OffsetDateTime, Time};

/// What is wrong with the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Deceased,
    Moved,
    NotRegistered,
    Double,
    Other,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Deceased,
        Kind::Moved,
        Kind::NotRegistered,
        Kind::Double,
        Kind::Other,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::Deceased => "deceased",
            Kind::Moved => "moved",
            Kind::NotRegistered => "not_registered",
            Kind::Double => "double",
            Kind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// Indonesian and English labels.
    pub const fn labels(self) -> (&'static str, &'static str) {
        match self {
            Kind::Deceased => ("Sudah meninggal", "Deceased"),
            Kind::Moved => ("Sudah pindah domisili", "Moved away"),
            Kind::NotRegistered => ("Belum terdaftar", "Not registered"),
            Kind::Double => ("Terdaftar ganda", "Listed twice"),
            Kind::Other => ("Lainnya", "Other"),
        }
    }
}

/// Where a case stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Open,
    /// The list will be corrected in its next version.
    Accepted,
    /// Checked; the list stays as it is (the answer says why).
    Rejected,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Open, Status::Accepted, Status::Rejected];

    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    pub const fn labels(self) -> (&'static str, &'static str) {
        match self {
            Status::Open => ("Sedang diperiksa", "Being checked"),
            Status::Accepted => (
                "Diterima, daftar diperbaiki",
                "Accepted, the list is corrected",
            ),
            Status::Rejected => ("Tidak diterima", "Not accepted"),
        }
    }
}

/// The PPS answers within this many working days unless `[voters] answer_working_days` says
/// otherwise (*unconfirmed*: PKPU 7/2024 gives the DPS's response period as a whole, not a
/// per-case limit; a region may set its own).
pub const DEFAULT_ANSWER_DAYS: u32 = 3;

/// The answer's clock in the shared `clocks` table (recomputed when the holidays change).
pub const CLOCK_SUBJECT: &str = "voter_report";
pub const CLOCK_PURPOSE: &str = "answer";

/// The day a response is filed on, in the time zone of its village.
pub fn filed_day(filed: OffsetDateTime, village_code: &str) -> Date {
    filed
        .to_offset(Zone::for_region(village_code).offset())
        .date()
}

/// The day the answer is due: `days` working days after the filing day.
pub fn due_day(cal: &Calendar, filed_day: Date, days: u32) -> Date {
    cal.add_working_days(filed_day, days)
}

/// The last moment of the due day in the village's time zone (what the API's `due_at` says).
pub fn due_moment(due_day: Date, village_code: &str) -> OffsetDateTime {
    due_day
        .with_time(Time::from_hms(23, 59, 59).unwrap_or(Time::MIDNIGHT))
        .assume_offset(Zone::for_region(village_code).offset())
}

/// Is an open case past its due day (`today` in the village's time zone)?
pub fn overdue(status: Status, due_day: Date, today: Date) -> bool {
    status == Status::Open && today > due_day
}

/// Why a response was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invalid {
    Kind,
    Details,
    Evidence,
    TpsNumber,
    Answer,
    Status,
    Purpose,
    Village,
    Contact,
}

impl Invalid {
    pub const fn code(self) -> &'static str {
        match self {
            Invalid::Kind => "report_kind",
            Invalid::Details => "report_details",
            Invalid::Evidence => "report_evidence",
            Invalid::TpsNumber => "tps_number_invalid",
            Invalid::Answer => "answer_text",
            Invalid::Status => "answer_status",
            Invalid::Purpose => "purpose_text",
            Invalid::Village => "village_code_invalid",
            Invalid::Contact => "report_contact",
        }
    }

    pub const fn messages(self) -> (&'static str, &'static str) {
        match self {
            Invalid::Kind => (
                "Jenis tanggapan harus salah satu dari: meninggal, pindah, belum terdaftar, ganda, lainnya.",
                "The kind must be one of: deceased, moved, not registered, double, other.",
            ),
            Invalid::Details => (
                "Uraian wajib diisi (10–2000 karakter).",
                "Details are required (10–2000 characters).",
            ),
            Invalid::Evidence => (
                "Bukti wajib diisi (mis. nomor akta kematian, surat pindah; 3–500 karakter).",
                "Evidence is required (e.g. a death certificate or moving letter number; 3–500 characters).",
            ),
            Invalid::TpsNumber => ("Nomor TPS harus 1–9999.", "The TPS number must be 1–9999."),
            Invalid::Answer => (
                "Jawaban wajib diisi (10–2000 karakter) dan tanpa data pribadi.",
                "The answer is required (10–2000 characters), without personal data.",
            ),
            Invalid::Status => (
                "Putusan harus diterima atau tidak diterima.",
                "The decision must be accepted or rejected.",
            ),
            Invalid::Purpose => (
                "Tujuan membuka data wajib diisi (3–300 karakter).",
                "The purpose of opening the record is required (3–300 characters).",
            ),
            Invalid::Contact => (
                "Kontak paling panjang 200 karakter.",
                "The contact is at most 200 characters.",
            ),
            Invalid::Village => (
                "Kode desa/kelurahan harus berbentuk PP.KK.CC.NNNN.",
                "The village code must be written PP.KK.CC.NNNN.",
            ),
        }
    }
}

/// A response as typed.
#[derive(Clone, Debug, Default)]
pub struct Draft {
    pub kind: String,
    pub tps_number: u32,
    pub details: String,
    pub evidence: String,
    pub contact: String,
}

/// A checked response.
#[derive(Clone, Debug)]
pub struct NewReport {
    pub kind: Kind,
    pub tps_number: u32,
    pub details: String,
    pub evidence: String,
    pub contact: Option<String>,
}

/// Text as the API states it: `min..=max` characters as sent, not all blank.
pub fn written(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.chars().count()) && s.chars().any(|c| !c.is_whitespace())
}

pub fn validate(d: &Draft) -> Result<NewReport, Invalid> {
    let kind = Kind::parse(&d.kind).ok_or(Invalid::Kind)?;
    if !(1..=9999).contains(&d.tps_number) {
        return Err(Invalid::TpsNumber);
    }
    if !written(&d.details, 10, 2000) {
        return Err(Invalid::Details);
    }
    if !written(&d.evidence, 3, 500) {
        return Err(Invalid::Evidence);
    }
    if d.contact.chars().count() > 200 {
        return Err(Invalid::Contact);
    }
    let (details, evidence) = (d.details.trim(), d.evidence.trim());
    let contact = d.contact.trim();
    Ok(NewReport {
        kind,
        tps_number: d.tps_number,
        details: details.to_string(),
        evidence: evidence.to_string(),
        contact: (!contact.is_empty()).then(|| contact.to_string()),
    })
}

/// A decision on a case: accepted or rejected, with a public answer. The answer is published,
/// so it must not carry a NIK (16 digits in a row).
pub fn decide(status: &str, answer: &str) -> Result<(Status, String), Invalid> {
    let status = match Status::parse(status) {
        Some(s @ (Status::Accepted | Status::Rejected)) => s,
        _ => return Err(Invalid::Status),
    };
    let mut run = 0;
    let has_nik = answer.chars().any(|c| {
        run = if c.is_ascii_digit() { run + 1 } else { 0 };
        run >= 16
    });
    if !written(answer, 10, 2000) || has_nik {
        return Err(Invalid::Answer);
    }
    Ok((status, answer.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn draft() -> Draft {
        Draft {
            kind: "deceased".into(),
            tps_number: 3,
            details: "Almarhum Bapak B. tercatat di TPS 003.".into(),
            evidence: "Akta kematian 3279-KM-2024-0012".into(),
            contact: String::new(),
        }
    }

    #[test]
    fn a_response_and_its_clock_in_working_days() {
        let r = validate(&draft()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(r.kind, Kind::Deceased);
        assert_eq!(r.contact, None);
        // Filed on Friday 31 May 2024 at 20:00 WIB (13:00 UTC): the weekend does not count,
        // nor does a holiday on Monday 3 June.
        let filed = datetime!(2024-05-31 13:00 UTC);
        let day = filed_day(filed, "32.79.01.1001");
        assert_eq!(day, date!(2024 - 05 - 31));
        assert_eq!(due_day(&Calendar::default(), day, 3), date!(2024 - 06 - 05));
        let cal = Calendar::new([date!(2024 - 06 - 03)]);
        let due = due_day(&cal, day, DEFAULT_ANSWER_DAYS);
        assert_eq!(due, date!(2024 - 06 - 06));
        // 23:00 UTC is the next day in WIB.
        assert_eq!(
            filed_day(datetime!(2024-05-31 18:00 UTC), "32.79.01.1001"),
            date!(2024 - 06 - 01)
        );
        assert_eq!(
            due_moment(due, "32.79.01.1001"),
            datetime!(2024-06-06 23:59:59 +7)
        );
        assert!(!overdue(Status::Open, due, date!(2024 - 06 - 06)));
        assert!(overdue(Status::Open, due, date!(2024 - 06 - 07)));
        assert!(!overdue(Status::Accepted, due, date!(2024 - 07 - 01)));
    }

    #[test]
    fn refusals() {
        let mut d = draft();
        d.kind = "alien".into();
        assert_eq!(validate(&d).unwrap_err(), Invalid::Kind);
        let mut d = draft();
        d.details = "short".into();
        assert_eq!(validate(&d).unwrap_err(), Invalid::Details);
        let mut d = draft();
        d.evidence = String::new();
        assert_eq!(validate(&d).unwrap_err(), Invalid::Evidence);
        let mut d = draft();
        d.tps_number = 0;
        assert_eq!(validate(&d).unwrap_err(), Invalid::TpsNumber);
    }

    #[test]
    fn answers_are_public_so_carry_no_nik() {
        assert!(decide("accepted", "Dicoret dari daftar pada DPSHP.").is_ok());
        assert_eq!(
            decide("accepted", "NIK 3279011508900001 dicoret.").unwrap_err(),
            Invalid::Answer
        );
        assert_eq!(
            decide("open", "Sedang kami periksa.").unwrap_err(),
            Invalid::Status
        );
    }
}
