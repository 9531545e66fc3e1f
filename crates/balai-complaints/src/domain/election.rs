//! Formal requirements of an election-violation report (UU 1/2015 art. 134 as amended;
//! DOMAIN.md §4). A report that fails them is not refused: it is kept as *information*, and the
//! reporter is told why, in plain words.

use time::{Date, Duration};

use super::settings::ClockConfig;

/// What the reporter told us, as far as the formal rules care.
#[derive(Clone, Debug, Default)]
pub struct ElectionFacts<'a> {
    pub anonymous: bool,
    pub reporter_name: Option<&'a str>,
    /// A phone number or email the reporter can be reached at.
    pub has_contact: bool,
    pub reported_party: Option<&'a str>,
    /// When the violation happened (free text such as "12 Nov 2024 pukul 10.00" is accepted).
    pub incident_time: Option<&'a str>,
    pub place: Option<&'a str>,
    pub description: &'a str,
    pub evidence: Option<&'a str>,
    /// When the reporter learned of the violation; the filing window runs from here.
    pub known_on: Option<Date>,
}

/// Why a report could not be a formal one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shortfall {
    Anonymous,
    NoIdentity,
    NoReportedParty,
    NoTime,
    NoPlace,
    NoDescription,
    NoEvidence,
    NoKnownDate,
    Late,
}

impl Shortfall {
    pub fn message_id(self) -> &'static str {
        match self {
            Shortfall::Anonymous => "laporan anonim tidak dapat menjadi laporan resmi",
            Shortfall::NoIdentity => "identitas pelapor (nama dan nomor telepon/email) belum diisi",
            Shortfall::NoReportedParty => "pihak terlapor belum diisi",
            Shortfall::NoTime => "waktu kejadian belum diisi",
            Shortfall::NoPlace => "tempat kejadian belum diisi",
            Shortfall::NoDescription => "uraian kejadian belum diisi",
            Shortfall::NoEvidence => "bukti belum dilampirkan atau diuraikan",
            Shortfall::NoKnownDate => "tanggal pelanggaran diketahui belum diisi",
            Shortfall::Late => "batas waktu pelaporan sudah lewat",
        }
    }

    pub const ALL: [Shortfall; 9] = [
        Shortfall::Anonymous,
        Shortfall::NoIdentity,
        Shortfall::NoReportedParty,
        Shortfall::NoTime,
        Shortfall::NoPlace,
        Shortfall::NoDescription,
        Shortfall::NoEvidence,
        Shortfall::NoKnownDate,
        Shortfall::Late,
    ];

    pub fn message_en(self) -> &'static str {
        match self {
            Shortfall::Anonymous => "an anonymous report cannot be a formal report",
            Shortfall::NoIdentity => "the reporter's identity (name and phone or email) is missing",
            Shortfall::NoReportedParty => "the party reported is missing",
            Shortfall::NoTime => "the time of the incident is missing",
            Shortfall::NoPlace => "the place of the incident is missing",
            Shortfall::NoDescription => "the description of the incident is missing",
            Shortfall::NoEvidence => "no evidence was attached or described",
            Shortfall::NoKnownDate => "the date the violation became known is missing",
            Shortfall::Late => "the deadline for reporting has passed",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Shortfall::Anonymous => "anonymous",
            Shortfall::NoIdentity => "no_identity",
            Shortfall::NoReportedParty => "no_reported_party",
            Shortfall::NoTime => "no_time",
            Shortfall::NoPlace => "no_place",
            Shortfall::NoDescription => "no_description",
            Shortfall::NoEvidence => "no_evidence",
            Shortfall::NoKnownDate => "no_known_date",
            Shortfall::Late => "late",
        }
    }
}

/// The outcome: a formal report, or information with the reasons.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Formality {
    Formal,
    Information(Vec<Shortfall>),
}

impl Formality {
    pub fn is_formal(&self) -> bool {
        matches!(self, Formality::Formal)
    }

