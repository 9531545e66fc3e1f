//! The states of an information request and what each action does to them.

/// Where a request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// Received; the PPID's answer is due.
    Received,
    /// Received, the answer's deadline extended once.
    Extended,
    /// Granted in full.
    Answered,
    /// Granted in part; the withheld part names an exemption.
    AnsweredPartly,
    /// Refused on an art. 17 exemption.
    Refused,
    /// The requester objected to the Atasan PPID.
    Objected,
    /// The Atasan PPID answered the objection.
    ObjectionAnswered,
    /// Taken to the Komisi Informasi.
    Disputed,
    /// The Komisi Informasi decided (recorded).
    DisputeDecided,
}

impl Status {
    pub const ALL: [Status; 9] = [
        Status::Received,
        Status::Extended,
        Status::Answered,
        Status::AnsweredPartly,
        Status::Refused,
        Status::Objected,
        Status::ObjectionAnswered,
        Status::Disputed,
        Status::DisputeDecided,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::Extended => "extended",
            Status::Answered => "answered",
            Status::AnsweredPartly => "answered_partly",
            Status::Refused => "refused",
            Status::Objected => "objected",
            Status::ObjectionAnswered => "objection_answered",
            Status::Disputed => "disputed",
            Status::DisputeDecided => "dispute_decided",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub const fn label_id(self) -> &'static str {
        match self {
            Status::Received => "Diterima, menunggu jawaban",
            Status::Extended => "Diperpanjang, menunggu jawaban",
            Status::Answered => "Dijawab, informasi diberikan",
            Status::AnsweredPartly => "Dijawab, informasi diberikan sebagian",
            Status::Refused => "Ditolak",
            Status::Objected => "Keberatan kepada Atasan PPID",
            Status::ObjectionAnswered => "Keberatan sudah ditanggapi",
            Status::Disputed => "Sengketa di Komisi Informasi",
            Status::DisputeDecided => "Sengketa sudah diputus",
        }
    }

    pub const fn label_en(self) -> &'static str {
        match self {
            Status::Received => "Received, awaiting the answer",
            Status::Extended => "Extended, awaiting the answer",
            Status::Answered => "Answered, information given",
            Status::AnsweredPartly => "Answered, information given in part",
            Status::Refused => "Refused",
            Status::Objected => "Objection to the PPID's superior",
            Status::ObjectionAnswered => "Objection answered",
            Status::Disputed => "Dispute at the Information Commission",
            Status::DisputeDecided => "Dispute decided",
        }
    }

    /// Waiting for the PPID's answer (the answer clock runs).
    pub const fn awaits_answer(self) -> bool {
        matches!(self, Status::Received | Status::Extended)
    }

    /// The PPID has answered (the objection window runs from the answer).
    pub const fn answered(self) -> bool {
        matches!(
            self,
            Status::Answered | Status::AnsweredPartly | Status::Refused
        )
    }
}

/// What someone does to a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    // The PPID's officers.
    Extend,
    Answer,
    AnswerPartly,
    Refuse,
    Transfer,
    Clarify,
    // The Atasan PPID.
    AnswerObjection,
    RecordDisputeOutcome,
    // The requester.
    Object,
    Dispute,
    Rate,
}

