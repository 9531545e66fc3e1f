//! Ending an agreement before its validity runs out (pengakhiran): the day from which it is no
//! longer in force and the reason. The day lies between its signing and the end of its
//! validity (an end on `valid_until` takes away its last day); an agreement is ended once.
//! From that day on it is `ended`: no activity carries it out on or after it, it is no longer
//! renewed or edited, and its expiry reminder is not sent.

use time::{Date, Duration};

use super::invalid::Invalid;
use super::text::{date, required};

pub const REASON_MAX: usize = 1000;

/// An end as sent (form or API), not yet checked.
#[derive(Clone, Debug, Default)]
pub struct EndDraft {
    pub ended_on: String,
    pub reason: String,
}

/// A checked end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEnd {
    pub ended_on: Date,
    pub reason: String,
}

/// The fields as sent: a date and a reason that is not blank.
pub fn parse(d: &EndDraft) -> Result<NewEnd, Invalid> {
    let reason = required(&d.reason, "reason", REASON_MAX)?;
    let ended_on = date(&d.ended_on, "ended_on")?;
    Ok(NewEnd { ended_on, reason })
}

/// The agreement as it stands, for the checks of an end.
#[derive(Clone, Copy, Debug)]
pub struct Term {
    pub signed_on: Date,
    pub valid_until: Date,
    /// Its recorded end, if it was ended already.
    pub ended_on: Option<Date>,
}

/// An end the agreement can take: not ended already, and dated from its signing to the end
/// of its validity.
pub fn check(e: &NewEnd, t: Term) -> Result<(), Invalid> {
    if t.ended_on.is_some() {
        return Err(Invalid::AlreadyEnded);
    }
    if e.ended_on < t.signed_on {
        return Err(Invalid::EndBeforeSigning);
    }
    if e.ended_on > t.valid_until {
        return Err(Invalid::EndAfterValidity);
    }
    Ok(())
}

/// The last day an agreement is in force: the end of its validity, or the day before its
/// recorded end.
pub fn last_day_in_force(valid_until: Date, ended_on: Option<Date>) -> Date {
    match ended_on.and_then(|e| e.checked_sub(Duration::days(1))) {
        Some(last) => last.min(valid_until),
        None => valid_until,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn term() -> Term {
        Term {
            signed_on: date!(2024 - 02 - 20),
            valid_until: date!(2024 - 12 - 31),
            ended_on: None,
        }
    }

    fn end(day: &str) -> NewEnd {
        parse(&EndDraft {
            ended_on: day.into(),
            reason: "Kesepakatan para pihak".into(),
        })
        .unwrap()
    }

    #[test]
    fn an_end_between_signing_and_validity_once() {
        assert_eq!(check(&end("2024-07-01"), term()), Ok(()));
        // The signing day and the last day of validity are the bounds, both allowed.
        assert_eq!(check(&end("2024-02-20"), term()), Ok(()));
        assert_eq!(check(&end("2024-12-31"), term()), Ok(()));
        assert_eq!(
            check(&end("2024-02-19"), term()),
            Err(Invalid::EndBeforeSigning)
        );
        assert_eq!(
            check(&end("2025-01-01"), term()),
            Err(Invalid::EndAfterValidity)
        );
        let ended = Term {
            ended_on: Some(date!(2024 - 07 - 01)),
            ..term()
        };
        assert_eq!(check(&end("2024-08-01"), ended), Err(Invalid::AlreadyEnded));
    }

    #[test]
    fn a_reason_and_a_date_are_needed() {
        let blank = EndDraft {
            ended_on: "2024-07-01".into(),
            reason: "   ".into(),
        };
        assert_eq!(parse(&blank), Err(Invalid::Text("reason", REASON_MAX)));
        let undated = EndDraft {
            ended_on: "1 Juli 2024".into(),
            reason: "Alasan".into(),
        };
        assert_eq!(parse(&undated), Err(Invalid::Date("ended_on")));
    }

    #[test]
    fn in_force_up_to_the_day_before_the_end() {
        let until = date!(2024 - 12 - 31);
        assert_eq!(last_day_in_force(until, None), until);
        assert_eq!(
            last_day_in_force(until, Some(date!(2024 - 07 - 01))),
            date!(2024 - 06 - 30)
        );
    }
}
