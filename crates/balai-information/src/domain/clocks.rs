//! The legal clocks of an information request (UU 14/2008 arts. 22, 35–37; Perki 1/2021), all
//! counted in working days on the holiday calendar (`balai_core::calendar`). Running clocks are
//! rows in `clocks` (subject kind [`SUBJECT_KIND`]), so an edit of the calendar moves their due
//! days; the functions here are the same rules for a given calendar, used to decide and tested
//! across weekends and holidays.

use balai_core::calendar::Calendar;
use time::Date;

/// `clocks.subject_kind` of a request's clocks (the subject id is the request id).
pub const SUBJECT_KIND: &str = "info_request";

/// The default clocks, UU 14/2008's (each article beside it); `[information]` in the
/// configuration changes them ([`KipClocks`], checked at startup).
/// The written answer is due on the 10th working day after the day the request arrived
/// (art. 22(7)).
pub const ANSWER_WORKING_DAYS: u32 = 10;
/// One extension of at most 7 working days, with written reasons (art. 22(8)).
pub const EXTENSION_WORKING_DAYS: u32 = 7;
/// An objection to the Atasan PPID within 30 working days of the answer or of the missed
/// deadline (art. 36(1)).
pub const OBJECTION_WINDOW_WORKING_DAYS: u32 = 30;
/// The Atasan PPID answers the objection within 30 working days (art. 36(2)).
pub const OBJECTION_ANSWER_WORKING_DAYS: u32 = 30;
/// A dispute at the Komisi Informasi within 14 working days of the objection's answer (or of
/// its missed deadline) (art. 37(2)).
pub const DISPUTE_WINDOW_WORKING_DAYS: u32 = 14;

/// The working days of each clock, `[information]` in the configuration file (or
/// `BALAI_INFORMATION__…`); the defaults are the law's (the constants above).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KipClocks {
    /// Art. 22(7): 10.
    pub answer_working_days: u32,
    /// Art. 22(8): 7.
    pub extension_working_days: u32,
    /// Art. 36(1): 30.
    pub objection_window_working_days: u32,
    /// Art. 36(2): 30.
    pub objection_answer_working_days: u32,
    /// Art. 37(2): 14.
    pub dispute_window_working_days: u32,
}

impl Default for KipClocks {
    fn default() -> Self {
        KipClocks {
            answer_working_days: ANSWER_WORKING_DAYS,
            extension_working_days: EXTENSION_WORKING_DAYS,
            objection_window_working_days: OBJECTION_WINDOW_WORKING_DAYS,
            objection_answer_working_days: OBJECTION_ANSWER_WORKING_DAYS,
            dispute_window_working_days: DISPUTE_WINDOW_WORKING_DAYS,
        }
    }
}

/// No clock may be shorter than a day, nor longer than a working year.
pub const MAX_WORKING_DAYS: u32 = 250;

impl KipClocks {
    /// Every clock with its name, for the checks.
    fn all(&self) -> [(&'static str, u32); 5] {
        [
            ("answer_working_days", self.answer_working_days),
            ("extension_working_days", self.extension_working_days),
            (
                "objection_window_working_days",
                self.objection_window_working_days,
            ),
            (
                "objection_answer_working_days",
                self.objection_answer_working_days,
            ),
            (
                "dispute_window_working_days",
                self.dispute_window_working_days,
            ),
        ]
    }

    /// Each clock 1–250 working days: the first one out of range, by name.
    pub fn check(&self) -> Result<(), String> {
        match self
            .all()
            .into_iter()
            .find(|(_, n)| !(1..=MAX_WORKING_DAYS).contains(n))
        {
            Some((name, n)) => Err(format!(
                "information: {name} = {n}, must be 1–{MAX_WORKING_DAYS} working days"
            )),
            None => Ok(()),
        }
    }

    /// The length of the answer clock counted from the day of receipt.
    pub const fn answer_working_days(&self, extended: bool) -> u32 {
        if extended {
            self.answer_working_days + self.extension_working_days
        } else {
            self.answer_working_days
        }
    }

    /// The day the answer is due.
    pub fn answer_due(&self, cal: &Calendar, received: Date, extended: bool) -> Date {
        cal.add_working_days(received, self.answer_working_days(extended))
    }

    /// The last day to object, if the window is open or has been.
    pub fn objection_deadline(&self, cal: &Calendar, start: Date) -> Date {
        cal.add_working_days(start, self.objection_window_working_days)
    }

    /// The day the Atasan PPID's answer to an objection filed on `objected` is due.
    pub fn objection_answer_due(&self, cal: &Calendar, objected: Date) -> Date {
        cal.add_working_days(objected, self.objection_answer_working_days)
    }

    /// The last day to take the dispute to the Komisi Informasi.
    pub fn dispute_deadline(&self, cal: &Calendar, start: Date) -> Date {
        cal.add_working_days(start, self.dispute_window_working_days)
    }
}

/// One clock a request can be under (`clocks.purpose`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// From receipt to the written answer (10 working days, 17 once extended).
    Answer,
    /// From the objection to the Atasan PPID's answer.
    ObjectionAnswer,
}

