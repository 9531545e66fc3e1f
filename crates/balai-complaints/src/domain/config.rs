//! Deadlines as configuration. Each default is the value a regulation sets today; a region may
//! adopt its own service standard, so callers pass a [`ClockConfig`] instead of using literals.

use serde::{Deserialize, Serialize};

/// LAPOR! SP4N: a report is verified and dispatched within 3 working days
/// (PermenPANRB 62/2018 on the SP4N-LAPOR! guidelines; DOMAIN.md §4).
pub const LAPOR_DISPATCH_WORKING_DAYS: u32 = 3;
/// LAPOR! SP4N: the agency follows up within 5 working days of dispatch (same source).
pub const LAPOR_FOLLOW_UP_WORKING_DAYS: u32 = 5;
/// LAPOR! SP4N: an answered report closes after 10 working days without a reply (same source).
pub const LAPOR_AUTO_CLOSE_WORKING_DAYS: u32 = 10;
/// UU 1/2015 art. 134(4) as amended: a Pilkada violation is reported within 7 days of becoming
/// known. Counted in calendar days here (*check the amended text*; configurable).
pub const ELECTION_FILING_WINDOW_DAYS: u32 = 7;
/// UU 1/2015 art. 134(5)–(6): Bawaslu follows up within 3 days, plus 2 days when it asks for
/// more information (*unconfirmed against the amended text; configurable*).
pub const BAWASLU_FOLLOW_UP_DAYS: u32 = 3;
pub const BAWASLU_MORE_INFO_DAYS: u32 = 2;
/// Days before a due day at which an item shows as "due soon" in the work queue.
pub const DUE_SOON_WORKING_DAYS: u32 = 2;

/// The clocks of one region; `Default` gives the national defaults above.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockConfig {
    pub dispatch_working_days: u32,
    pub follow_up_working_days: u32,
    pub auto_close_working_days: u32,
    pub election_filing_window_days: u32,
    pub bawaslu_follow_up_days: u32,
    pub bawaslu_more_info_days: u32,
    pub due_soon_working_days: u32,
}

impl Default for ClockConfig {
    fn default() -> Self {
        ClockConfig {
            dispatch_working_days: LAPOR_DISPATCH_WORKING_DAYS,
            follow_up_working_days: LAPOR_FOLLOW_UP_WORKING_DAYS,
            auto_close_working_days: LAPOR_AUTO_CLOSE_WORKING_DAYS,
            election_filing_window_days: ELECTION_FILING_WINDOW_DAYS,
            bawaslu_follow_up_days: BAWASLU_FOLLOW_UP_DAYS,
            bawaslu_more_info_days: BAWASLU_MORE_INFO_DAYS,
            due_soon_working_days: DUE_SOON_WORKING_DAYS,
        }
    }
}

impl ClockConfig {
    /// The follow-up deadline after dispatch: Bawaslu's for election reports, else LAPOR!'s.
    pub fn follow_up_days(&self, election: bool) -> u32 {
        if election {
            self.bawaslu_follow_up_days
        } else {
            self.follow_up_working_days
        }
    }
}

/// Standard replies an official can start from (the form's text, when given, wins).
pub const RESPONSE_TEMPLATES: &[(&str, &str, &str)] = &[
    (
        "diterima_ditindaklanjuti",
        "Sedang ditindaklanjuti",
        "Terima kasih atas laporan Anda. Laporan telah kami terima dan sedang ditindaklanjuti oleh petugas terkait.",
    ),
    (
        "selesai_diperbaiki",
        "Sudah diperbaiki",
        "Terima kasih atas laporan Anda. Permasalahan telah ditangani. Mohon konfirmasi apakah masalah sudah selesai.",
    ),
    (
        "perlu_data",
        "Perlu keterangan tambahan",
        "Mohon lengkapi laporan Anda dengan lokasi yang lebih rinci dan foto pendukung agar dapat kami tindak lanjuti.",
    ),
    (
        "dijadwalkan",
        "Dijadwalkan",
        "Perbaikan telah dijadwalkan dalam program kerja tahun berjalan. Kami akan memberi kabar bila pekerjaan dimulai.",
    ),
];

/// The text of a standard reply by key.
pub fn response_template(key: &str) -> Option<&'static str> {
    RESPONSE_TEMPLATES
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, _, t)| *t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_lapor_and_bawaslu_values() {
        let c = ClockConfig::default();
        assert_eq!(c.dispatch_working_days, 3);
        assert_eq!(c.follow_up_days(false), 5);
        assert_eq!(c.follow_up_days(true), 3);
        assert_eq!(c.auto_close_working_days, 10);
        assert_eq!(c.election_filing_window_days, 7);
        assert_eq!(c.bawaslu_more_info_days, 2);
    }

    #[test]
    fn response_templates_resolve() {
        assert!(response_template("selesai_diperbaiki").is_some_and(|t| t.contains("konfirmasi")));
        assert_eq!(response_template("nope"), None);
    }
}
