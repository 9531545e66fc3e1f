//! Read models: the list's versions with their counts, the check's daily counts, the public's
//! responses.

pub mod stats;
