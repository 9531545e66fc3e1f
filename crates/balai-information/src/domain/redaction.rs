//! The marks a partial answer puts where it withholds something (UU 14/2008 art. 22(7)(c) and
//! art. 17): `[DIHITAMKAN: what and why]`. A partial answer carries at least one, each with its
//! reason, so the reader sees where something was withheld and why; pages draw them as marked
//! bars (█) with the reason in them.

use crate::errors::{InfoResult, InformationError};

/// How a mark opens (its Indonesian name, as the PPID writes it).
pub const OPEN: &str = "[DIHITAMKAN:";
/// A mark's reason says at least this much (the ground, say `Pasal 17 huruf h`).
pub const MIN_REASON: usize = 5;

/// A piece of an answer: plain text, or a withheld part with its reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Withheld(&'a str),
}

impl Piece<'_> {
    /// The reason of a withheld part, none for plain text (for the templates).
    pub fn withheld(&self) -> Option<&str> {
        match self {
            Piece::Withheld(r) => Some(r),
            Piece::Text(_) => None,
        }
    }

    pub fn text(&self) -> &str {
        match self {
            Piece::Text(t) | Piece::Withheld(t) => t,
        }
    }
}

/// An answer cut at its marks. A mark without its closing bracket is left as text (stored answers
/// are shown as they are; [`check_partial`] refuses it when the answer is given).
pub fn pieces(answer: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = answer;
    while let Some(start) = find_open(rest) {
        let after = &rest[start + OPEN.len()..];
        let Some(end) = after.find(']') else { break };
        if start > 0 {
            out.push(Piece::Text(&rest[..start]));
        }
        out.push(Piece::Withheld(after[..end].trim()));
        rest = &after[end + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

/// Where the next mark opens, in any case.
fn find_open(s: &str) -> Option<usize> {
    s.char_indices().map(|(i, _)| i).find(|&i| {
        s.get(i..i + OPEN.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(OPEN))
    })
}

/// A partial answer marks what it withholds: at least one mark, each closed and with a reason.
pub fn check_partial(answer: &str) -> InfoResult<()> {
    let mut rest = answer;
    let mut marks = 0;
    while let Some(start) = find_open(rest) {
        let after = &rest[start + OPEN.len()..];
        let end = after.find(']').ok_or(InformationError::BadRedactionMark)?;
        let reason = after[..end].trim();
        if reason.chars().count() < MIN_REASON || find_open(reason).is_some() {
            return Err(InformationError::BadRedactionMark);
        }
        marks += 1;
        rest = &after[end + 1..];
    }
    if marks == 0 {
        return Err(InformationError::RedactionMarkRequired);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_cut_at_its_marks() {
        let a = "Rekap terlampir; [DIHITAMKAN: nama dan NIP, Pasal 17 huruf h] dan [dihitamkan: nomor rekening, Pasal 17 huruf h].";
        assert_eq!(
            pieces(a),
            vec![
                Piece::Text("Rekap terlampir; "),
                Piece::Withheld("nama dan NIP, Pasal 17 huruf h"),
                Piece::Text(" dan "),
                Piece::Withheld("nomor rekening, Pasal 17 huruf h"),
                Piece::Text("."),
            ]
        );
        assert!(check_partial(a).is_ok());
        assert_eq!(pieces("Tanpa tanda"), vec![Piece::Text("Tanpa tanda")]);
        assert_eq!(
            pieces("Terbuka [DIHITAMKAN: tanpa tutup"),
            vec![Piece::Text("Terbuka [DIHITAMKAN: tanpa tutup")]
        );
    }

    #[test]
    fn a_partial_answer_needs_a_closed_reasoned_mark() {
        assert!(matches!(
            check_partial("Sebagian terlampir, sisanya tidak."),
            Err(InformationError::RedactionMarkRequired)
        ));
        for bad in [
            "Sebagian [DIHITAMKAN: Pasal 17 huruf h",
            "Sebagian [DIHITAMKAN: ] terlampir",
            "Sebagian [DIHITAMKAN: h] terlampir",
            "Sebagian [DIHITAMKAN: a [DIHITAMKAN: b] terlampir",
        ] {
            assert!(
                matches!(check_partial(bad), Err(InformationError::BadRedactionMark)),
                "{bad}"
            );
        }
    }
}
