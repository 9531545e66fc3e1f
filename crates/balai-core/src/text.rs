//! What text may reach storage: no control characters (a NUL is an error on PostgreSQL and
//! junk on SQLite), and no text made only of invisible characters. Newline and tab stay in the
//! fields that take several lines (see [`MULTI_LINE_FIELDS`]).
//!
//! The checks run once for every request (`web::input`), on every string of a JSON or form
//! body and of the query string, so no handler has to remember them.

/// Fields (by their own name, the last part of a JSON path) whose text may have several lines:
/// the free texts of complaints, answers, reasons and SMS.
pub const MULTI_LINE_FIELDS: &[&str] = &[
    "description",
    "body",
    "evidence",
    "reason",
    "requirements",
    "text",
    "note",
    "notes",
    "message",
    "answer",
    "allegation",
    // SOPs: a procedure's texts and a version's change note; steps typed one per line; CSV
    // pasted into a form.
    "purpose",
    "legal_basis",
    "documents",
    "change_note",
    "steps",
    "csv",
    // Keterbukaan informasi: a request and a consequence test are free text of several lines.
    "information",
    "consequence_test",
    // Partisipasi's officials' forms: one party, clause or organisation per line.
    "other_parties_lines",
    "clauses_lines",
    "organisations_lines",
];

/// Fields the checks leave alone: `next` (the sign-in page checks it as a path and falls back
/// to the dashboard).
pub const UNCHECKED_FIELDS: &[&str] = &["next"];

/// Secrets may be any text a person can type, invisible characters included.
pub const SECRET_FIELDS: &[&str] = &["password", "current", "new", "confirm"];

/// Why a text was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextProblem {
    /// A control character (or a line break or tab where one line is expected).
    Control,
    /// Nothing visible: only spaces, zero-width and other invisible characters.
    Invisible,
}

/// True for a field that may have several lines.
pub fn multi_line(field: &str) -> bool {
    MULTI_LINE_FIELDS.contains(&field)
}

/// Characters refused everywhere, and the line breaks and tab refused outside multi-line text.
/// Bidirectional overrides and isolates are refused too: they let a text show other than it
/// reads (a name that displays reversed); ordinary right-to-left text needs none of them.
pub fn is_forbidden(c: char, multi_line: bool) -> bool {
    match c {
        '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' => !multi_line,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => true,
        c => c.is_control(),
    }
}

/// Characters that show nothing: white space and the default-ignorable code points
/// (zero-width space and joiners, word joiner, BOM, variation selectors, fillers, tags).
pub fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}'
            | '\u{17B5}' | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{2800}' | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

/// Check one text of the field named `field`. Empty and blank (white-space only) texts pass:
/// whether a field may be empty is its own rule, and each already trims; a text with
/// something in it after trimming must show something.
pub fn check(field: &str, value: &str) -> Result<(), TextProblem> {
    if UNCHECKED_FIELDS.contains(&field) {
        return Ok(());
    }
    let multi = multi_line(field);
    if value.chars().any(|c| is_forbidden(c, multi)) {
        return Err(TextProblem::Control);
    }
    let trimmed = value.trim();
    if !trimmed.is_empty() && !SECRET_FIELDS.contains(&field) && trimmed.chars().all(is_invisible) {
        return Err(TextProblem::Invisible);
    }
    Ok(())
}

/// The rules above as ECMA-262 / JSON Schema patterns, for the API document: what a query
/// value, a CSV body, or a text field of a JSON or form body may hold. Characters outside
/// the Basic Multilingual Plane are written as themselves (`\u{…}` is not portable).
pub mod patterns {
    /// Refused in one-line text (and in every query value and JSON key).
    const FORBIDDEN_ONE_LINE: &str = r"\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069";
    /// Refused in multi-line text and in CSV and plain-text bodies.
    const FORBIDDEN_MULTI_LINE: &str =
        r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069";
    /// White space allowed in one-line text.
    const SPACE_ONE_LINE: &str = r" \xa0\u1680\u2000-\u200a\u202f\u205f\u3000";
    /// White space allowed in multi-line text.
    const SPACE_MULTI_LINE: &str = r"\t\n\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";
    /// Everything [`super::is_invisible`] is true for.
    const INVISIBLE: &str = concat!(
        r"\x00-\x20\x7f-\xa0\xad\u034f\u061c\u115f\u1160\u1680\u17b4\u17b5\u180b-\u180f",
        r"\u2000-\u200f\u2028-\u202f\u205f-\u206f\u2800\u3000\u3164\ufe00-\ufe0f\ufeff\uffa0",
        "\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0000}-\u{E0FFF}",
    );

    /// A query value or a JSON key: no control character, no line break, no tab.
    pub fn one_line() -> String {
        format!("^[^{FORBIDDEN_ONE_LINE}]*$")
    }

    /// A CSV or plain-text body: lines, with tabs, and no other control character.
    pub fn lines() -> String {
        format!("^[^{FORBIDDEN_MULTI_LINE}]*$")
    }

    /// A text field of a JSON or form body named `field` ([`super::check`]): blank, or
    /// showing at least one character, with no character its kind of field refuses.
    pub fn text(field: &str) -> String {
        if super::SECRET_FIELDS.contains(&field) {
            return one_line();
        }
        let (forbidden, space) = if super::multi_line(field) {
            (FORBIDDEN_MULTI_LINE, SPACE_MULTI_LINE)
        } else {
            (FORBIDDEN_ONE_LINE, SPACE_ONE_LINE)
        };
        format!("^(?:[{space}]*|{})$", showing(forbidden))
    }