impl Action {
    /// The actions an official posts to the actions API.
    pub const OFFICIAL: [Action; 8] = [
        Action::Extend,
        Action::Answer,
        Action::AnswerPartly,
        Action::Refuse,
        Action::Transfer,
        Action::Clarify,
        Action::AnswerObjection,
        Action::RecordDisputeOutcome,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Action::Extend => "extend",
            Action::Answer => "answer",
            Action::AnswerPartly => "answer_partly",
            Action::Refuse => "refuse",
            Action::Transfer => "transfer",
            Action::Clarify => "clarify",
            Action::AnswerObjection => "answer_objection",
            Action::RecordDisputeOutcome => "record_dispute_outcome",
            Action::Object => "object",
            Action::Dispute => "dispute",
            Action::Rate => "rate",
        }
    }

    pub fn parse_official(s: &str) -> Option<Action> {
        Action::OFFICIAL
            .into_iter()
            .find(|a| a.as_str() == s.trim())
    }

    pub const fn label_id(self) -> &'static str {
        match self {
            Action::Extend => "Perpanjangan waktu",
            Action::Answer => "Jawaban",
            Action::AnswerPartly => "Jawaban sebagian",
            Action::Refuse => "Penolakan",
            Action::Transfer => "Diteruskan ke badan publik lain",
            Action::Clarify => "Permintaan penjelasan",
            Action::AnswerObjection => "Tanggapan atas keberatan",
            Action::RecordDisputeOutcome => "Putusan Komisi Informasi",
            Action::Object => "Keberatan",
            Action::Dispute => "Sengketa ke Komisi Informasi",
            Action::Rate => "Penilaian pemohon",
        }
    }

    pub const fn label_en(self) -> &'static str {
        match self {
            Action::Extend => "Extension",
            Action::Answer => "Answer",
            Action::AnswerPartly => "Partial answer",
            Action::Refuse => "Refusal",
            Action::Transfer => "Transferred to another public body",
            Action::Clarify => "Request for clarification",
            Action::AnswerObjection => "Answer to the objection",
            Action::RecordDisputeOutcome => "Information Commission decision",
            Action::Object => "Objection",
            Action::Dispute => "Dispute at the Information Commission",
            Action::Rate => "Requester's rating",
        }
    }
}

/// The state after an action, or `None` if the action does not apply in this state. Clocks and
/// windows (an extension after the due day, an objection too late) are checked beside this, in
/// [`super::clocks`].
pub fn next(from: Status, action: Action) -> Option<Status> {
    use Action as A;
    use Status as S;
    Some(match (from, action) {
        (S::Received, A::Extend) => S::Extended,
        (S::Received | S::Extended, A::Answer) => S::Answered,
        (S::Received | S::Extended, A::AnswerPartly) => S::AnsweredPartly,
        (S::Received | S::Extended, A::Refuse) => S::Refused,
        // A transferred request starts again at the agency that holds the information.
        (S::Received | S::Extended, A::Transfer) => S::Received,
        (s @ (S::Received | S::Extended), A::Clarify) => s,
        // Unanswered requests may be objected to once their due day has passed.
        (S::Received | S::Extended | S::Answered | S::AnsweredPartly | S::Refused, A::Object) => {
            S::Objected
        }
        (S::Objected, A::AnswerObjection) => S::ObjectionAnswered,
        (S::Objected | S::ObjectionAnswered, A::Dispute) => S::Disputed,
        (S::Disputed, A::RecordDisputeOutcome) => S::DisputeDecided,
        (s, A::Rate) if s.answered() || matches!(s, S::ObjectionAnswered | S::DisputeDecided) => s,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        for a in Action::OFFICIAL {
            assert_eq!(Action::parse_official(a.as_str()), Some(a));
        }
        assert_eq!(Action::parse_official("object"), None);
    }

    #[test]
    fn extension_only_from_received_and_answers_only_while_open() {
        assert_eq!(
            next(Status::Received, Action::Extend),
            Some(Status::Extended)
        );
        assert_eq!(next(Status::Extended, Action::Extend), None);
        assert_eq!(
            next(Status::Extended, Action::Answer),
            Some(Status::Answered)
        );
        assert_eq!(next(Status::Answered, Action::Answer), None);
        assert_eq!(next(Status::Refused, Action::Transfer), None);
        assert_eq!(
            next(Status::Extended, Action::Transfer),
            Some(Status::Received)
        );
        assert_eq!(
            next(Status::Refused, Action::Object),
            Some(Status::Objected)
        );
        assert_eq!(next(Status::Objected, Action::Object), None);
        assert_eq!(next(Status::Answered, Action::Dispute), None);
        assert_eq!(
            next(Status::ObjectionAnswered, Action::Dispute),
            Some(Status::Disputed)
        );
        assert_eq!(next(Status::Received, Action::Rate), None);
        assert_eq!(next(Status::Answered, Action::Rate), Some(Status::Answered));
    }
}