    /// What the reporter reads after filing.
    pub fn message_id(&self, window_days: u32) -> String {
        match self {
            Formality::Formal => format!(
                "Laporan Anda memenuhi syarat formal dan diteruskan ke Bawaslu sebagai laporan \
                 pelanggaran pemilihan. Laporan disampaikan paling lama {window_days} hari sejak \
                 pelanggaran diketahui."
            ),
            Formality::Information(why) => {
                let reasons: Vec<&str> = why.iter().map(|s| s.message_id()).collect();
                format!(
                    "Laporan Anda dicatat sebagai INFORMASI AWAL, bukan laporan resmi pelanggaran \
                     pemilihan, karena: {}. Bawaslu tetap dapat menggunakannya sebagai informasi. \
                     Untuk laporan resmi, sertakan identitas, pihak terlapor, waktu, tempat, \
                     uraian dan bukti, paling lama {window_days} hari sejak pelanggaran diketahui.",
                    reasons.join("; ")
                )
            }
        }
    }
}

impl Formality {
    /// What the reporter reads after filing, in English.
    pub fn message_en(&self, window_days: u32) -> String {
        match self {
            Formality::Formal => format!(
                "Your report meets the formal requirements and goes to Bawaslu as a report of an \
                 election violation. A report is filed at most {window_days} days after the \
                 violation became known."
            ),
            Formality::Information(why) => {
                let reasons: Vec<&str> = why.iter().map(|s| s.message_en()).collect();
                format!(
                    "Your report is recorded as INFORMATION, not as a formal report of an election \
                     violation, because: {}. Bawaslu can still use it as information. For a \
                     formal report, give your identity, the party reported, the time, the place, \
                     a description and evidence, at most {window_days} days after the violation \
                     became known.",
                    reasons.join("; ")
                )
            }
        }
    }

    /// Read back a message [`Formality::message_id`] wrote (kept in the report's history):
    /// the outcome and the window it named; `None` for any other text.
    pub fn parse_message_id(text: &str) -> Option<(Formality, u32)> {
        let window = |t: &str| -> Option<u32> {
            let (_, after) = t.rsplit_once("paling lama ")?;
            after.split(' ').next()?.parse().ok()
        };
        let f = if text.starts_with("Laporan Anda memenuhi syarat formal") {
            Formality::Formal
        } else if text.starts_with("Laporan Anda dicatat sebagai INFORMASI AWAL") {
            let (_, rest) = text.split_once("karena: ")?;
            let (list, _) = rest.split_once(". Bawaslu tetap")?;
            let why = list
                .split("; ")
                .map(|r| Shortfall::ALL.into_iter().find(|s| s.message_id() == r))
                .collect::<Option<Vec<_>>>()?;
            Formality::Information(why)
        } else {
            return None;
        };
        let w = window(text)?;
        (f.message_id(w) == text).then_some((f, w))
    }
}

fn blank(s: Option<&str>) -> bool {
    s.is_none_or(|v| v.trim().is_empty())
}

/// The last day a violation known on `known_on` may still be reported formally.
pub fn filing_deadline(known_on: Date, cfg: &ClockConfig) -> Date {
    known_on
        .checked_add(Duration::days(i64::from(cfg.election_filing_window_days)))
        .unwrap_or(known_on)
}

