//! Searching the public archive: the words of a query, cleaned into terms both full-text
//! engines read the same way (SQLite FTS5 and PostgreSQL `tsquery`), and the page arithmetic.
//! Only letters and digits reach the engines, so no query syntax can be injected.

/// The longest query accepted (characters).
pub const MAX_QUERY_CHARS: usize = 200;
/// At most this many words are searched; the rest are ignored.
pub const MAX_TERMS: usize = 12;
/// Hits on a page.
pub const PAGE_SIZE: i64 = 20;
/// The last page that may be asked for.
pub const MAX_PAGE: i64 = 500;
/// Similar requests shown on the request form.
pub const SIMILAR_LIMIT: i64 = 5;

/// How the words combine: every word (the archive search) or any word (similar requests,
/// where the text of a new request is long and only some of its words will match).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Combine {
    All,
    Any,
}

/// The cleaned words of a query, lower-cased, without duplicates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Terms(Vec<String>);

/// Words too common to help find a similar request (only used with [`Combine::Any`]).
const STOP_WORDS: [&str; 24] = [
    "dan",
    "yang",
    "di",
    "ke",
    "dari",
    "untuk",
    "dengan",
    "pada",
    "atau",
    "ini",
    "itu",
    "tahun",
    "saya",
    "mohon",
    "minta",
    "meminta",
    "informasi",
    "data",
    "the",
    "of",
    "and",
    "for",
    "a",
    "to",
];

impl Terms {
    /// The words of `q`: runs of letters and digits, lower-cased; words of one character and,
    /// for `Any`, the commonest words are left out.
    pub fn parse(q: &str, combine: Combine) -> Terms {
        let mut out: Vec<String> = Vec::new();
        for word in q.split(|c: char| !c.is_alphanumeric()) {
            let w = word.to_lowercase();
            if w.chars().count() < 2 || out.contains(&w) {
                continue;
            }
            if combine == Combine::Any && STOP_WORDS.contains(&w.as_str()) {
                continue;
            }
            out.push(w.chars().take(40).collect());
            if out.len() == MAX_TERMS {
                break;
            }
        }
        Terms(out)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The FTS5 query: each word quoted (a phrase of one word), joined by `AND` or `OR`.
    pub fn fts5(&self, combine: Combine) -> String {
        let join = match combine {
            Combine::All => " AND ",
            Combine::Any => " OR ",
        };
        self.0
            .iter()
            .map(|w| format!("\"{w}\""))
            .collect::<Vec<_>>()
            .join(join)
    }

    /// The `to_tsquery('simple', …)` text: the words joined by `&` or `|`.
    pub fn tsquery(&self, combine: Combine) -> String {
        let join = match combine {
            Combine::All => " & ",
            Combine::Any => " | ",
        };
        self.0.join(join)
    }
}

/// The rows to skip for a 1-based page.
pub fn offset(page: i64) -> i64 {
    (page.clamp(1, MAX_PAGE) - 1) * PAGE_SIZE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_letters_and_digits_reach_the_engines() {
        let t = Terms::parse("Anggaran \"2024\" OR NEAR(x) *; DROP--e-KTP", Combine::All);
        assert_eq!(
            t.fts5(Combine::All),
            "\"anggaran\" AND \"2024\" AND \"or\" AND \"near\" AND \"drop\" AND \"ktp\""
        );
        assert_eq!(
            t.tsquery(Combine::All),
            "anggaran & 2024 & or & near & drop & ktp"
        );
        assert!(Terms::parse(" - ! ?", Combine::All).is_empty());
    }

    #[test]
    fn similar_requests_drop_common_words_and_use_any() {
        let t = Terms::parse("Saya minta data anggaran dan anggaran desa", Combine::Any);
        assert_eq!(t.tsquery(Combine::Any), "anggaran | desa");
        assert_eq!(t.fts5(Combine::Any), "\"anggaran\" OR \"desa\"");
    }

    #[test]
    fn words_are_capped_and_pages_bounded() {
        let many = (0..30)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(Terms::parse(&many, Combine::All).0.len(), MAX_TERMS);
        assert_eq!(offset(1), 0);
        assert_eq!(offset(3), 40);
        assert_eq!(offset(0), 0);
        assert_eq!(offset(10_000), (MAX_PAGE - 1) * PAGE_SIZE);
    }
}
