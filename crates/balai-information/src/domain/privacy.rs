//! What the PPID may keep out of public view (UU 14/2008 art. 17 and the requester's privacy):
//! the whole request, or only its answers, each with a written reason. A private request leaves
//! the public page, the archive, its search index and every list at once; private answers leave
//! the public record while the request itself stays listed.

/// Which part of a request is kept private.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrivatePart {
    /// The request and everything on it.
    Request,
    /// The answers (the PPID's, the Atasan PPID's and the dispute's outcome) only.
    Answers,
}

impl PrivatePart {
    pub const ALL: [PrivatePart; 2] = [PrivatePart::Request, PrivatePart::Answers];

    pub const fn as_str(self) -> &'static str {
        match self {
            PrivatePart::Request => "request",
            PrivatePart::Answers => "answers",
        }
    }

    /// `request` (also when nothing is named) or `answers`.
    pub fn parse(s: Option<&str>) -> Option<PrivatePart> {
        match s.map(str::trim).unwrap_or("request") {
            "" | "request" => Some(PrivatePart::Request),
            "answers" => Some(PrivatePart::Answers),
            _ => None,
        }
    }

    pub const fn label_id(self) -> &'static str {
        match self {
            PrivatePart::Request => "Seluruh permohonan",
            PrivatePart::Answers => "Jawabannya saja",
        }
    }

    pub const fn label_en(self) -> &'static str {
        match self {
            PrivatePart::Request => "The whole request",
            PrivatePart::Answers => "Its answers only",
        }
    }
}

/// The history steps whose note is an answer (hidden with the answers).
pub fn note_is_answer(action: &str) -> bool {
    matches!(
        action,
        "answer" | "answer_partly" | "refuse" | "answer_objection" | "record_dispute_outcome"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_part_defaults_to_the_whole_request_and_refuses_anything_else() {
        assert_eq!(PrivatePart::parse(None), Some(PrivatePart::Request));
        assert_eq!(
            PrivatePart::parse(Some("answers")),
            Some(PrivatePart::Answers)
        );
        assert_eq!(PrivatePart::parse(Some("jawaban")), None);
        for p in PrivatePart::ALL {
            assert_eq!(PrivatePart::parse(Some(p.as_str())), Some(p));
        }
        assert!(note_is_answer("answer") && !note_is_answer("extend"));
    }
}
