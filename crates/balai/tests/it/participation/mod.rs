//! Partisipasi & kolaborasi: agreements (validity, parties, renewals, the expiry reminder),
//! activities under an agreement (its period and region), minutes seen by the public only once
//! every attending agency approved them, follow-ups, scoping (Kesbangpol of one city cannot
//! touch another's records), turnout targets against turnout with exact arithmetic, bad input,
//! the audit trail, and the pages and exports.

mod activities;
mod agreements;
mod documents;
mod edits;
mod endings;
mod forums;
mod history;
mod officials;
mod pages;
mod phone;
mod turnout;
mod withdrawals;
