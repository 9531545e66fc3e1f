//! What a report is: its type (LAPOR! types plus the election ones), the channel it came by,
//! and the contact details a reporter may leave.

use serde::{Deserialize, Serialize};

/// What kind of report this is (LAPOR! types plus the election-specific ones).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportType {
    Pengaduan,
    Aspirasi,
    PermintaanInformasi,
    PelanggaranPemilihan,
    NetralitasAsn,
    HoaksPolitikUang,
}

impl ReportType {
    pub const ALL: [ReportType; 6] = [
        ReportType::Pengaduan,
        ReportType::Aspirasi,
        ReportType::PermintaanInformasi,
        ReportType::PelanggaranPemilihan,
        ReportType::NetralitasAsn,
        ReportType::HoaksPolitikUang,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportType::Pengaduan => "pengaduan",
            ReportType::Aspirasi => "aspirasi",
            ReportType::PermintaanInformasi => "permintaan_informasi",
            ReportType::PelanggaranPemilihan => "pelanggaran_pemilihan",
            ReportType::NetralitasAsn => "netralitas_asn",
            ReportType::HoaksPolitikUang => "hoaks_politik_uang",
        }
    }

    pub fn parse(s: &str) -> Option<ReportType> {
        ReportType::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn label_id(self) -> &'static str {
        match self {
            ReportType::Pengaduan => "Pengaduan",
            ReportType::Aspirasi => "Aspirasi",
            ReportType::PermintaanInformasi => "Permintaan informasi",
            ReportType::PelanggaranPemilihan => "Pelanggaran pemilihan",
            ReportType::NetralitasAsn => "Netralitas ASN",
            ReportType::HoaksPolitikUang => "Hoaks / politik uang",
        }
    }

    /// Election reports go to Bawaslu and follow its formal rules and clocks.
    pub fn is_election(self) -> bool {
        matches!(
            self,
            ReportType::PelanggaranPemilihan
                | ReportType::NetralitasAsn
                | ReportType::HoaksPolitikUang
        )
    }
}

/// How a report arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Web,
    Sms,
    Counter,
    Api,
    Open311,
}

impl Channel {
    pub const ALL: [Channel; 5] = [
        Channel::Web,
        Channel::Sms,
        Channel::Counter,
        Channel::Api,
        Channel::Open311,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Sms => "sms",
            Channel::Counter => "counter",
            Channel::Api => "api",
            Channel::Open311 => "open311",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// A phone number normalised to digits with a leading `+62` style country code, or `None`.
pub fn normalise_phone(s: &str) -> Option<String> {
    let t: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
        .collect();
    let digits = t.strip_prefix('+').unwrap_or(&t);
    if !(8..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if let Some(rest) = digits.strip_prefix('0') {
        return Some(format!("+62{rest}"));
    }
    Some(format!("+{digits}"))
}

/// A plausible email address (one `@`, a dot in the domain, no spaces).
pub fn valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.contains(char::is_whitespace)
        && !domain.contains('@')
        && s.len() <= 254
}

/// A title from the first 80 characters of a text (a report filed without one, or redacted).
pub fn title_from(text: &str) -> String {
    let t: String = text.chars().take(80).collect();
    if text.chars().count() > 80 {
        format!("{t}…")
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn report_types_round_trip_and_election_flag() {
        for t in ReportType::ALL {
            assert_eq!(ReportType::parse(t.as_str()), Some(t));
        }
        assert!(ReportType::NetralitasAsn.is_election());
        assert!(!ReportType::Aspirasi.is_election());
        assert_eq!(ReportType::parse("whistleblowing"), None);
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
        }
    }

    #[test]
    fn phones_and_emails() {
        assert_eq!(
            normalise_phone("0812-3456 7890").as_deref(),
            Some("+6281234567890")
        );
        assert_eq!(
            normalise_phone("+6281234567890").as_deref(),
            Some("+6281234567890")
        );
        assert_eq!(normalise_phone("12ab"), None);
        assert!(valid_email("warga@contoh.id"));
        assert!(!valid_email("warga@contoh"));
        assert!(!valid_email("wa rga@contoh.id"));
    }
}
