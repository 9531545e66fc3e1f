//! Standard replies an official can start from instead of typing an answer.

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
    fn response_templates_resolve() {
        assert!(response_template("selesai_diperbaiki").is_some_and(|t| t.contains("konfirmasi")));
        assert_eq!(response_template("nope"), None);
    }
}
