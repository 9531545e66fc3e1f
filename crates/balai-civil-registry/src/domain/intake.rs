//! Tracking codes and uploaded files.

use rand::Rng;

/// No 0/O, 1/I: a code read aloud over the phone or copied from paper stays unambiguous.
pub const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
pub const TRACKING_LEN: usize = 10;
pub const SECRET_LEN: usize = 8;

pub fn random_code(len: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..len)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect()
}

/// Normalise what a citizen typed: upper case, no spaces or dashes.
pub fn normalise_code(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

pub fn code_valid(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| ALPHABET.contains(&b))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Jpeg,
    Png,
}

impl FileKind {
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
        }
    }
}

/// What a file really is, by its first bytes (the browser's declared type is not trusted).
pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
    if bytes.starts_with(b"%PDF-") {
        Some(FileKind::Pdf)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileKind::Jpeg)
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(FileKind::Png)
    } else {
        None
    }
}

/// Keep a file name printable and short; it is only ever shown, never used as a path.
pub fn clean_filename(s: &str) -> String {
    let base = s.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(120)
        .collect();
    if cleaned.trim().is_empty() {
        "dokumen".into()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn codes() {
        let c = random_code(TRACKING_LEN);
        assert!(code_valid(&c, TRACKING_LEN), "{c}");
        assert!(!c.contains(['0', 'O', '1', 'I']));
        assert_eq!(normalise_code(" abcd-efg h "), "ABCDEFGH");
        assert!(!code_valid("ABCDEFGH0J", TRACKING_LEN));
        assert!(!code_valid("ABC", TRACKING_LEN));
    }

    #[test]
    fn magic_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(FileKind::Pdf));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0]), Some(FileKind::Jpeg));
        assert_eq!(
            sniff(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]),
            Some(FileKind::Png)
        );
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(sniff(b"MZ\x90\x00"), None);
        assert_eq!(sniff(b""), None);
        assert_eq!(clean_filename("C:\\x\\scan \"kk\".pdf"), "scan kk.pdf");
        assert_eq!(clean_filename("../"), "dokumen");
    }
}
