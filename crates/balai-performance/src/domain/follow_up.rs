//! The follow-up plan of a survey (PermenPANRB 14/2017 asks each unit to act on its lowest
//! elements and report what it did): per action, what will be done, who owns it, by when, its
//! status and a note of progress. Shown publicly on the unit's report page.

use time::Date;

use super::elements::COUNT;

/// Longest plan or progress note, in characters.
pub const MAX_TEXT: usize = 500;
/// Longest owner (a post or section, not a person's NIK), in characters.
pub const MAX_OWNER: usize = 120;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Planned,
    InProgress,
    Done,
    Dropped,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Planned,
        Status::InProgress,
        Status::Done,
        Status::Dropped,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Planned => "planned",
            Status::InProgress => "in_progress",
            Status::Done => "done",
            Status::Dropped => "dropped",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    pub const fn label(self, en: bool) -> &'static str {
        match (self, en) {
            (Status::Planned, false) => "Direncanakan",
            (Status::Planned, true) => "Planned",
            (Status::InProgress, false) => "Sedang berjalan",
            (Status::InProgress, true) => "In progress",
            (Status::Done, false) => "Selesai",
            (Status::Done, true) => "Done",
            (Status::Dropped, false) => "Dibatalkan",
            (Status::Dropped, true) => "Dropped",
        }
    }
}

/// What the unit writes about an action, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Action {
    pub plan: String,
    pub owner: String,
    pub due_on: Option<Date>,
    pub status: Status,
    pub progress: String,
}

/// Why an action was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionError {
    Element,
    Plan,
    Owner,
    Progress,
    Status,
    Due,
}

impl ActionError {
    pub const fn message(self, en: bool) -> &'static str {
        match (self, en) {
            (ActionError::Element, false) => "unsur harus 1 sampai 9",
            (ActionError::Element, true) => "the element must be 1 to 9",
            (ActionError::Plan, false) => "tindakan wajib diisi, paling panjang 500 karakter",
            (ActionError::Plan, true) => "the action is required, at most 500 characters",
            (ActionError::Owner, false) => {
                "penanggung jawab wajib diisi, satu baris, paling panjang 120 karakter"
            }
            (ActionError::Owner, true) => "the owner is required, one line, at most 120 characters",
            (ActionError::Progress, false) => "catatan kemajuan paling panjang 500 karakter",
            (ActionError::Progress, true) => "the progress note has at most 500 characters",
            (ActionError::Status, false) => "status harus planned, in_progress, done atau dropped",
            (ActionError::Status, true) => {
                "the status must be planned, in_progress, done or dropped"
            }
            (ActionError::Due, false) => "tenggat berbentuk TTTT-BB-HH",
            (ActionError::Due, true) => "the due date is YYYY-MM-DD",
        }
    }
}

/// A text as given: at most `max` characters as sent, trimmed, line ends as `\n`, not blank if
/// required.
fn text(s: &str, max: usize, required: bool) -> Option<String> {
    if s.chars().count() > max {
        return None;
    }
    let s = s.trim().replace("\r\n", "\n");
    let n = s.chars().count();
    (n <= max && (n > 0 || !required)).then_some(s)
}

/// An element number 1–9.
pub fn element(n: i64) -> Result<usize, ActionError> {
    usize::try_from(n)
        .ok()
        .filter(|e| (1..=COUNT).contains(e))
        .ok_or(ActionError::Element)
}

impl Action {
    pub fn parse(
        plan: &str,
        owner: &str,
        due_on: Option<Date>,
        status: &str,
        progress: &str,
    ) -> Result<Action, ActionError> {
        Ok(Action {
            plan: text(plan, MAX_TEXT, true).ok_or(ActionError::Plan)?,
            owner: text(owner, MAX_OWNER, true)
                .filter(|o| !o.contains('\n'))
                .ok_or(ActionError::Owner)?,
            due_on,
            status: if status.trim().is_empty() {
                Status::Planned
            } else {
                Status::parse(status).ok_or(ActionError::Status)?
            },
            progress: text(progress, MAX_TEXT, false).ok_or(ActionError::Progress)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions() {
        let a = Action::parse(" Tambah kursi ", "Kepala seksi", None, "", "").unwrap();
        assert_eq!(
            (a.plan.as_str(), a.status),
            ("Tambah kursi", Status::Planned)
        );
        assert_eq!(Action::parse("", "x", None, "", ""), Err(ActionError::Plan));
        assert_eq!(
            Action::parse("x", " ", None, "", ""),
            Err(ActionError::Owner)
        );
        assert_eq!(
            Action::parse("x", "a\nb", None, "", ""),
            Err(ActionError::Owner)
        );
        assert_eq!(
            Action::parse("x", "y", None, "finished", ""),
            Err(ActionError::Status)
        );
        assert_eq!(
            Action::parse("x", "y", None, "done", &"p".repeat(501)),
            Err(ActionError::Progress)
        );
        assert_eq!((element(0), element(9)), (Err(ActionError::Element), Ok(9)));
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
    }
}
