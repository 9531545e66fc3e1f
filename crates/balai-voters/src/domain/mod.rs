//! Pure rules: the NIK of a listed voter, names as the check compares them, the list's rows and
//! refusals, its stages, the throttles of the check, the public responses, who may act and the
//! audit vocabulary. No IO.

pub mod audit;
pub mod block;
pub mod breaker;
pub mod csv;
pub mod name;
pub mod nik;
pub mod pack;
pub mod permissions;
pub mod record;
pub mod report;
pub mod settings;
pub mod stage;