    /// A text field of a JSON or form body named `field` that must not be blank: showing at
    /// least one character, with no character its kind of field refuses. This is [`text`]
    /// together with `\S` (every white-space character is invisible), as one pattern, so that a
    /// generator of examples draws from it directly instead of filtering one pattern's strings
    /// by the other's.
    /// None for a secret field, whose characters are not checked for visibility.
    pub fn visible(field: &str) -> Option<String> {
        if super::SECRET_FIELDS.contains(&field) {
            return None;
        }
        let forbidden = if super::multi_line(field) {
            FORBIDDEN_MULTI_LINE
        } else {
            FORBIDDEN_ONE_LINE
        };
        Some(format!("^{}$", showing(forbidden)))
    }

    fn showing(forbidden: &str) -> String {
        format!("[^{forbidden}]*[^{INVISIBLE}][^{forbidden}]*")
    }
}

/// Check a single-line text from outside a request (a CSV cell, say): the same rules as
/// [`check`] for a field that is not multi-line.
pub fn check_line(value: &str) -> Result<(), TextProblem> {
    check("", value)
}

/// A text cell for a CSV that people open in a spreadsheet: one that starts with `=`, `+`,
/// `-`, `@`, a tab or a carriage return would be read as a formula (`=HYPERLINK(…)`), so it
/// gets a leading apostrophe, which spreadsheets show as text (the OWASP advice).
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_refused() {
        assert_eq!(check("name", "a\u{0}b"), Err(TextProblem::Control));
        assert_eq!(check("name", "a\u{7f}"), Err(TextProblem::Control));
        assert_eq!(check("name", "a\u{85}"), Err(TextProblem::Control));
        assert_eq!(check("name", "a\u{202E}b"), Err(TextProblem::Control));
        assert_eq!(check("name", "a\nb"), Err(TextProblem::Control));
        assert_eq!(check("name", "a\tb"), Err(TextProblem::Control));
        assert_eq!(check("description", "a\r\nb\tc"), Ok(()));
        assert_eq!(check("description", "a\u{0}"), Err(TextProblem::Control));
        assert_eq!(check("next", "/\t/x"), Ok(()));
    }

    /// The patterns of the API document say what [`check`] says, for every character.
    #[test]
    fn patterns_agree_with_the_checks() {
        let one = regex::Regex::new(&patterns::one_line()).unwrap();
        let lines = regex::Regex::new(&patterns::lines()).unwrap();
        let name = regex::Regex::new(&patterns::text("name")).unwrap();
        let note = regex::Regex::new(&patterns::text("note")).unwrap();
        let secret = regex::Regex::new(&patterns::text("password")).unwrap();
        let shown = regex::Regex::new(&patterns::visible("name").unwrap()).unwrap();
        let shown_note = regex::Regex::new(&patterns::visible("note").unwrap()).unwrap();
        let not_blank = regex::Regex::new(r"\S").unwrap();
        assert_eq!(patterns::visible("password"), None);
        // Every character of the ranges the rules name, and a sample of the rest.
        let named = [
            0..=0x3300,
            0xFDF0..=0x10000,
            0x1BC90..=0x1BCB0,
            0x1D160..=0x1D180,
            0xDFFF0..=0xE1010,
            0x10FFF0..=0x10FFFF,
        ];
        let sample = (0..=0x10FFFF).step_by(101);
        for c in named
            .into_iter()
            .flatten()
            .chain(sample)
            .filter_map(char::from_u32)
        {
            for text in [format!("a{c}"), format!("{c}"), format!("{c}{c} ")] {
                let t = text.as_str();
                assert_eq!(
                    one.is_match(t),
                    !t.chars().any(|c| is_forbidden(c, false)),
                    "{t:?}"
                );
                assert_eq!(
                    lines.is_match(t),
                    !t.chars().any(|c| is_forbidden(c, true)),
                    "{t:?}"
                );
                assert_eq!(name.is_match(t), check("name", t).is_ok(), "name {t:?}");
                assert_eq!(note.is_match(t), check("note", t).is_ok(), "note {t:?}");
                assert_eq!(secret.is_match(t), check("password", t).is_ok(), "{t:?}");
                // `visible` is the text rule and `\S` at once.
                assert_eq!(
                    shown.is_match(t),
                    name.is_match(t) && not_blank.is_match(t),
                    "visible name {t:?}"
                );
                assert_eq!(
                    shown_note.is_match(t),
                    note.is_match(t) && not_blank.is_match(t),
                    "visible note {t:?}"
                );
            }
        }
        assert!(
            !name.is_match("ab\n"),
            "a trailing line break is refused too"
        );
    }

    #[test]
    fn formulas_defused() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("Jl. Merdeka 1"), "Jl. Merdeka 1");
    }

    #[test]
    fn invisible_only_refused() {
        assert_eq!(
            check("title", "\u{200B}\u{200B}"),
            Err(TextProblem::Invisible)
        );
        assert_eq!(
            check("title", " \u{3000}\u{FEFF} "),
            Err(TextProblem::Invisible)
        );
        assert_eq!(check("title", "   "), Ok(()));
        assert_eq!(check("title", ""), Ok(()));
        assert_eq!(check("title", "Jalan rusak"), Ok(()));
        assert_eq!(check("title", "محمد"), Ok(()));
        assert_eq!(check("password", "\u{3000}\u{3000}"), Ok(()));
    }
}
