//! The names of the records' fields as people read them, in both languages: the public change
//! history shows them, and the refusals name a field by them rather than by its key.

/// A field's name in the public history: (Indonesian, English).
pub fn label(key: &str) -> (&'static str, &'static str) {
    match key {
        "title" => ("Judul", "Title"),
        "number" => ("Nomor", "Number"),
        "parties" => ("Para pihak", "Parties"),
        "signed_on" => ("Tanggal ditandatangani", "Signed on"),
        "valid_from" => ("Berlaku mulai", "Valid from"),
        "valid_until" => ("Berlaku sampai", "Valid until"),
        "clauses" => ("Pasal", "Clauses"),
        "legal_basis" => ("Dasar hukum", "Legal basis"),
        "region_code" => ("Tempat", "Place"),
        "date" => ("Tanggal", "Date"),
        "target_group" => ("Kelompok sasaran", "Target group"),
        "participants" => ("Jumlah peserta", "Participants"),
        "agenda" => ("Agenda", "Agenda"),
        "agreement_id" => ("Perjanjian kerja sama", "Agreement"),
        "clause" => ("Pasal yang dilaksanakan", "Clause carried out"),
        "attendance" => ("Kehadiran", "Attendance"),
        "ended_on" => ("Diakhiri mulai tanggal", "Ended as of"),
        "end_reason" => ("Alasan pengakhiran", "Reason for ending it"),
        "withdrawn_reason" => ("Alasan pembatalan", "Reason for cancelling"),
        _ => ("Isian", "Field"),
    }
}
