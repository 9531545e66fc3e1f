//! Following a report: the tracking form, the reporter's view and actions (reply, confirm,
//! reopen), the receipt after filing, and the public page of a non-confidential report.
//!
//! The tracking form is posted: the code and the reporter's secret never travel in a URL
//! (they would land in logs, proxies and browser history). The code alone opens only what the
//! public may see; code + secret open the reporter's view, confidential and hidden reports too.
//! A wrong code, a wrong secret and a report the code alone may not open get the same answer.

mod actions;
mod form;
mod held;
mod report_page;

pub use actions::{confirm, reopen, reply, request_secret, show};
pub use form::{lookup, old_link};
pub use held::{receipt, receipt_cookie, reporter_view, RECEIPT_PATH, REPORTER_PATH};
pub use report_page::{public_photo, public_view};
