//! Each feature's test world: its agencies, staff, API tokens and fixtures on a fresh app.

pub mod civil_registry;
pub mod complaints;
pub mod elections;
pub mod information;
pub mod neutrality;
pub mod participation;
pub mod performance;
pub mod sop;
pub mod voters;
