//! Deadlines as configuration: the values and their sources live with the settings
//! (`[complaints]` in the configuration file); handlers pass the configured ones, never literals.

/// The clocks the rules work with; `Default` gives the national defaults.
pub use balai_core::config::ComplaintSettings as ClockConfig;

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
        let changed = ClockConfig {
            follow_up_working_days: 7,
            ..ClockConfig::default()
        };
        assert_eq!(changed.follow_up_days(false), 7);
    }

    #[test]
    fn response_templates_resolve() {
        assert!(response_template("selesai_diperbaiki").is_some_and(|t| t.contains("konfirmasi")));
        assert_eq!(response_template("nope"), None);
    }
}
