//! SQL for both backends, one module per table. Every write takes the caller's transaction.
//! The public read of the register never selects the NIP column ([`appointments::public_in`]);
//! only the agencies' register does ([`appointments::with_nip_in`]). Likewise a case's identity is
//! read only by [`cases::identity_of`]; the public statistics read [`case_stats`].

pub mod appointments;
pub mod case_stats;
pub mod cases;
pub mod flags;
pub mod schedules;
