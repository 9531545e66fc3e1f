//! An appointment decree (mutasi, promosi, rotasi) as it is recorded: parse, don't validate.
//! The raw fields of a form, a JSON body or a CSV row become a [`NewAppointment`] or an
//! [`Invalid`] naming the field, in both languages.

use balai_core::regions::{Level, RegionCode};
use serde::Serialize;
use time::Date;

/// What kind of move the decree makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentKind {
    Mutasi,
    Promosi,
    Rotasi,
}

impl AppointmentKind {
    pub const ALL: [AppointmentKind; 3] = [
        AppointmentKind::Mutasi,
        AppointmentKind::Promosi,
        AppointmentKind::Rotasi,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            AppointmentKind::Mutasi => "mutasi",
            AppointmentKind::Promosi => "promosi",
            AppointmentKind::Rotasi => "rotasi",
        }
    }

    pub fn parse(s: &str) -> Option<AppointmentKind> {
        AppointmentKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim().to_lowercase())
    }
}

/// Who signed the decree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignedBy {
    /// The governor, regent or mayor.
    Head,
    /// The deputy.
    Deputy,
    /// An acting head (Pj., Plt. or Pjs.).
    ActingHead,
}

impl SignedBy {
    pub const ALL: [SignedBy; 3] = [SignedBy::Head, SignedBy::Deputy, SignedBy::ActingHead];

    pub const fn as_str(self) -> &'static str {
        match self {
            SignedBy::Head => "head",
            SignedBy::Deputy => "deputy",
            SignedBy::ActingHead => "acting_head",
        }
    }

    pub fn parse(s: &str) -> Option<SignedBy> {
        SignedBy::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// (Bahasa Indonesia, English)
    pub const fn label(self) -> (&'static str, &'static str) {
        match self {
            SignedBy::Head => ("Kepala daerah", "Regional head"),
            SignedBy::Deputy => ("Wakil kepala daerah", "Deputy head"),
            SignedBy::ActingHead => ("Penjabat/Plt. kepala daerah", "Acting head"),
        }
    }
}

/// A civil servant's NIP: 18 digits, birth date (YYYYMMDD), appointment month (YYYYMM), sex
/// (1 or 2) and a 3-digit sequence. Never shown to the public.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Nip(String);

