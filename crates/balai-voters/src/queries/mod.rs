//! Read models: the list's versions with their counts, the check's daily counts, the public's
//! responses, and what the officials' pages read ([`staff`]).

pub mod staff;
pub mod stats;
