//! The kinds of a report's timeline entries (`complaint_events.kind`); the tracking page and
//! the officials' page show them.

use super::status::Action;

pub const SUBMITTED: &str = "submitted";
pub const MORE_INFO_REQUESTED: &str = "more_info_requested";
pub const REPORTER_REPLY: &str = "reporter_reply";
pub const CLASSIFIED: &str = "classified";
pub const ESCALATED: &str = "escalated";

/// An entry only officials see, with the audit action it goes with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Internal {
    Note,
    Assigned,
    Hidden,
    Redacted,
    PhotoHidden,
}

impl Internal {
    pub fn kind(self) -> &'static str {
        match self {
            Internal::Note => "note",
            Internal::Assigned => "assigned",
            Internal::Hidden => "hidden",
            Internal::Redacted => "redacted",
            Internal::PhotoHidden => "photo_hidden",
        }
    }

    pub fn audit_action(self) -> &'static str {
        use super::audit;
        match self {
            Internal::Note => audit::NOTE_ADDED,
            Internal::Assigned => audit::ASSIGNED,
            Internal::Hidden => audit::HIDDEN,
            Internal::Redacted => audit::REDACTED,
            Internal::PhotoHidden => audit::PHOTO_HIDDEN,
        }
    }
}

/// The timeline kind of a status change.
pub fn for_action(a: Action) -> &'static str {
    match a {
        Action::Dispatch => "dispatched",
        Action::StartFollowUp => "follow_up_started",
        Action::Answer => "answered",
        Action::ConfirmResolved => "confirmed_resolved",
        Action::AutoClose => "auto_closed",
        Action::Reopen => "reopened",
        Action::Reject => "rejected",
        Action::Reroute => "rerouted",
        Action::MarkDuplicate => "merged_as_duplicate",
    }
}

/// A timeline kind in words, (Indonesian, English), for the officials' history; an unknown kind
/// is shown as it is.
pub fn kind_label(kind: &str) -> (&str, &str) {
    match kind {
        SUBMITTED => ("Laporan diterima", "Report received"),
        MORE_INFO_REQUESTED => ("Keterangan tambahan diminta", "More information requested"),
        REPORTER_REPLY => ("Balasan pelapor", "Reporter's reply"),
        CLASSIFIED => ("Diklasifikasikan", "Classified"),
        ESCALATED => ("Dieskalasi ke atasan", "Escalated to the supervisor"),
        "note" => ("Catatan internal", "Internal note"),
        "assigned" => ("Penugasan", "Assignment"),
        "hidden" => ("Disembunyikan dari publik", "Hidden from the public"),
        "redacted" => ("Data pribadi disamarkan", "Personal data redacted"),
        "photo_hidden" => ("Foto disembunyikan", "Photo hidden"),
        "dispatched" => ("Diverifikasi dan diteruskan", "Verified and dispatched"),
        "follow_up_started" => ("Tindak lanjut dimulai", "Follow-up started"),
        "answered" => ("Dijawab", "Answered"),
        "confirmed_resolved" => (
            "Pelapor menyatakan selesai",
            "Reporter confirmed it resolved",
        ),
        "auto_closed" => ("Ditutup otomatis", "Closed automatically"),
        "reopened" => ("Dibuka kembali", "Reopened"),
        "rejected" => ("Ditolak", "Rejected"),
        "rerouted" => ("Dialihkan ke instansi lain", "Re-routed to another agency"),
        "merged_as_duplicate" => ("Digabung sebagai duplikat", "Merged as a duplicate"),
        other => (other, other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_words() {
        let mut kinds = vec![
            SUBMITTED,
            MORE_INFO_REQUESTED,
            REPORTER_REPLY,
            CLASSIFIED,
            ESCALATED,
        ];
        for i in [
            Internal::Note,
            Internal::Assigned,
            Internal::Hidden,
            Internal::Redacted,
            Internal::PhotoHidden,
        ] {
            kinds.push(i.kind());
        }
        for a in [
            Action::Dispatch,
            Action::StartFollowUp,
            Action::Answer,
            Action::ConfirmResolved,
            Action::AutoClose,
            Action::Reopen,
            Action::Reject,
            Action::Reroute,
            Action::MarkDuplicate,
        ] {
            kinds.push(for_action(a));
        }
        for k in kinds {
            let (id, en) = kind_label(k);
            assert!(id != k && en != k && !id.contains('_'), "{k}");
        }
    }

    #[test]
    fn internal_entries_audit_as_before() {
        for i in [
            Internal::Note,
            Internal::Assigned,
            Internal::Hidden,
            Internal::Redacted,
            Internal::PhotoHidden,
        ] {
            assert_eq!(i.audit_action(), format!("complaint.{}", i.kind()));
        }
    }
}
