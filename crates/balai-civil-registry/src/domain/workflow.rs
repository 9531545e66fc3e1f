//! The SOP workflow of an application, as a pure state machine.
//!
//! submitted → verification (kelurahan) → needs_correction → (applicant fixes) → submitted …
//! verification → processing (Disdukcapil) → ready → completed; verification/processing →
//! rejected. Work on an application is claimed ("taken") by one officer at a time; only a
//! supervisor can release someone else's claim.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    Submitted,
    Verification,
    NeedsCorrection,
    Processing,
    Ready,
    Completed,
    Rejected,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Submitted,
        Status::Verification,
        Status::NeedsCorrection,
        Status::Processing,
        Status::Ready,
        Status::Completed,
        Status::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::Verification => "verification",
            Status::NeedsCorrection => "needs_correction",
            Status::Processing => "processing",
            Status::Ready => "ready",
            Status::Completed => "completed",
            Status::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label_id(self) -> &'static str {
        match self {
            Status::Submitted => "Diterima, menunggu verifikasi",
            Status::Verification => "Sedang diverifikasi kelurahan",
            Status::NeedsCorrection => "Perlu perbaikan oleh pemohon",
            Status::Processing => "Sedang diproses Disdukcapil",
            Status::Ready => "Dokumen siap (ambil atau unduh)",
            Status::Completed => "Selesai",
            Status::Rejected => "Ditolak",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Status::Submitted => "Received, awaiting verification",
            Status::Verification => "Being verified by the kelurahan",
            Status::NeedsCorrection => "Needs correction by the applicant",
            Status::Processing => "Being processed by Disdukcapil",
            Status::Ready => "Document ready (pickup or download)",
            Status::Completed => "Completed",
            Status::Rejected => "Rejected",
        }
    }

    /// Finished: no deadline runs and no one works on it.
    pub fn is_final(self) -> bool {
        matches!(self, Status::Completed | Status::Rejected)
    }

    /// The service-standard clock stops here: the file waits for the applicant, or is done.
    pub fn stops_clock(self) -> bool {
        matches!(
            self,
            Status::NeedsCorrection | Status::Completed | Status::Rejected
        )
    }

    /// Which office acts at this stage.
    pub fn stage(self) -> Option<Stage> {
        match self {
            Status::Submitted | Status::Verification => Some(Stage::Verification),
            Status::Processing | Status::Ready => Some(Stage::Processing),
            Status::NeedsCorrection | Status::Completed | Status::Rejected => None,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Verification belongs to the kelurahan counter (or Disdukcapil where a kelurahan has no
/// counter in Balai); processing always to Disdukcapil.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Verification,
    Processing,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Claim the application (a submitted one enters verification).
    Take,
    /// Give up one's own claim, or (supervisor) anyone's.
    Release,
    RequestCorrection {
        reason: String,
    },
    /// The applicant sends the fixed application back.
    Resubmit,
    /// Verification passed: hand over to Disdukcapil.
    Approve,
    MarkReady,
    Complete,
    Reject {
        reason: String,
    },
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Action::Take => "take",
            Action::Release => "release",
            Action::RequestCorrection { .. } => "request_correction",
            Action::Resubmit => "resubmit",
            Action::Approve => "approve",
            Action::MarkReady => "mark_ready",
            Action::Complete => "complete",
            Action::Reject { .. } => "reject",
        }
    }

    /// An official's action by its name (the applicant's `resubmit` is not one of them);
    /// `reason` goes with `request_correction` and `reject`.
    pub fn parse_official(name: &str, reason: String) -> Option<Action> {
        Some(match name {
            "take" => Action::Take,
            "release" => Action::Release,
            "request_correction" => Action::RequestCorrection { reason },
            "approve" => Action::Approve,
            "mark_ready" => Action::MarkReady,
            "complete" => Action::Complete,
            "reject" => Action::Reject { reason },
            _ => return None,
        })
    }
}

/// The history entry of a new application (not a workflow action: it starts the workflow).
pub const HISTORY_SUBMIT: &str = "submit";

