//! The working-day clocks of a report and which action stops or starts which (LAPOR! SP4N,
//! DOMAIN.md §4; Bawaslu's follow-up for election reports, UU 1/2015 art. 134). Computing a due
//! day is the calendar's job (`balai_core::calendar`); enforcing it is `jobs::sweep`'s.

use super::settings::ClockConfig;
use super::status::Action;

/// One deadline a report can be under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// From filing (or re-routing) to dispatch by the agency.
    Dispatch,
    /// From dispatch (or reopening) to the agency's answer.
    FollowUp,
    /// From the answer to closing without a reply from the reporter.
    AutoClose,
}

impl Clock {
    pub const ALL: [Clock; 3] = [Clock::Dispatch, Clock::FollowUp, Clock::AutoClose];

    /// The clock's `purpose` in the `clocks` table.
    pub fn as_str(self) -> &'static str {
        match self {
            Clock::Dispatch => "dispatch",
            Clock::FollowUp => "follow_up",
            Clock::AutoClose => "auto_close",
        }
    }

    /// Its length in working days for a report (`election`: a Bawaslu report).
    pub fn working_days(self, election: bool, cfg: &ClockConfig) -> u32 {
        match self {
            Clock::Dispatch => cfg.dispatch_working_days,
            Clock::FollowUp => cfg.follow_up_days(election),
            Clock::AutoClose => cfg.auto_close_working_days,
        }
    }
}

/// What one action does to the clocks: stop these, then start that one (from today).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClockPlan {
    pub stop: &'static [Clock],
    pub start: Option<Clock>,
}

/// The clocks an action stops and starts.
pub fn on(action: Action) -> ClockPlan {
    let (stop, start): (&'static [Clock], _) = match action {
        Action::Dispatch => (&[Clock::Dispatch], Some(Clock::FollowUp)),
        Action::StartFollowUp => (&[], None),
        Action::Answer => (&[Clock::FollowUp], Some(Clock::AutoClose)),
        Action::ConfirmResolved | Action::AutoClose => (&[Clock::AutoClose], None),
        Action::Reopen => (&[Clock::AutoClose], Some(Clock::FollowUp)),
        Action::Reject | Action::MarkDuplicate => (&Clock::ALL, None),
        Action::Reroute => (&[Clock::FollowUp, Clock::AutoClose], Some(Clock::Dispatch)),
    };
    ClockPlan { stop, start }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispatch_starts_the_follow_up_and_answer_the_auto_close() {
        assert_eq!(
            on(Action::Dispatch),
            ClockPlan {
                stop: &[Clock::Dispatch],
                start: Some(Clock::FollowUp)
            }
        );
        assert_eq!(on(Action::Answer).start, Some(Clock::AutoClose));
        assert_eq!(on(Action::Reroute).start, Some(Clock::Dispatch));
        assert_eq!(on(Action::Reject).stop, &Clock::ALL);
        assert_eq!(on(Action::StartFollowUp).start, None);
    }

    #[test]
    fn election_reports_follow_up_on_bawaslu_time() {
        let cfg = ClockConfig::default();
        assert_eq!(Clock::FollowUp.working_days(true, &cfg), 3);
        assert_eq!(Clock::FollowUp.working_days(false, &cfg), 5);
        assert_eq!(Clock::Dispatch.working_days(true, &cfg), 3);
        assert_eq!(Clock::AutoClose.working_days(false, &cfg), 10);
    }
}
