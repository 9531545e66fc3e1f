//! Pure rules: the appointment record, the windows of UU 10/2016 and the flags, the monthly
//! counts, who may act and the audit vocabulary. No IO.

pub mod access;
pub mod appointment;
pub mod audit;
pub mod csv;
pub mod months;
pub mod permissions;
pub mod window;
