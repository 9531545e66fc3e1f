//! The bulk import format: CSV with a header row naming the columns (any order), one
//! appointment per row, all for one appointing government. All or nothing: every problem is
//! reported with its line, and nothing is stored unless every row is good.
//!
//! Columns: `official_name`, `from_position`, `to_position`, `decree_number`, `decree_date`
//! (required); `nip`, `effective_date`, `signed_by`, `minister_approval_ref`, `kind` (optional).

use time::Date;

use super::appointment::{validate, Draft, NewAppointment};

/// The most rows one import takes.
pub const MAX_ROWS: usize = 2_000;

pub const REQUIRED: [&str; 5] = [
    "official_name",
    "from_position",
    "to_position",
    "decree_number",
    "decree_date",
];
pub const OPTIONAL: [&str; 5] = [
    "nip",
    "effective_date",
    "signed_by",
    "minister_approval_ref",
    "kind",
];

/// A problem, in (Bahasa Indonesia, English).
pub type Problem = (String, String);

/// Parse an import for `region_code`; the problems carry their line numbers (the header is
/// line 1).
pub fn parse(
    text: &str,
    region_code: &str,
    today: Date,
) -> Result<Vec<NewAppointment>, Vec<Problem>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h
            .iter()
            .map(|s| s.trim().trim_start_matches('\u{feff}').to_lowercase())
            .collect(),
        Err(_) => {
            return Err(vec![(
                "Baris 1: judul kolom tidak dapat dibaca.".into(),
                "Line 1: the header row cannot be read.".into(),
            )])
        }
    };
    let mut problems = Vec::new();
    for h in &headers {
        if !REQUIRED.contains(&h.as_str()) && !OPTIONAL.contains(&h.as_str()) {
            problems.push((
                format!("Baris 1: kolom \"{h}\" tidak dikenal."),
                format!("Line 1: unknown column \"{h}\"."),
            ));
        }
    }
    for r in REQUIRED {
        if !headers.iter().any(|h| h == r) {
            problems.push((
                format!("Baris 1: kolom \"{r}\" wajib ada."),
                format!("Line 1: the column \"{r}\" is required."),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let col = |rec: &csv::StringRecord, name: &str| -> String {
        headers
            .iter()
            .position(|h| h == name)
            .and_then(|i| rec.get(i))
            .unwrap_or("")
            .to_string()
    };
    let mut out = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let line = i + 2;
        if i >= MAX_ROWS {
            return Err(vec![(
                format!("Paling banyak {MAX_ROWS} baris per impor."),
                format!("At most {MAX_ROWS} rows per import."),
            )]);
        }
        let rec = match rec {
            Ok(r) => r,
            Err(_) => {
                problems.push((
                    format!("Baris {line}: jumlah kolom tidak sesuai judul atau isian tidak dapat dibaca."),
                    format!("Line {line}: the number of columns does not match the header, or the row cannot be read."),
                ));
                continue;
            }
        };
        let draft = Draft {
            region_code: region_code.to_string(),
            kind: col(&rec, "kind"),
            official_name: col(&rec, "official_name"),
            nip: col(&rec, "nip"),
            from_position: col(&rec, "from_position"),
            to_position: col(&rec, "to_position"),
            decree_number: col(&rec, "decree_number"),
            decree_date: col(&rec, "decree_date"),
            effective_date: col(&rec, "effective_date"),
            signed_by: col(&rec, "signed_by"),
            minister_approval_ref: col(&rec, "minister_approval_ref"),
        };
        match validate(&draft, today) {
            Ok(a) => out.push(a),
            Err(e) => {
                let (id, en) = e.messages();
                problems.push((format!("Baris {line}: {id}"), format!("Line {line}: {en}")));
            }
        }
    }
    if out.is_empty() && problems.is_empty() {
        problems.push((
            "Berkas CSV tidak berisi baris data.".into(),
            "The CSV file has no data rows.".into(),
        ));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 05);

    #[test]
    fn a_good_file_in_any_column_order() {
        let text = "decree_date,official_name,from_position,to_position,decree_number,nip,minister_approval_ref\n\
            2024-05-02,Sari Contoh,Kabid Anggaran,Kadis Pendidikan,821/1/2024,198503122010012003,\n\
            2024-10-01,\"Budi, S.Sos.\",Camat Pataruman,Sekretaris DPRD,821/2/2024,,100.2.2.3/123/SJ\n";
        let rows = parse(text, "32.79", TODAY).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].official_name, "Budi, S.Sos.");
        assert_eq!(
            rows[1].minister_approval_ref.as_deref(),
            Some("100.2.2.3/123/SJ")
        );
        assert!(rows[1].nip.is_none());
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let text = "official_name,from_position,to_position,decree_number,decree_date\n\
            Sari,,Kadis,821/1/2024,2024-05-02\n\
            Budi,Camat,Sekwan,821/2/2024,2024-05-02\n\
            Rina,Camat,Sekwan,821/3/2024,kemarin\n";
        let p = parse(text, "32.79", TODAY).unwrap_err();
        assert_eq!(p.len(), 2);
        assert!(p[0].0.starts_with("Baris 2:"), "{p:?}");
        assert!(p[1].1.starts_with("Line 4:"), "{p:?}");
    }

    #[test]
    fn headers_are_checked_and_empty_files_refused() {
        let p = parse("official_name,gaji\nSari,1\n", "32.79", TODAY).unwrap_err();
        assert!(p.iter().any(|x| x.1.contains("unknown column \"gaji\"")));
        assert!(p
            .iter()
            .any(|x| x.1.contains("\"decree_date\" is required")));
        let empty = parse(
            "official_name,from_position,to_position,decree_number,decree_date\n",
            "32.79",
            TODAY,
        )
        .unwrap_err();
        assert_eq!(empty.len(), 1);
        let bad_region = parse(
            "official_name,from_position,to_position,decree_number,decree_date\nA,B,C,D,2024-01-01\n",
            "32.79.01",
            TODAY,
        )
        .unwrap_err();
        assert!(bad_region[0].1.starts_with("Line 2:"));
    }
}
