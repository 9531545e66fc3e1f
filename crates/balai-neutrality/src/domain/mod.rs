//! Pure rules: the appointment record, the windows of UU 10/2016 and the flags, the monthly
//! counts; the neutrality case's state machine, its legal vocabulary, intake, clocks and
//! public tallies; who may act and the audit vocabulary. No IO.

pub mod access;
pub mod appointment;
pub mod audit;
pub mod case;
pub mod case_access;
pub mod case_input;
pub mod case_stats;
pub mod csv;
pub mod months;
pub mod permissions;
pub mod settings;
pub mod vocabulary;
pub mod window;
