//! What the pages call things: the C.Hasil-KWK fields, a TPS's state, a version's kind, in
//! the page's language, never the machine keys (`pemilih_dpt.l`, `disputed`, `entry`).

use balai_core::i18n::Lang;

/// A form row's name (`pemilih_dpt` → `Pemilih terdaftar dalam DPT`).
pub fn row_label(row: &str, lang: Lang) -> &'static str {
    match row {
        "pemilih_dpt" => lang.tr("Pemilih dalam DPT", "Voters on the DPT"),
        "pemilih_dpph" => lang.tr(
            "Pemilih dalam DPPh (pindahan)",
            "Voters on the DPPh (moved in)",
        ),
        "pemilih_dptb" => lang.tr(
            "Pemilih dalam DPTb (tambahan)",
            "Voters on the DPTb (additional)",
        ),
        "pemilih_total" => lang.tr("Jumlah pemilih", "Voters in total"),
        "pengguna_dpt" => lang.tr("Pengguna hak pilih dari DPT", "Voted, from the DPT"),
        "pengguna_dpph" => lang.tr("Pengguna hak pilih dari DPPh", "Voted, from the DPPh"),
        "pengguna_dptb" => lang.tr("Pengguna hak pilih dari DPTb", "Voted, from the DPTb"),
        "pengguna_total" => lang.tr("Jumlah pengguna hak pilih", "Voted in total"),
        "disabilitas_pemilih" => lang.tr(
            "Pemilih disabilitas terdaftar",
            "Registered voters with disabilities",
        ),
        "disabilitas_pengguna" => lang.tr(
            "Pemilih disabilitas yang memilih",
            "Voters with disabilities who voted",
        ),
        "surat_diterima" => lang.tr("Surat suara diterima", "Ballots received"),
        "surat_dikembalikan" => lang.tr(
            "Surat suara dikembalikan (rusak/keliru)",
            "Ballots returned (spoilt)",
        ),
        "surat_tidak_digunakan" => lang.tr("Surat suara tidak digunakan", "Ballots not used"),
        "surat_digunakan" => lang.tr("Surat suara digunakan", "Ballots used"),
        "suara_sah" => lang.tr("Suara sah", "Valid votes"),
        "suara_tidak_sah" => lang.tr("Suara tidak sah", "Invalid votes"),
        "suara_total" => lang.tr("Jumlah suara sah dan tidak sah", "Valid and invalid votes"),
        _ => "",
    }
}

/// A column of a split row.
pub fn col_label(col: &str, lang: Lang) -> &'static str {
    match col {
        "l" => lang.tr("laki-laki", "men"),
        "p" => lang.tr("perempuan", "women"),
        _ => lang.tr("jumlah", "total"),
    }
}

/// A dotted field key as people read it: `pemilih_dpt.l` → `Pemilih dalam DPT, laki-laki`,
/// `votes.2` → `Suara paslon nomor 2`. An unknown key comes back as it is.
pub fn field_label(key: &str, lang: Lang) -> String {
    if let Some(b) = key.strip_prefix("votes.") {
        return format!(
            "{} {b}",
            lang.tr("Suara paslon nomor", "Votes for pair no.")
        );
    }
    let (row, col) = match key.split_once('.') {
        Some((r, c)) => (r, Some(c)),
        None => (key, None),
    };
    let name = row_label(row, lang);
    if name.is_empty() {
        return key.to_string();
    }
    match col {
        Some(c) => format!("{name}, {}", col_label(c, lang)),
        None => name.to_string(),
    }
}

/// A TPS's double-entry state (`none`, `entered`, `verified`, `disputed`).
pub fn tps_status(status: &str, lang: Lang) -> &str {
    match status {
        "none" => lang.tr("Belum ada entri", "Not entered yet"),
        "entered" => lang.tr(
            "Sudah dientri, belum diperiksa entri kedua",
            "Entered, not yet double-checked",
        ),
        "verified" => lang.tr(
            "Terverifikasi (dua entri cocok)",
            "Verified (two entries agree)",
        ),
        "disputed" => lang.tr(
            "Entri berbeda, menunggu keputusan supervisor",
            "Entries disagree, awaiting a supervisor",
        ),
        other => other,
    }
}

/// A version's kind (`entry`, `correction`, `psu`, `resolution`).
pub fn entry_kind(kind: &str, lang: Lang) -> &str {
    match kind {
        "entry" => lang.tr("entri", "entry"),
        "correction" => lang.tr("perbaikan", "correction"),
        "psu" => lang.tr("pemungutan suara ulang (PSU)", "re-vote (PSU)"),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_read_as_words() {
        assert_eq!(
            field_label("pemilih_dpt.l", Lang::Id),
            "Pemilih dalam DPT, laki-laki"
        );
        assert_eq!(field_label("votes.2", Lang::En), "Votes for pair no. 2");
        assert_eq!(
            field_label("surat_diterima", Lang::Id),
            "Surat suara diterima"
        );
        assert_eq!(field_label("odd", Lang::Id), "odd");
        for r in crate::domain::form::ROWS
            .iter()
            .chain(&crate::domain::form::SCALARS)
        {
            assert!(!row_label(r, Lang::Id).is_empty(), "{r}");
            assert!(!row_label(r, Lang::En).is_empty(), "{r}");
        }
    }
}

/// Every field key a message may name, longest first (so `pemilih_dptb` is not read as
/// `pemilih_dpt` followed by `b`).
fn known_keys() -> Vec<String> {
    use crate::domain::form::{ROWS, SCALARS};
    let mut keys: Vec<String> = Vec::new();
    for r in ROWS {
        for c in ["l", "p", "total"] {
            keys.push(format!("{r}.{c}"));
        }
        keys.push(r.to_string());
    }
    keys.extend(SCALARS.iter().map(|s| s.to_string()));
    keys.sort_by_key(|k| std::cmp::Reverse(k.len()));
    keys
}

/// A stored message with its field keys written as words: `Aturan 1: pada baris pemilih_dpt`
/// → `Aturan 1: pada baris «Pemilih dalam DPT»`; `votes.2` → `«Suara paslon nomor 2»`.
pub fn humanize(text: &str, lang: Lang) -> String {
    let mut out = text.to_string();
    for k in known_keys() {
        if out.contains(&k) {
            out = out.replace(&k, &format!("«{}»", field_label(&k, lang)));
        }
    }
    let mut result = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(i) = rest.find("votes.") {
        result.push_str(&rest[..i]);
        let after = &rest[i + 6..];
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() {
            result.push_str("votes.");
        } else {
            result.push_str(&format!(
                "«{}»",
                field_label(&format!("votes.{digits}"), lang)
            ));
        }
        rest = &after[digits.len()..];
    }
    result.push_str(rest);
    result
}

#[cfg(test)]
mod humanize_tests {
    use super::*;

    #[test]
    fn messages_lose_their_keys() {
        let m = humanize(
            "Aturan 2: pemilih DPT + DPPh + DPTb (l) = 5, tetapi pemilih_total.l tertulis 4; votes.1 dan pemilih_dptb.",
            Lang::Id,
        );
        assert_eq!(
            m,
            "Aturan 2: pemilih DPT + DPPh + DPTb (l) = 5, tetapi «Jumlah pemilih, laki-laki» tertulis 4; «Suara paslon nomor 1» dan «Pemilih dalam DPTb (tambahan)»."
        );
        assert!(!humanize("Isian surat_diterima wajib diisi.", Lang::Id).contains("surat_"));
    }
}