/// Judge a report filed on `today`.
pub fn assess(f: &ElectionFacts<'_>, today: Date, cfg: &ClockConfig) -> Formality {
    let mut why = Vec::new();
    if f.anonymous {
        why.push(Shortfall::Anonymous);
    } else if blank(f.reporter_name) || !f.has_contact {
        why.push(Shortfall::NoIdentity);
    }
    if blank(f.reported_party) {
        why.push(Shortfall::NoReportedParty);
    }
    if blank(f.incident_time) {
        why.push(Shortfall::NoTime);
    }
    if blank(f.place) {
        why.push(Shortfall::NoPlace);
    }
    if f.description.trim().is_empty() {
        why.push(Shortfall::NoDescription);
    }
    if blank(f.evidence) {
        why.push(Shortfall::NoEvidence);
    }
    match f.known_on {
        None => why.push(Shortfall::NoKnownDate),
        Some(k) if today > filing_deadline(k, cfg) => why.push(Shortfall::Late),
        Some(_) => {}
    }
    if why.is_empty() {
        Formality::Formal
    } else {
        Formality::Information(why)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn complete(known_on: Date) -> ElectionFacts<'static> {
        ElectionFacts {
            anonymous: false,
            reporter_name: Some("Sari"),
            has_contact: true,
            reported_party: Some("Tim sukses paslon 2"),
            incident_time: Some("10 November 2024 pukul 09.00"),
            place: Some("Depan TPS 5"),
            description: "Membagikan amplop berisi uang kepada pemilih.",
            evidence: Some("Foto dan dua saksi"),
            known_on: Some(known_on),
        }
    }

    #[test]
    fn complete_and_on_time_is_formal() {
        let cfg = ClockConfig::default();
        let f = complete(date!(2024 - 11 - 10));
        assert_eq!(assess(&f, date!(2024 - 11 - 10), &cfg), Formality::Formal);
        // The seventh day is still inside the window.
        assert_eq!(assess(&f, date!(2024 - 11 - 17), &cfg), Formality::Formal);
    }

    #[test]
    fn late_is_information() {
        let cfg = ClockConfig::default();
        let f = complete(date!(2024 - 11 - 10));
        let r = assess(&f, date!(2024 - 11 - 18), &cfg);
        assert_eq!(r, Formality::Information(vec![Shortfall::Late]));
        assert!(r.message_id(7).contains("INFORMASI AWAL"));
        assert!(r.message_id(7).contains("batas waktu"));
        // A region may widen the window.
        let wide = ClockConfig {
            election_filing_window_days: 14,
            ..ClockConfig::default()
        };
        assert!(assess(&f, date!(2024 - 11 - 18), &wide).is_formal());
    }

    #[test]
    fn anonymous_is_never_formal() {
        let cfg = ClockConfig::default();
        let mut f = complete(date!(2024 - 11 - 10));
        f.anonymous = true;
        assert_eq!(
            assess(&f, date!(2024 - 11 - 11), &cfg),
            Formality::Information(vec![Shortfall::Anonymous])
        );
    }

    #[test]
    fn every_missing_requirement_is_named() {
        let cfg = ClockConfig::default();
        let f = ElectionFacts {
            description: " ",
            ..ElectionFacts::default()
        };
        let Formality::Information(why) = assess(&f, date!(2024 - 11 - 11), &cfg) else {
            unreachable!()
        };
        assert_eq!(
            why,
            vec![
                Shortfall::NoIdentity,
                Shortfall::NoReportedParty,
                Shortfall::NoTime,
                Shortfall::NoPlace,
                Shortfall::NoDescription,
                Shortfall::NoEvidence,
                Shortfall::NoKnownDate
            ]
        );
        let mut f = complete(date!(2024 - 11 - 10));
        f.has_contact = false;
        assert_eq!(
            assess(&f, date!(2024 - 11 - 11), &cfg),
            Formality::Information(vec![Shortfall::NoIdentity])
        );
    }

    #[test]
    fn the_filing_message_reads_back_and_speaks_english() {
        let all = Formality::Information(Shortfall::ALL.to_vec());
        for f in [
            Formality::Formal,
            Formality::Information(vec![Shortfall::Late]),
            all,
        ] {
            let id = f.message_id(7);
            assert_eq!(
                Formality::parse_message_id(&id),
                Some((f.clone(), 7)),
                "{id}"
            );
            let en = f.message_en(7);
            assert!(en.contains("7 days"), "{en}");
            assert!(!en.contains("Laporan"), "{en}");
        }
        assert!(Formality::Information(vec![Shortfall::NoPlace])
            .message_en(7)
            .contains("because: the place of the incident is missing."));
        assert_eq!(Formality::parse_message_id("Laporan Anda diterima."), None);
    }
}
