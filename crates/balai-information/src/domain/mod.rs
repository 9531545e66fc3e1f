//! The rules of public-information requests, without IO.

pub mod access;
pub mod audit;
pub mod clocks;
pub mod dip;
pub mod email_intake;
pub mod exemptions;
pub mod intake;
pub mod permissions;
pub mod privacy;
pub mod redaction;
pub mod registration;
pub mod report;
pub mod search;
pub mod settings;
pub mod status;
