//! Netralitas ASN: the appointments register — windows from the elections' schedules (and a
//! schedule changed afterwards), approvals, a city's appointment against the province's
//! election, scoping, the NIP kept out of every public view, CSV import, bad input and pages;
//! neutrality cases from complaint to sanction with their scoping, privacy and bad input.

mod cases;
mod pages;
mod register;
mod scoping;
