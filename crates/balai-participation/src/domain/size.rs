//! Sizes as people read them, for the limits the pages and messages state.

/// A size limit as people read it: `2 MB`, `1,5 MB` (`1.5 MB` in English), `500 KB`; a
/// tenth that does not fit is left out (a limit is never overstated).
pub fn size_words(bytes: usize, en: bool) -> String {
    let (unit, name) = match bytes {
        b if b >= 1024 * 1024 => (1024 * 1024, "MB"),
        b if b >= 1024 => (1024, "KB"),
        _ => return format!("{bytes} byte"),
    };
    let tenths = bytes * 10 / unit;
    if tenths.is_multiple_of(10) {
        format!("{} {name}", tenths / 10)
    } else {
        let sep = if en { '.' } else { ',' };
        format!("{}{sep}{} {name}", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_as_people_read_them() {
        assert_eq!(size_words(2 * 1024 * 1024, false), "2 MB");
        assert_eq!(size_words(3 * 1024 * 1024 / 2, false), "1,5 MB");
        assert_eq!(size_words(3 * 1024 * 1024 / 2, true), "1.5 MB");
        assert_eq!(size_words(500 * 1024, true), "500 KB");
        assert_eq!(size_words(1536, false), "1,5 KB");
        assert_eq!(size_words(2 * 1024 * 1024 + 1, false), "2 MB");
        assert_eq!(size_words(100, false), "100 byte");
    }
}