/// A history entry's action in words, (Indonesian, English), for the officials' page; an unknown
/// name is shown as it is.
pub fn history_label(action: &str) -> (&str, &str) {
    match action {
        HISTORY_SUBMIT => ("Permohonan diajukan", "Application filed"),
        "take" => ("Diambil untuk dikerjakan", "Taken"),
        "release" => ("Dilepaskan", "Released"),
        "request_correction" => ("Dikembalikan untuk perbaikan", "Returned for correction"),
        "resubmit" => (
            "Perbaikan dikirim pemohon",
            "Correction sent by the applicant",
        ),
        "approve" => (
            "Berkas lengkap, diteruskan ke Disdukcapil",
            "Approved, sent to Disdukcapil",
        ),
        "mark_ready" => ("Dokumen siap", "Document ready"),
        "complete" => ("Diserahkan (selesai)", "Handed over (completed)"),
        "reject" => ("Ditolak", "Rejected"),
        other => (other, other),
    }
}

/// Who is acting: an official (by user id) or the applicant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    Official { user_id: i64, supervisor: bool },
    Applicant,
}

/// The part of an application the workflow looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorkState {
    pub status: Status,
    pub assignee: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    #[error("Tindakan ini tidak dapat dilakukan pada permohonan berstatus \"{}\".", .0.label_id())]
    NotAllowed(Status),
    #[error("Permohonan ini sedang dikerjakan petugas lain.")]
    TakenByOther,
    #[error("Ambil permohonan ini terlebih dahulu sebelum memprosesnya.")]
    NotTaken,
    #[error("Hanya supervisor yang dapat melepas permohonan yang diambil petugas lain.")]
    SupervisorOnly,
    #[error("Alasan wajib diisi.")]
    ReasonRequired,
}

impl WorkflowError {
    pub fn code(&self) -> &'static str {
        match self {
            WorkflowError::NotAllowed(_) => "transition_not_allowed",
            WorkflowError::TakenByOther => "taken_by_other",
            WorkflowError::NotTaken => "not_taken",
            WorkflowError::SupervisorOnly => "supervisor_only",
            WorkflowError::ReasonRequired => "reason_required",
        }
    }

    pub fn message_en(&self) -> String {
        match self {
            WorkflowError::NotAllowed(s) => format!(
                "This action is not possible for an application in status \"{}\".",
                s.label_en()
            ),
            WorkflowError::TakenByOther => "Another officer is working on this application.".into(),
            WorkflowError::NotTaken => "Take this application before working on it.".into(),
            WorkflowError::SupervisorOnly => {
                "Only a supervisor can release an application another officer has taken.".into()
            }
            WorkflowError::ReasonRequired => "A reason is required.".into(),
        }
    }
}

/// An official (user id, supervisor) or nobody (the applicant).
type Official = Option<(i64, bool)>;

/// Claim an application: a submitted one enters verification, one in processing stays there.
fn take(state: WorkState, official: Official) -> Result<WorkState, WorkflowError> {
    use Status::*;
    let not_allowed = || Err(WorkflowError::NotAllowed(state.status));
    let Some((me, _)) = official else {
        return not_allowed();
    };
    match state.assignee {
        Some(a) if a != me => return Err(WorkflowError::TakenByOther),
        _ => {}
    }
    match state.status {
        Submitted | Verification => Ok(WorkState {
            status: Verification,
            assignee: Some(me),
        }),
        Processing => Ok(WorkState {
            status: Processing,
            assignee: Some(me),
        }),
        _ => not_allowed(),
    }
}

/// Give up a claim: one's own, or (supervisor) anyone's.
fn release(state: WorkState, official: Official) -> Result<WorkState, WorkflowError> {
    use Status::*;
    let not_allowed = || Err(WorkflowError::NotAllowed(state.status));
    let Some((me, supervisor)) = official else {
        return not_allowed();
    };
    if !matches!(state.status, Verification | Processing) {
        return not_allowed();
    }
    match state.assignee {
        None => not_allowed(),
        Some(a) if a != me && !supervisor => Err(WorkflowError::SupervisorOnly),
        Some(_) => Ok(WorkState {
            status: state.status,
            assignee: None,
        }),
    }
}

