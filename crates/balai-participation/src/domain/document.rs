//! The signed documents: an agreement's signed PDF and an activity's signed attendance list
//! (a PDF, or a JPEG/PNG scan of the paper list). What a file is comes from its first bytes,
//! never from the name or the type the sender declared; anything else is refused.

use super::invalid::Invalid;

/// The largest document accepted unless `[participation] max_document_bytes` says otherwise.
/// The request body limit (`max_body_bytes`, 2 MiB by default) applies first; this bound holds
/// even when an operator raises that limit.
pub const DEFAULT_MAX_DOCUMENT_BYTES: usize = 2 * 1024 * 1024;

/// Which document of which record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocKind {
    /// The signed agreement (PDF only).
    Agreement,
    /// An activity's signed attendance list (PDF, JPEG or PNG).
    Attendance,
}

impl DocKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            DocKind::Agreement => "agreement",
            DocKind::Attendance => "attendance",
        }
    }

    /// (Indonesian, English).
    pub const fn label(self) -> (&'static str, &'static str) {
        match self {
            DocKind::Agreement => ("Dokumen perjanjian bertanda tangan", "Signed agreement"),
            DocKind::Attendance => ("Daftar hadir bertanda tangan", "Signed attendance list"),
        }
    }

    /// The start of the download's file name.
    pub const fn file_stem(self) -> &'static str {
        match self {
            DocKind::Agreement => "perjanjian",
            DocKind::Attendance => "daftar-hadir",
        }
    }

    /// Only a PDF is accepted (the signed agreement).
    pub fn pdf_only(self) -> bool {
        self == DocKind::Agreement
    }

    fn accepts(self, t: FileType) -> bool {
        match self {
            DocKind::Agreement => t == FileType::Pdf,
            DocKind::Attendance => true,
        }
    }
}

/// A file type Balai keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileType {
    Pdf,
    Jpeg,
    Png,
}

impl FileType {
    pub const fn content_type(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
        }
    }

    pub const fn extension(self) -> &'static str {
        match self {
            FileType::Pdf => "pdf",
            FileType::Jpeg => "jpg",
            FileType::Png => "png",
        }
    }

    /// A stored content type back to its type (`None` for anything else).
    pub fn parse(content_type: &str) -> Option<FileType> {
        [FileType::Pdf, FileType::Jpeg, FileType::Png]
            .into_iter()
            .find(|t| t.content_type() == content_type)
    }
}

/// What a file is, by its first bytes.
pub fn sniff(bytes: &[u8]) -> Option<FileType> {
    if bytes.starts_with(b"%PDF-") {
        Some(FileType::Pdf)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileType::Jpeg)
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(FileType::Png)
    } else {
        None
    }
}

/// Check a document before anything is stored: not empty, at most `max` bytes, and a type
/// this kind of document may be.
pub fn check(kind: DocKind, bytes: &[u8], max: usize) -> Result<FileType, Invalid> {
    if bytes.is_empty() {
        return Err(Invalid::DocumentType(kind.pdf_only()));
    }
    if bytes.len() > max {
        return Err(Invalid::DocumentTooLarge(max));
    }
    sniff(bytes)
        .filter(|t| kind.accepts(*t))
        .ok_or(Invalid::DocumentType(kind.pdf_only()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAX: usize = DEFAULT_MAX_DOCUMENT_BYTES;

    #[test]
    fn types_by_their_first_bytes() {
        let pdf = b"%PDF-1.7\n%\xe2\xe3\n1 0 obj".as_slice();
        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10];
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".as_slice();
        assert_eq!(check(DocKind::Agreement, pdf, MAX), Ok(FileType::Pdf));
        assert_eq!(check(DocKind::Attendance, pdf, MAX), Ok(FileType::Pdf));
        assert_eq!(check(DocKind::Attendance, &jpeg, MAX), Ok(FileType::Jpeg));
        assert_eq!(check(DocKind::Attendance, png, MAX), Ok(FileType::Png));
        // A scan is not a signed agreement; HTML and an empty body are nothing.
        assert_eq!(
            check(DocKind::Agreement, &jpeg, MAX),
            Err(Invalid::DocumentType(true))
        );
        for bad in [b"<html><script>".as_slice(), b"", b" %PDF-1.4"] {
            assert!(check(DocKind::Attendance, bad, MAX).is_err());
        }
        let mut big = b"%PDF-1.4\n".to_vec();
        big.resize(MAX + 1, b' ');
        assert_eq!(
            check(DocKind::Agreement, &big, MAX),
            Err(Invalid::DocumentTooLarge(MAX))
        );
        assert_eq!(FileType::parse("image/png"), Some(FileType::Png));
        assert_eq!(FileType::parse("text/html"), None);
    }

    #[test]
    fn a_smaller_limit_takes_effect() {
        let pdf = b"%PDF-1.7\n1 0 obj".as_slice();
        assert_eq!(
            check(DocKind::Agreement, pdf, 10),
            Err(Invalid::DocumentTooLarge(10))
        );
    }
}
