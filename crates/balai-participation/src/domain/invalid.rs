//! Every refusal of bad input, with its stable code and its message in both languages. A
//! command that gets one stores nothing.

use super::size::size_words;

/// A field or rule an input breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Invalid {
    /// A required text is empty, or a text is longer than allowed: (field, max characters).
    Text(&'static str, usize),
    /// A list has too many (or, where one is needed, no) items: (field, max items).
    List(&'static str, usize),
    /// A date that is not `YYYY-MM-DD`: the field.
    Date(&'static str),
    BadRegion,
    /// An agreement whose validity ends before it starts.
    ValidityEndsBeforeStart,
    /// Signed after the validity ended.
    SignedAfterValidity,
    /// A renewal that does not move the end of validity later.
    RenewalNotLater,
    /// No Balai agency among the parties.
    NoAgencyParty,
    /// An agency id that is not a Balai agency.
    UnknownAgency(i64),
    /// The same party twice.
    DuplicateParty,
    /// The Balai agencies among the parties have no province in common.
    NoCommonRegion,
    UnknownAgreement,
    /// An activity dated outside its agreement's validity.
    ActivityOutsidePeriod,
    /// An activity held outside its agreement's region.
    ActivityOutsideRegion,
    /// A clause number the agreement does not have.
    UnknownClause,
    TargetGroup,
    ForumKind,
    /// A number out of its range: (field, min, max).
    Number(&'static str, i64, i64),
    /// A membership or due date that ends before it starts.
    EndsBeforeStart,
    /// Minutes can be approved only while a draft exists.
    NoDraft,
    /// Minutes already published cannot be changed.
    AlreadyPublished,
    /// A file that is not a type this document may be (by its first bytes), or empty; `true`
    /// where only a PDF is accepted (the signed agreement).
    DocumentType(bool),
    /// A file over the size limit (bytes).
    DocumentTooLarge(usize),
    /// An edit that changes nothing.
    NoChange,
    /// An agreement that was ended already (no second end, renewal or edit).
    AlreadyEnded,
    /// An end dated before the agreement was signed.
    EndBeforeSigning,
    /// An end dated after the agreement's validity runs out.
    EndAfterValidity,
    /// An end that would leave activities carrying the agreement out on or after it.
    ActivitiesAfterEnd,
    /// An activity that was withdrawn (cancelled): no further change, no second withdrawal.
    Withdrawn,
}

/// A field's name as people read it (Indonesian, English), not its key.
fn field(key: &str) -> (&'static str, &'static str) {
    match key {
        "organisations" => ("Lembaga yang hadir", "Attending organisations"),
        "institution" => ("Nama lembaga", "Institution"),
        "attendees" => ("Jumlah yang hadir", "People attending"),
        "due_on" => ("Tenggat", "Due date"),
        "progress" => ("Kemajuan", "Progress"),
        "action" => ("Tindakan", "Action"),
        "owner" => ("Penanggung jawab", "Owner"),
        "note" => ("Catatan", "Note"),
        "text" => ("Notulen", "Minutes"),
        "other_parties" => ("Pihak lain", "Outside parties"),
        "reason" => ("Alasan", "Reason"),
        "name" => ("Nama", "Name"),
        "person" => ("Nama", "Name"),
        "organisation" => ("Organisasi", "Organisation"),
        "position" => ("Jabatan", "Position"),
        "from" => ("Mulai", "From"),
        "to" => ("Sampai", "Until"),
        other => super::labels::label(other),
    }
}

impl Invalid {
    /// The stable code of the API's 422.
    pub fn code(&self) -> &'static str {
        use Invalid as I;
        match self {
            I::Text(..) => "bad_text",
            I::List(..) => "bad_list",
            I::Date(_) => "bad_date",
            I::BadRegion => "bad_region_code",
            I::ValidityEndsBeforeStart => "validity_ends_before_start",
            I::SignedAfterValidity => "signed_after_validity",
            I::RenewalNotLater => "renewal_not_later",
            I::NoAgencyParty => "no_agency_party",
            I::UnknownAgency(_) => "unknown_agency",
            I::DuplicateParty => "duplicate_party",
            I::NoCommonRegion => "no_common_region",
            I::UnknownAgreement => "unknown_agreement",
            I::ActivityOutsidePeriod => "activity_outside_agreement_period",
            I::ActivityOutsideRegion => "activity_outside_agreement_region",
            I::UnknownClause => "unknown_clause",
            I::TargetGroup => "bad_target_group",
            I::ForumKind => "bad_forum_kind",
            I::Number(..) => "bad_number",
            I::EndsBeforeStart => "ends_before_start",
            I::NoDraft => "no_draft_minutes",
            I::AlreadyPublished => "minutes_published",
            I::DocumentType(_) => "bad_document_type",
            I::DocumentTooLarge(_) => "document_too_large",
            I::NoChange => "no_change",
            I::AlreadyEnded => "already_ended",
            I::EndBeforeSigning => "end_before_signing",
            I::EndAfterValidity => "end_after_validity",
            I::ActivitiesAfterEnd => "activities_after_end",
            I::Withdrawn => "activity_withdrawn",
        }
    }

    /// (Indonesian, English) of the refusals whose message names no value: a document's
    /// type, an edit that changes nothing, an agreement's early end.
    fn fixed_messages(&self) -> (String, String) {
        use Invalid as I;
        let (id, en) = match self {
            I::DocumentType(true) => (
                "Dokumen perjanjian harus berkas PDF (diperiksa dari isinya). Tidak ada yang disimpan.",
                "The agreement document must be a PDF file (checked by its content). Nothing was stored.",
            ),
            I::DocumentType(false) => (
                "Daftar hadir harus berkas PDF, JPEG atau PNG (diperiksa dari isinya). Tidak ada yang disimpan.",
                "The attendance list must be a PDF, JPEG or PNG file (checked by its content). Nothing was stored.",
            ),
            I::NoChange => (
                "Tidak ada yang berubah: isian sama dengan yang tercatat.",
                "Nothing changed: the fields are the same as recorded.",
            ),
                I::AlreadyEnded => (
                    "Perjanjian ini sudah diakhiri: tidak dapat diakhiri lagi, diperpanjang atau diubah.",
                    "This agreement has already been ended: it cannot be ended again, renewed or edited.",
                ),
                I::EndBeforeSigning => (
                    "Tanggal pengakhiran sebelum tanggal penandatanganan perjanjian.",
                    "The end date is before the agreement was signed.",
                ),
                I::EndAfterValidity => (
                    "Tanggal pengakhiran sesudah masa berlaku perjanjian berakhir.",
                    "The end date is after the agreement's validity runs out.",
                ),
                I::ActivitiesAfterEnd => (
                    "Ada kegiatan pelaksanaan perjanjian pada atau sesudah tanggal pengakhiran; ubah kegiatan itu dahulu.",
                    "Activities carry the agreement out on or after the end date; change those activities first.",
                ),
                I::Withdrawn => (
                    "Kegiatan ini sudah dibatalkan: tidak dapat diubah atau dibatalkan lagi.",
                    "This activity has been cancelled: it cannot be changed or cancelled again.",
                ),
                _ => ("", ""),
        };
        (id.to_string(), en.to_string())
    }

    /// (Indonesian, English).
    pub fn messages(&self) -> (String, String) {
        use Invalid as I;
        match self {
            I::Text(f, max) => (
                format!("{} wajib diisi dan paling panjang {max} karakter.", field(f).0),
                format!("{} is required and at most {max} characters long.", field(f).1),
            ),
            I::List(f, max) => (
                format!("{}: terlalu banyak atau kosong (paling banyak {max}).", field(f).0),
                format!("{}: too many, or empty where one is needed (at most {max}).", field(f).1),
            ),
            I::Date(f) => (
                format!("{}: tanggal tidak sah (tulis TTTT-BB-HH).", field(f).0),
                format!("{}: not a valid date (write YYYY-MM-DD).", field(f).1),
            ),
            I::BadRegion => (
                "Kode wilayah tidak sah (mis. 32.79 atau 32.79.01).".into(),
                "Invalid region code (e.g. 32.79 or 32.79.01).".into(),
            ),
            I::ValidityEndsBeforeStart => (
                "Masa berlaku berakhir sebelum dimulai: tanggal berlaku sampai harus sama dengan atau sesudah tanggal berlaku mulai.".into(),
                "The validity ends before it starts: the last day must be on or after the first.".into(),
            ),
            I::SignedAfterValidity => (
                "Tanggal penandatanganan sesudah masa berlaku berakhir.".into(),
                "The signing date is after the end of validity.".into(),
            ),
            I::RenewalNotLater => (
                "Perpanjangan harus memundurkan akhir masa berlaku.".into(),
                "A renewal must move the end of validity later.".into(),
            ),
            I::NoAgencyParty => (
                "Sedikitnya satu pihak harus instansi yang terdaftar di Balai.".into(),
                "At least one party must be an agency registered in Balai.".into(),
            ),
            I::UnknownAgency(id) => (
                format!("Instansi {id} tidak dikenal."),
                format!("Agency {id} is unknown."),
            ),
            I::DuplicateParty => (
                "Pihak yang sama disebut dua kali.".into(),
                "The same party is named twice.".into(),
            ),
            I::NoCommonRegion => (
                "Instansi para pihak tidak berada dalam satu provinsi.".into(),
                "The parties' agencies are not in one province.".into(),
            ),
            I::UnknownAgreement => (
                "Perjanjian kerja sama tidak ditemukan.".into(),
                "The agreement does not exist.".into(),
            ),
            I::ActivityOutsidePeriod => (
                "Tanggal kegiatan di luar masa berlaku perjanjian kerja samanya.".into(),
                "The activity's date is outside its agreement's validity.".into(),
            ),
            I::ActivityOutsideRegion => (
                "Tempat kegiatan di luar wilayah perjanjian kerja samanya.".into(),
                "The activity's place is outside its agreement's region.".into(),
            ),
            I::UnknownClause => (
                "Perjanjian tidak memiliki pasal bernomor itu.".into(),
                "The agreement has no clause with that number.".into(),
            ),
            I::TargetGroup => (
                "Kelompok sasaran tidak dikenal.".into(),
                "Unknown target group.".into(),
            ),
            I::ForumKind => ("Jenis forum tidak dikenal.".into(), "Unknown forum kind.".into()),
            I::Number(f, min, max) => (
                format!("{} harus angka antara {min} dan {max}.", field(f).0),
                format!("{} must be a number from {min} to {max}.", field(f).1),
            ),
            I::EndsBeforeStart => (
                "Tanggal akhir sebelum tanggal mulai.".into(),
                "The end date is before the start date.".into(),
            ),
            I::NoDraft => (
                "Belum ada rancangan notulen untuk disetujui.".into(),
                "There are no draft minutes to approve.".into(),
            ),
            I::AlreadyPublished => (
                "Notulen sudah dipublikasikan dan tidak dapat diubah.".into(),
                "The minutes are published and cannot be changed.".into(),
            ),
            I::DocumentType(_)
            | I::NoChange
            | I::AlreadyEnded
            | I::EndBeforeSigning
            | I::EndAfterValidity
            | I::ActivitiesAfterEnd
            | I::Withdrawn => self.fixed_messages(),
            I::DocumentTooLarge(max) => (
                format!("Berkas terlalu besar: paling besar {}. Tidak ada yang disimpan.", size_words(*max, false)),
                format!("The file is too large: at most {}. Nothing was stored.", size_words(*max, true)),
            ),
        }
    }
}
