//! Small checks of free text and dates shared by every record.

use time::Date;

use super::invalid::Invalid;

/// A required one-line text, trimmed, at most `max` characters as sent (the API document
/// counts them before trimming, so does this).
pub fn required(v: &str, field: &'static str, max: usize) -> Result<String, Invalid> {
    let t = v.trim();
    if t.is_empty() || v.chars().count() > max {
        return Err(Invalid::Text(field, max));
    }
    Ok(t.to_string())
}

/// An optional text: empty is `None`.
pub fn optional(v: &str, field: &'static str, max: usize) -> Result<Option<String>, Invalid> {
    let t = v.trim();
    if v.chars().count() > max {
        return Err(Invalid::Text(field, max));
    }
    if t.is_empty() {
        return Ok(None);
    }
    if t.chars().count() > max {
        return Err(Invalid::Text(field, max));
    }
    Ok(Some(t.to_string()))
}

/// A `YYYY-MM-DD` date.
pub fn date(v: &str, field: &'static str) -> Result<Date, Invalid> {
    let v = v.trim();
    if v.len() != 10 {
        return Err(Invalid::Date(field));
    }
    balai_core::format::parse_iso_date(v).ok_or(Invalid::Date(field))
}

/// An optional date: empty is `None`.
pub fn optional_date(v: &str, field: &'static str) -> Result<Option<Date>, Invalid> {
    if v.trim().is_empty() {
        Ok(None)
    } else {
        date(v, field).map(Some)
    }
}

/// A number in `min..=max`.
pub fn number(v: i64, field: &'static str, min: i64, max: i64) -> Result<i64, Invalid> {
    if (min..=max).contains(&v) {
        Ok(v)
    } else {
        Err(Invalid::Number(field, min, max))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_dates_numbers() {
        assert_eq!(required("  FKUB ", "title", 10).unwrap(), "FKUB");
        assert_eq!(required(" ", "title", 10), Err(Invalid::Text("title", 10)));
        assert!(required("abcdefghijk", "title", 10).is_err());
        assert_eq!(optional("", "x", 3).unwrap(), None);
        assert!(date("2024-02-30", "d").is_err());
        assert_eq!(date("2024-02-29", "d").unwrap().to_string(), "2024-02-29");
        assert_eq!(optional_date("", "d").unwrap(), None);
        assert!(number(101, "p", 0, 100).is_err());
        assert_eq!(number(100, "p", 0, 100).unwrap(), 100);
    }
}
