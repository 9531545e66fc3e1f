//! SQL for both backends: requests (`requests`) and their public history (`events`). The due
//! days are the calendar's `clocks` rows, joined in.

pub mod events;
pub mod lists;
pub mod report;
pub mod requests;
pub mod search;

pub use events::{insert_event, EventRow, NewEvent};
pub use requests::{Change, NewRequest, RequestRow};
