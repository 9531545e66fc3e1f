//! One module per write use case; each authorizes, decides with the domain rules, stores and
//! records its audit event in one transaction.

pub mod activity;
pub mod agreement;
pub mod authorize;
pub mod document;
pub mod edit;
pub mod followup;
pub mod forum;
pub mod minutes;
pub mod targets;
pub mod withdraw;