/// The state after `action`, or why it is refused.
pub fn apply(state: WorkState, action: &Action, by: By) -> Result<WorkState, WorkflowError> {
    use Status::*;
    let not_allowed = || Err(WorkflowError::NotAllowed(state.status));
    let official: Official = match by {
        By::Official {
            user_id,
            supervisor,
        } => Some((user_id, supervisor)),
        By::Applicant => None,
    };
    // Actions that need the actor to hold the claim.
    let must_hold = |next: Status, keep: bool| -> Result<WorkState, WorkflowError> {
        let Some((me, _)) = official else {
            return Err(WorkflowError::NotAllowed(state.status));
        };
        match state.assignee {
            Some(a) if a == me => Ok(WorkState {
                status: next,
                assignee: if keep { Some(me) } else { None },
            }),
            Some(_) => Err(WorkflowError::TakenByOther),
            None => Err(WorkflowError::NotTaken),
        }
    };
    match action {
        Action::Resubmit => match (by, state.status) {
            (By::Applicant, NeedsCorrection) => Ok(WorkState {
                status: Submitted,
                assignee: None,
            }),
            _ => not_allowed(),
        },
        Action::Take => take(state, official),
        Action::Release => release(state, official),
        Action::RequestCorrection { reason } => {
            if state.status != Verification {
                return not_allowed();
            }
            if reason.trim().is_empty() {
                return Err(WorkflowError::ReasonRequired);
            }
            must_hold(NeedsCorrection, false)
        }
        Action::Approve => {
            if state.status != Verification {
                return not_allowed();
            }
            must_hold(Processing, false)
        }
        Action::MarkReady => {
            if state.status != Processing {
                return not_allowed();
            }
            must_hold(Ready, false)
        }
        Action::Complete => {
            // Handing the document over needs no claim: whoever is at the counter does it.
            if state.status != Ready || official.is_none() {
                return not_allowed();
            }
            Ok(WorkState {
                status: Completed,
                assignee: None,
            })
        }
        Action::Reject { reason } => {
            if !matches!(state.status, Verification | Processing) {
                return not_allowed();
            }
            if reason.trim().is_empty() {
                return Err(WorkflowError::ReasonRequired);
            }
            must_hold(Rejected, false)
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const ME: By = By::Official {
        user_id: 1,
        supervisor: false,
    };
    const OTHER: By = By::Official {
        user_id: 2,
        supervisor: false,
    };
    const BOSS: By = By::Official {
        user_id: 9,
        supervisor: true,
    };

    fn st(status: Status, assignee: Option<i64>) -> WorkState {
        WorkState { status, assignee }
    }

    fn reason() -> String {
        "Foto KK buram".into()
    }

    #[test]
    fn happy_path_with_correction() {
        let s = st(Status::Submitted, None);
        let s = apply(s, &Action::Take, ME).unwrap();
        assert_eq!(s, st(Status::Verification, Some(1)));
        let s = apply(s, &Action::RequestCorrection { reason: reason() }, ME).unwrap();
        assert_eq!(s, st(Status::NeedsCorrection, None));
        let s = apply(s, &Action::Resubmit, By::Applicant).unwrap();
        assert_eq!(s, st(Status::Submitted, None));
        let s = apply(s, &Action::Take, ME).unwrap();
        let s = apply(s, &Action::Approve, ME).unwrap();
        assert_eq!(s, st(Status::Processing, None));
        let s = apply(s, &Action::Take, OTHER).unwrap();
        assert_eq!(s, st(Status::Processing, Some(2)));
        let s = apply(s, &Action::MarkReady, OTHER).unwrap();
        assert_eq!(s, st(Status::Ready, None));
        let s = apply(s, &Action::Complete, ME).unwrap();
        assert_eq!(s, st(Status::Completed, None));
    }

    #[test]
    fn reject_from_verification_and_processing() {
        for status in [Status::Verification, Status::Processing] {
            let s = apply(
                st(status, Some(1)),
                &Action::Reject { reason: reason() },
                ME,
            )
            .unwrap();
            assert_eq!(s, st(Status::Rejected, None));
        }
        assert_eq!(
            apply(
                st(Status::Verification, Some(1)),
                &Action::Reject {
                    reason: "  ".into()
                },
                ME
            ),
            Err(WorkflowError::ReasonRequired)
        );
        assert_eq!(
            apply(
                st(Status::Verification, Some(1)),
                &Action::RequestCorrection {
                    reason: String::new()
                },
                ME
            ),
            Err(WorkflowError::ReasonRequired)
        );
    }

    #[test]
    fn two_officers_never_hold_the_same_application() {
        let s = apply(st(Status::Submitted, None), &Action::Take, ME).unwrap();
        assert_eq!(
            apply(s, &Action::Take, OTHER),
            Err(WorkflowError::TakenByOther)
        );
        assert_eq!(
            apply(s, &Action::Approve, OTHER),
            Err(WorkflowError::TakenByOther)
        );
        assert_eq!(
            apply(s, &Action::Reject { reason: reason() }, OTHER),
            Err(WorkflowError::TakenByOther)
        );
        // Taking again what one already holds is harmless.
        assert_eq!(apply(s, &Action::Take, ME), Ok(s));
    }

    #[test]
    fn release_rules() {
        let held = st(Status::Processing, Some(1));
        assert_eq!(
            apply(held, &Action::Release, OTHER),
            Err(WorkflowError::SupervisorOnly)
        );
        assert_eq!(
            apply(held, &Action::Release, ME),
            Ok(st(Status::Processing, None))
        );
        assert_eq!(
            apply(held, &Action::Release, BOSS),
            Ok(st(Status::Processing, None))
        );
        assert_eq!(
            apply(st(Status::Processing, None), &Action::Release, BOSS),
            Err(WorkflowError::NotAllowed(Status::Processing))
        );
        assert!(apply(held, &Action::Release, By::Applicant).is_err());
        // After release another officer can take it.
        let freed = apply(st(Status::Verification, Some(1)), &Action::Release, BOSS).unwrap();
        assert_eq!(
            apply(freed, &Action::Take, OTHER),
            Ok(st(Status::Verification, Some(2)))
        );
    }

    #[test]
    fn work_needs_a_claim() {
        for (status, action) in [
            (Status::Verification, Action::Approve),
            (Status::Processing, Action::MarkReady),
            (
                Status::Verification,
                Action::RequestCorrection { reason: reason() },
            ),
            (Status::Processing, Action::Reject { reason: reason() }),
        ] {
            assert_eq!(
                apply(st(status, None), &action, ME),
                Err(WorkflowError::NotTaken)
            );
        }
    }

    #[test]
    fn illegal_transitions() {
        use Status::*;
        let legal: &[(Status, &str)] = &[
            (Submitted, "take"),
            (Verification, "take"),
            (Processing, "take"),
            (Verification, "release"),
            (Processing, "release"),
            (Verification, "request_correction"),
            (Verification, "approve"),
            (Verification, "reject"),
            (Processing, "reject"),
            (Processing, "mark_ready"),
            (Ready, "complete"),
            (NeedsCorrection, "resubmit"),
        ];
        let actions = [
            Action::Take,
            Action::Release,
            Action::RequestCorrection { reason: reason() },
            Action::Resubmit,
            Action::Approve,
            Action::MarkReady,
            Action::Complete,
            Action::Reject { reason: reason() },
        ];
        for status in Status::ALL {
            for a in &actions {
                let by = if *a == Action::Resubmit {
                    By::Applicant
                } else {
                    ME
                };
                let r = apply(st(status, Some(1)), a, by);
                let expected = legal.contains(&(status, a.name()));
                assert_eq!(r.is_ok(), expected, "{status} {}", a.name());
                if !expected {
                    assert_eq!(r, Err(WorkflowError::NotAllowed(status)));
                }
            }
        }
        // Officials cannot resubmit for the applicant, applicants cannot work the queue.
        assert!(apply(st(NeedsCorrection, None), &Action::Resubmit, ME).is_err());
        assert!(apply(st(Submitted, None), &Action::Take, By::Applicant).is_err());
        assert!(apply(st(Ready, None), &Action::Complete, By::Applicant).is_err());
    }

    #[test]
    fn statuses_round_trip_and_stages() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert_eq!(Status::Submitted.stage(), Some(Stage::Verification));
        assert_eq!(Status::Ready.stage(), Some(Stage::Processing));
        assert!(Status::Rejected.is_final());
        assert!(WorkflowError::NotAllowed(Status::Ready)
            .to_string()
            .contains("Dokumen siap"));
    }
}
