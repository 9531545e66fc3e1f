//! The text every action that takes one checks.

use crate::errors::{ComplaintError, ComplaintResult};

/// A required text of at most 5,000 characters, trimmed (`id`/`en`: what it is, for the
/// message).
pub fn required(s: &str, id: &'static str, en: &'static str) -> ComplaintResult<String> {
    let t = s.trim();
    if t.is_empty() || t.chars().count() > 5_000 {
        return Err(ComplaintError::TextRequired { id, en });
    }
    Ok(t.to_string())
}