impl Clock {
    pub const fn as_str(self) -> &'static str {
        match self {
            Clock::Answer => "answer",
            Clock::ObjectionAnswer => "objection_answer",
        }
    }
}

/// Why an extension is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExtensionRefused {
    /// The request was extended already (the law allows one).
    AlreadyExtended,
    /// The due day has passed: an extension must be given before it.
    AfterDueDay,
}

/// May the answer be extended today? Once, and no later than the due day.
pub fn may_extend(today: Date, due: Date, extended: bool) -> Result<(), ExtensionRefused> {
    if extended {
        return Err(ExtensionRefused::AlreadyExtended);
    }
    if today > due {
        return Err(ExtensionRefused::AfterDueDay);
    }
    Ok(())
}

/// Where the objection window starts: the day of the answer, or the due day if it passed
/// without one. `None` while the PPID may still answer in time.
pub fn objection_window_start(today: Date, due: Date, answered_on: Option<Date>) -> Option<Date> {
    match answered_on {
        Some(day) => Some(day),
        None if today > due => Some(due),
        None => None,
    }
}

/// Where the dispute window starts: the objection's answer, or its due day once passed.
pub fn dispute_window_start(today: Date, due: Date, answered_on: Option<Date>) -> Option<Date> {
    objection_window_start(today, due, answered_on)
}

