//! SQL for both backends, one module per table. Every write takes the caller's transaction.
//! The bulk replacement of a list's index and records is the feature's fast path, fenced in
//! [`bulk`]. No query returns a NIK: the index holds keyed hashes, the records are sealed.

pub mod bulk;
pub mod elections;
pub mod index;
pub mod lists;
pub mod lookup;
pub mod records;
pub mod reports;
pub mod stats;
pub mod tps;