impl Nip {
    pub fn parse(s: &str) -> Option<Nip> {
        let digits: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() != 18 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let num = |a: usize, b: usize| digits.get(a..b).and_then(|x| x.parse::<u16>().ok());
        let birth_ok = match (num(0, 4), num(4, 6), num(6, 8)) {
            (Some(y), Some(m), Some(d)) => u8::try_from(m)
                .ok()
                .and_then(|m| time::Month::try_from(m).ok())
                .and_then(|m| Date::from_calendar_date(i32::from(y), m, u8::try_from(d).ok()?).ok())
                .is_some(),
            _ => false,
        };
        let month_ok = num(12, 14).is_some_and(|m| (1..=12).contains(&m));
        let sex_ok = matches!(digits.as_bytes().get(14), Some(b'1' | b'2'));
        (birth_ok && month_ok && sex_ok).then_some(Nip(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The fields as they arrive (form, JSON or CSV), trimmed here.
#[derive(Clone, Debug, Default)]
pub struct Draft {
    pub region_code: String,
    pub kind: String,
    pub official_name: String,
    pub nip: String,
    pub from_position: String,
    pub to_position: String,
    pub decree_number: String,
    pub decree_date: String,
    pub effective_date: String,
    pub signed_by: String,
    pub minister_approval_ref: String,
}

/// A recordable appointment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAppointment {
    pub region: RegionCode,
    pub kind: AppointmentKind,
    pub official_name: String,
    pub nip: Option<Nip>,
    pub from_position: String,
    pub to_position: String,
    pub decree_number: String,
    pub decree_date: Date,
    pub effective_date: Option<Date>,
    pub signed_by: Option<SignedBy>,
    pub minister_approval_ref: Option<String>,
}

/// Why a draft cannot be recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Invalid {
    /// Not a province, regency or city code (those are the appointing governments).
    BadRegion,
    BadName,
    BadNip,
    EmptyPosition {
        from: bool,
    },
    BadDecreeNumber,
    BadDate {
        field: &'static str,
    },
    /// More than a year after today.
    DecreeTooFarAhead,
    EffectiveBeforeDecree,
    BadSignedBy,
    BadKind,
    BadApprovalRef,
}

impl Invalid {
    pub const fn code(&self) -> &'static str {
        match self {
            Invalid::BadRegion => "bad_region",
            Invalid::BadName => "bad_name",
            Invalid::BadNip => "bad_nip",
            Invalid::EmptyPosition { .. } => "empty_position",
            Invalid::BadDecreeNumber => "bad_decree_number",
            Invalid::BadDate { .. } => "bad_date",
            Invalid::DecreeTooFarAhead => "decree_too_far_ahead",
            Invalid::EffectiveBeforeDecree => "effective_before_decree",
            Invalid::BadSignedBy => "bad_signed_by",
            Invalid::BadKind => "bad_kind",
            Invalid::BadApprovalRef => "bad_approval_ref",
        }
    }

    /// (Bahasa Indonesia, English)
    pub fn messages(&self) -> (String, String) {
        match self {
            Invalid::BadRegion => (
                "Pemerintah yang mengangkat harus provinsi, kabupaten atau kota (kode PP atau PP.KK).".into(),
                "The appointing government must be a province, regency or city (code PP or PP.KK).".into(),
            ),
            Invalid::BadName => (
                "Nama pejabat wajib diisi (paling banyak 200 karakter).".into(),
                "The official's name is required (at most 200 characters).".into(),
            ),
            Invalid::BadNip => (
                "NIP harus 18 angka dengan tanggal lahir, bulan pengangkatan dan kode jenis kelamin yang sah.".into(),
                "The NIP must be 18 digits with a valid birth date, appointment month and sex digit.".into(),
            ),
            Invalid::EmptyPosition { from: true } => (
                "Jabatan lama wajib diisi (paling banyak 300 karakter).".into(),
                "The former position is required (at most 300 characters).".into(),
            ),
            Invalid::EmptyPosition { from: false } => (
                "Jabatan baru wajib diisi (paling banyak 300 karakter).".into(),
                "The new position is required (at most 300 characters).".into(),
            ),
            Invalid::BadDecreeNumber => (
                "Nomor SK wajib diisi (paling banyak 200 karakter).".into(),
                "The decree number is required (at most 200 characters).".into(),
            ),
            Invalid::BadDate { field } => (
                format!("{} harus berupa tanggal TTTT-BB-HH.", date_field(field).0),
                format!("{} must be a date YYYY-MM-DD.", date_field(field).1),
            ),
            Invalid::DecreeTooFarAhead => (
                "Tanggal SK paling lambat satu tahun dari hari ini.".into(),
                "The decree date may be at most one year after today.".into(),
            ),
            Invalid::EffectiveBeforeDecree => (
                "Tanggal berlaku tidak boleh sebelum tanggal SK.".into(),
                "The effective date cannot be before the decree date.".into(),
            ),
            Invalid::BadSignedBy => (
                "Penanda tangan harus head, deputy atau acting_head.".into(),
                "Signed by must be head, deputy or acting_head.".into(),
            ),
            Invalid::BadKind => (
                "Jenis harus mutasi, promosi atau rotasi.".into(),
                "The kind must be mutasi, promosi or rotasi.".into(),
            ),
            Invalid::BadApprovalRef => (
                "Nomor persetujuan Menteri paling sedikit 3 dan paling banyak 200 karakter.".into(),
                "The Minister's approval reference must be 3 to 200 characters.".into(),
            ),
        }
    }
}

fn date_field(field: &str) -> (&'static str, &'static str) {
    match field {
        "effective_date" => ("Tanggal berlaku", "The effective date"),
        _ => ("Tanggal SK", "The decree date"),
    }
}

/// Not blank, and at most `max` characters as sent (the limit the API document states).
fn text(s: &str, max: usize) -> Option<String> {
    let t = s.trim();
    (!t.is_empty() && s.chars().count() <= max).then(|| t.to_string())
}

pub fn parse_date(s: &str) -> Option<Date> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s.trim(), &fmt).ok()
}

