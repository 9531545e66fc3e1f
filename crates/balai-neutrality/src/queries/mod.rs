//! Read models: the windows of the elections over a region, the public register of a region;
//! the neutrality cases the handling agencies see (scoped by [`case_scope`]) and their public,
//! anonymised statistics.

pub mod case_scope;
pub mod case_stats;
pub mod cases;
pub mod register;
pub mod windows;