/// Is `today` inside a window that starts on `start` and ends on `deadline` (both inclusive)?
pub fn within(today: Date, start: Date, deadline: Date) -> bool {
    start <= today && today <= deadline
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer_due(cal: &Calendar, received: Date, extended: bool) -> Date {
        KipClocks::default().answer_due(cal, received, extended)
    }
    fn objection_deadline(cal: &Calendar, start: Date) -> Date {
        KipClocks::default().objection_deadline(cal, start)
    }
    fn objection_answer_due(cal: &Calendar, objected: Date) -> Date {
        KipClocks::default().objection_answer_due(cal, objected)
    }
    fn dispute_deadline(cal: &Calendar, start: Date) -> Date {
        KipClocks::default().dispute_deadline(cal, start)
    }

    #[test]
    fn the_defaults_are_the_law_and_bad_clocks_are_named() {
        let k = KipClocks::default();
        assert_eq!(k.answer_working_days(false), 10);
        assert_eq!(k.answer_working_days(true), 17);
        assert!(k.check().is_ok());
        let zero = KipClocks {
            objection_answer_working_days: 0,
            ..k
        };
        assert_eq!(
            zero.check().unwrap_err(),
            "information: objection_answer_working_days = 0, must be 1–250 working days"
        );
    }
    use time::macros::date;

    fn shipped() -> Calendar {
        Calendar::new(
            balai_core::calendar::shipped_holidays()
                .unwrap()
                .into_iter()
                .map(|h| h.day),
        )
    }

    #[test]
    fn the_answer_is_due_on_the_tenth_working_day_after_receipt() {
        let cal = Calendar::default();
        // Monday 2 June 2025: days 1–5 are 3–6 June and 9 June, day 10 is Monday 16 June.
        assert_eq!(
            answer_due(&cal, date!(2025 - 06 - 02), false),
            date!(2025 - 06 - 16)
        );
        // Arriving on a Saturday: Monday is the first working day, the 10th is Friday 13 June.
        assert_eq!(
            answer_due(&cal, date!(2025 - 05 - 31), false),
            date!(2025 - 06 - 13)
        );
        // Extended: 7 more working days, Wednesday 25 June.
        assert_eq!(
            answer_due(&cal, date!(2025 - 06 - 02), true),
            date!(2025 - 06 - 25)
        );
    }

    #[test]
    fn holidays_and_cuti_bersama_do_not_count() {
        let cal = shipped();
        // Received Friday 5 April 2024; 8–12 and 15 April are Idul Fitri and cuti bersama.
        // Working days: 16, 17, 18, 19, 22, 23, 24, 25, 26, 29 April.
        assert_eq!(
            answer_due(&cal, date!(2024 - 04 - 05), false),
            date!(2024 - 04 - 29)
        );
        // Pilkada day 27 November 2024 is a holiday: received Monday 25 November, the 10th
        // working day is Tuesday 10 December, not Monday 9 December.
        assert_eq!(
            answer_due(&cal, date!(2024 - 11 - 25), false),
            date!(2024 - 12 - 10)
        );
    }

    #[test]
    fn a_holiday_added_afterwards_moves_the_due_day() {
        let received = date!(2025 - 06 - 02);
        let before = answer_due(&Calendar::default(), received, false);
        let after = answer_due(&Calendar::new([date!(2025 - 06 - 10)]), received, false);
        assert_eq!(before, date!(2025 - 06 - 16));
        assert_eq!(after, date!(2025 - 06 - 17));
        // A holiday after the due day changes nothing.
        let later = answer_due(&Calendar::new([date!(2025 - 06 - 18)]), received, false);
        assert_eq!(later, before);
    }

    #[test]
    fn one_extension_only_and_never_after_the_due_day() {
        let due = date!(2025 - 06 - 16);
        assert_eq!(may_extend(date!(2025 - 06 - 16), due, false), Ok(()));
        assert_eq!(
            may_extend(date!(2025 - 06 - 17), due, false),
            Err(ExtensionRefused::AfterDueDay)
        );
        assert_eq!(
            may_extend(date!(2025 - 06 - 10), due, true),
            Err(ExtensionRefused::AlreadyExtended)
        );
    }

    #[test]
    fn the_objection_window_runs_from_the_answer_or_the_missed_deadline() {
        let cal = Calendar::default();
        let due = date!(2025 - 06 - 16);
        // Not answered, not yet due: no window.
        assert_eq!(
            objection_window_start(date!(2025 - 06 - 16), due, None),
            None
        );
        // Missed: from the due day, 30 working days → Monday 28 July 2025.
        let start = objection_window_start(date!(2025 - 06 - 17), due, None).unwrap();
        assert_eq!(start, due);
        assert_eq!(objection_deadline(&cal, start), date!(2025 - 07 - 28));
        // Answered early: from the answer.
        let answered = date!(2025 - 06 - 05);
        assert_eq!(
            objection_window_start(date!(2025 - 06 - 06), due, Some(answered)),
            Some(answered)
        );
        assert!(within(
            date!(2025 - 07 - 17),
            answered,
            objection_deadline(&cal, answered)
        ));
        assert!(!within(
            date!(2025 - 07 - 18),
            answered,
            objection_deadline(&cal, answered)
        ));
    }

    #[test]
    fn objection_answer_and_dispute_windows() {
        let cal = shipped();
        // Objection on Monday 3 March 2025; Nyepi (29 March), Idul Fitri and cuti bersama
        // (28 March, 31 March – 7 April) and Good Friday (18 April) are skipped.
        let due = objection_answer_due(&cal, date!(2025 - 03 - 03));
        assert_eq!(cal.working_days_between(date!(2025 - 03 - 03), due), 30);
        assert!(due > date!(2025 - 04 - 14), "{due}");
        // The dispute window: 14 working days from the objection's answer.
        let answered = date!(2025 - 04 - 21);
        let start = dispute_window_start(date!(2025 - 04 - 22), due, Some(answered)).unwrap();
        let end = dispute_deadline(&cal, start);
        assert_eq!(cal.working_days_between(start, end), 14);
        // Unanswered objection: the window opens the day after its due day.
        assert_eq!(dispute_window_start(due, due, None), None);
        let next = due.next_day().unwrap();
        assert_eq!(dispute_window_start(next, due, None), Some(due));
    }
}