/// Check a draft against `today`; the first problem wins.
pub fn validate(d: &Draft, today: Date) -> Result<NewAppointment, Invalid> {
    let region = RegionCode::parse(d.region_code.trim())
        .ok()
        .filter(|r| matches!(r.level(), Level::Province | Level::Regency))
        .ok_or(Invalid::BadRegion)?;
    let kind = match d.kind.trim() {
        "" => AppointmentKind::Mutasi,
        k => AppointmentKind::parse(k).ok_or(Invalid::BadKind)?,
    };
    let official_name = text(&d.official_name, 200).ok_or(Invalid::BadName)?;
    let nip = match d.nip.trim() {
        "" => None,
        n => Some(Nip::parse(n).ok_or(Invalid::BadNip)?),
    };
    let from_position = text(&d.from_position, 300).ok_or(Invalid::EmptyPosition { from: true })?;
    let to_position = text(&d.to_position, 300).ok_or(Invalid::EmptyPosition { from: false })?;
    let decree_number = text(&d.decree_number, 200).ok_or(Invalid::BadDecreeNumber)?;
    let decree_date = parse_date(&d.decree_date).ok_or(Invalid::BadDate {
        field: "decree_date",
    })?;
    if decree_date > super::window::add_months(today, 12) {
        return Err(Invalid::DecreeTooFarAhead);
    }
    let effective_date = match d.effective_date.trim() {
        "" => None,
        e => Some(parse_date(e).ok_or(Invalid::BadDate {
            field: "effective_date",
        })?),
    };
    if effective_date.is_some_and(|e| e < decree_date) {
        return Err(Invalid::EffectiveBeforeDecree);
    }
    let signed_by = match d.signed_by.trim() {
        "" => None,
        s => Some(SignedBy::parse(s).ok_or(Invalid::BadSignedBy)?),
    };
    let minister_approval_ref = match d.minister_approval_ref.trim() {
        "" => None,
        r if r.chars().count() >= 3 && d.minister_approval_ref.chars().count() <= 200 => {
            Some(r.to_string())
        }
        _ => return Err(Invalid::BadApprovalRef),
    };
    Ok(NewAppointment {
        region,
        kind,
        official_name,
        nip,
        from_position,
        to_position,
        decree_number,
        decree_date,
        effective_date,
        signed_by,
        minister_approval_ref,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn draft() -> Draft {
        Draft {
            region_code: "32.79".into(),
            official_name: "Sari Contoh".into(),
            nip: "198503122010012003".into(),
            from_position: "Kepala Bidang Anggaran".into(),
            to_position: "Kepala Dinas Pendidikan".into(),
            decree_number: "821/Kep.12-BKPSDM/2024".into(),
            decree_date: "2024-05-02".into(),
            ..Draft::default()
        }
    }

    const TODAY: Date = date!(2026 - 12 - 05);

    #[test]
    fn a_full_draft_is_recorded() {
        let a = validate(&draft(), TODAY).unwrap();
        assert_eq!(a.region.as_str(), "32.79");
        assert_eq!(a.kind, AppointmentKind::Mutasi);
        assert_eq!(a.nip.unwrap().as_str(), "198503122010012003");
        assert_eq!(a.decree_date, date!(2024 - 05 - 02));
        assert_eq!(a.signed_by, None);
    }

    #[test]
    fn bad_input_names_the_field() {
        let with = |f: fn(&mut Draft)| {
            let mut d = draft();
            f(&mut d);
            validate(&d, TODAY).unwrap_err()
        };
        assert_eq!(
            with(|d| d.region_code = "32.79.01".into()),
            Invalid::BadRegion
        );
        assert_eq!(with(|d| d.region_code = "xx".into()), Invalid::BadRegion);
        assert_eq!(with(|d| d.official_name = " ".into()), Invalid::BadName);
        assert_eq!(with(|d| d.nip = "12345".into()), Invalid::BadNip);
        assert_eq!(
            with(|d| d.nip = "198513122010012003".into()),
            Invalid::BadNip
        );
        assert_eq!(
            with(|d| d.nip = "198503122010013003".into()),
            Invalid::BadNip
        );
        assert_eq!(
            with(|d| d.from_position = "".into()),
            Invalid::EmptyPosition { from: true }
        );
        assert_eq!(
            with(|d| d.to_position = "  ".into()),
            Invalid::EmptyPosition { from: false }
        );
        assert_eq!(
            with(|d| d.decree_number = "".into()),
            Invalid::BadDecreeNumber
        );
        assert_eq!(
            with(|d| d.decree_date = "2 Mei 2024".into()),
            Invalid::BadDate {
                field: "decree_date"
            }
        );
        assert_eq!(
            with(|d| d.decree_date = "2027-12-06".into()),
            Invalid::DecreeTooFarAhead
        );
        assert_eq!(
            with(|d| d.effective_date = "2024-05-01".into()),
            Invalid::EffectiveBeforeDecree
        );
        assert_eq!(
            with(|d| d.signed_by = "bupati".into()),
            Invalid::BadSignedBy
        );
        assert_eq!(with(|d| d.kind = "pensiun".into()), Invalid::BadKind);
        assert_eq!(
            with(|d| d.minister_approval_ref = "x".into()),
            Invalid::BadApprovalRef
        );
        // A year ahead is still accepted (a decree prepared in advance).
        let mut d = draft();
        d.decree_date = "2027-12-05".into();
        assert!(validate(&d, TODAY).is_ok());
        for i in [
            Invalid::BadRegion,
            Invalid::BadDate {
                field: "effective_date",
            },
        ] {
            let (id, en) = i.messages();
            assert_ne!(id, en);
        }
    }

    #[test]
    fn kinds_and_signers_parse() {
        assert_eq!(
            AppointmentKind::parse("Promosi"),
            Some(AppointmentKind::Promosi)
        );
        assert_eq!(SignedBy::parse("acting_head"), Some(SignedBy::ActingHead));
        assert_eq!(SignedBy::parse("wakil"), None);
        assert!(Nip::parse("1985 0312 2010 01 2 003").is_some());
    }
}
