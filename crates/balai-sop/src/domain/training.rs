//! The vocabulary of training (bimbingan teknis) and the roster: the bodies whose officers are
//! trained, where each serves, and the checks on what an official sends (a session, a roster,
//! an attendance list as CSV). Pure: no IO.

use balai_core::i18n::Lang;
use balai_core::regions::{Level, RegionCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Longest topic, trainer list, application name or officer name.
pub const MAX_FIELD: usize = 200;
/// Most officers one roster request or one CSV may carry.
pub const MAX_BATCH: usize = 5_000;

/// Who is trained (DOMAIN.md §1, §12): the KPU's permanent staff and the ad hoc bodies, PPK
/// (district), PPS (village) and KPPS (polling station, kept by village here).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Body {
    Staff,
    Ppk,
    Pps,
    Kpps,
}

impl Body {
    pub const ALL: [Body; 4] = [Body::Staff, Body::Ppk, Body::Pps, Body::Kpps];

    pub const fn as_str(self) -> &'static str {
        match self {
            Body::Staff => "staff",
            Body::Ppk => "ppk",
            Body::Pps => "pps",
            Body::Kpps => "kpps",
        }
    }

    /// Parse the stored word, or what a CSV says (case ignored; `sekretariat` for staff).
    pub fn parse(s: &str) -> Option<Body> {
        match s.trim().to_ascii_lowercase().as_str() {
            "staff" | "sekretariat" | "pegawai" => Some(Body::Staff),
            "ppk" => Some(Body::Ppk),
            "pps" => Some(Body::Pps),
            "kpps" => Some(Body::Kpps),
            _ => None,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Body::Staff => lang.tr("Pegawai KPU", "KPU staff"),
            Body::Ppk => "PPK",
            Body::Pps => "PPS",
            Body::Kpps => "KPPS",
        }
    }

    /// The level of the region an officer of this body serves in.
    pub const fn level(self) -> Level {
        match self {
            Body::Staff => Level::Regency,
            Body::Ppk => Level::District,
            Body::Pps | Body::Kpps => Level::Village,
        }
    }
}

/// Bodies as stored: their words, comma-separated, in order; none means every body.
pub fn bodies_text(bodies: &[Body]) -> String {
    let mut all: Vec<Body> = if bodies.is_empty() {
        Body::ALL.to_vec()
    } else {
        bodies.to_vec()
    };
    all.sort();
    all.dedup();
    all.iter().map(|b| b.as_str()).collect::<Vec<_>>().join(",")
}

/// The bodies of a stored list (unknown words skipped).
pub fn parse_bodies(text: &str) -> Vec<Body> {
    text.split(',').filter_map(Body::parse).collect()
}

/// What is wrong with a roster, a session or an attendance list.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TrainingError {
    #[error("Topik pelatihan wajib diisi (paling panjang {MAX_FIELD} karakter).")]
    BadTopic,
    #[error("Nama pelatih wajib diisi (paling panjang {MAX_FIELD} karakter).")]
    BadTrainers,
    #[error("Nama aplikasi paling panjang {MAX_FIELD} karakter.")]
    BadApplication,
    #[error("Sebutkan SOP atau aplikasi yang menjadi materi pelatihan.")]
    CoverageRequired,
    #[error("Daftar petugas kosong atau lebih dari {MAX_BATCH} orang.")]
    BatchSize,
    /// `number` counts from 1.
    #[error("Petugas {number}: nama wajib diisi (paling panjang {MAX_FIELD} karakter).")]
    BadName { number: usize },
    #[error("Petugas {number}: badan harus staff, ppk, pps atau kpps.")]
    BadBody { number: usize },
    #[error("Petugas {number}: kode wilayah tidak sah.")]
    BadRegion { number: usize },
    #[error("Petugas {number}: {body} bertugas di wilayah tingkat {level}.")]
    WrongLevel {
        number: usize,
        body: &'static str,
        level: &'static str,
    },
    #[error("Petugas {number}: wilayahnya di luar wilayah daftar ini.")]
    OutsideRegion { number: usize },
    #[error("Baris pertama CSV harus berisi judul kolom body, region_code, name.")]
    CsvHeader,
    #[error("CSV baris {line}: harus ada tiga kolom (body, region_code, name).")]
    CsvRow { line: usize },
}

impl TrainingError {
    pub fn message_en(&self) -> String {
        use TrainingError as E;
        match self {
            E::BadTopic => format!("The topic is required (at most {MAX_FIELD} characters)."),
            E::BadTrainers => {
                format!("The trainers are required (at most {MAX_FIELD} characters).")
            }
            E::BadApplication => format!("The application is at most {MAX_FIELD} characters."),
            E::CoverageRequired => "Name the SOP or the application the session covers.".into(),
            E::BatchSize => format!("The list of officers is empty or longer than {MAX_BATCH}."),
            E::BadName { number } => {
                format!("Officer {number}: the name is required (at most {MAX_FIELD} characters).")
            }
            E::BadBody { number } => {
                format!("Officer {number}: the body is staff, ppk, pps or kpps.")
            }
            E::BadRegion { number } => format!("Officer {number}: the region code is malformed."),
            E::WrongLevel {
                number,
                body,
                level,
            } => format!("Officer {number}: a {body} officer serves in a {level}."),
            E::OutsideRegion { number } => {
                format!("Officer {number}: the region lies outside this roster's region.")
            }
            E::CsvHeader => "The CSV's first row names the columns body, region_code, name.".into(),
            E::CsvRow { line } => {
                format!("CSV line {line}: three columns are needed (body, region_code, name).")
            }
        }
    }

    pub fn code(&self) -> &'static str {
        use TrainingError as E;
        match self {
            E::BadTopic => "bad_topic",
            E::BadTrainers => "bad_trainers",
            E::BadApplication => "too_long",
            E::CoverageRequired => "coverage_required",
            E::BatchSize => "bad_batch_size",
            E::BadName { .. } => "bad_name",
            E::BadBody { .. } => "bad_body",
            E::BadRegion { .. } => "bad_region_code",
            E::WrongLevel { .. } => "wrong_level",
            E::OutsideRegion { .. } => "region_outside_roster",
            E::CsvHeader | E::CsvRow { .. } => "bad_csv",
        }
    }
}

/// One officer of a roster, as sent.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficerEntry {
    pub body: Body,
    /// Where the officer serves: the regency (staff), a district (PPK), a village (PPS, KPPS).
    #[schema(schema_with = balai_core::web::schema::region_code)]
    pub region_code: String,
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
}

/// A required text, trimmed, at most [`MAX_FIELD`] characters.
pub fn required(s: &str, err: TrainingError) -> Result<String, TrainingError> {
    let t = s.trim();
    // The length as sent (the API document states it of the text before trimming).
    if t.is_empty() || s.chars().count() > MAX_FIELD {
        return Err(err);
    }
    Ok(t.to_string())
}

fn level_name(l: Level) -> &'static str {
    match l {
        Level::Province => "provinsi",
        Level::Regency => "kabupaten/kota",
        Level::District => "kecamatan",
        Level::Village => "desa/kelurahan",
    }
}

/// Officers trimmed and checked against the roster's regency: a name, a region inside it at
/// the body's level. Repeats (same body, region and name) are kept once.
pub fn check_roster(
    regency: &RegionCode,
    entries: &[OfficerEntry],
) -> Result<Vec<OfficerEntry>, TrainingError> {
    if entries.is_empty() || entries.len() > MAX_BATCH {
        return Err(TrainingError::BatchSize);
    }
    let mut out: Vec<OfficerEntry> = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        let number = i + 1;
        let name = required(&e.name, TrainingError::BadName { number })?;
        let region =
            RegionCode::parse(&e.region_code).map_err(|_| TrainingError::BadRegion { number })?;
        if !regency.contains(region.as_str()) {
            return Err(TrainingError::OutsideRegion { number });
        }
        if region.level() != e.body.level() {
            return Err(TrainingError::WrongLevel {
                number,
                body: e.body.as_str(),
                level: level_name(e.body.level()),
            });
        }
        let entry = OfficerEntry {
            body: e.body,
            region_code: region.as_str().to_string(),
            name,
        };
        if !out.contains(&entry) {
            out.push(entry);
        }
    }
    Ok(out)
}

/// Parse a CSV of officers (`body,region_code,name`, with that header; the order of the
/// columns is free). Rows are numbered as officers from 1; a body the CSV misspells is refused.
pub fn parse_officers_csv(text: &str) -> Result<Vec<OfficerEntry>, TrainingError> {
    let mut rows = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes())
        .into_records();
    let header = match rows.next() {
        Some(Ok(h)) => h,
        _ => return Err(TrainingError::CsvHeader),
    };
    let col = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(b), Some(r), Some(n)) = (col("body"), col("region_code"), col("name")) else {
        return Err(TrainingError::CsvHeader);
    };
    let mut out = Vec::new();
    for (i, row) in rows.enumerate() {
        let line = i + 2;
        let row = row.map_err(|_| TrainingError::CsvRow { line })?;
        if row.iter().all(str::is_empty) {
            continue;
        }
        let (Some(body), Some(region), Some(name)) = (row.get(b), row.get(r), row.get(n)) else {
            return Err(TrainingError::CsvRow { line });
        };
        let number = out.len() + 1;
        out.push(OfficerEntry {
            body: Body::parse(body).ok_or(TrainingError::BadBody { number })?,
            region_code: region.to_string(),
            name: name.to_string(),
        });
        if out.len() > MAX_BATCH {
            return Err(TrainingError::BatchSize);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(body: Body, region: &str, name: &str) -> OfficerEntry {
        OfficerEntry {
            body,
            region_code: region.into(),
            name: name.into(),
        }
    }

    #[test]
    fn rosters_keep_officers_inside_the_regency_at_their_body_level() {
        let banjar = RegionCode::parse("32.79").unwrap();
        let ok = check_roster(
            &banjar,
            &[
                entry(Body::Ppk, "32.79.01", " Asep "),
                entry(Body::Pps, "32.79.01.1001", "Dewi"),
                entry(Body::Ppk, "32.79.01", "Asep"),
                entry(Body::Staff, "32.79", "Rina"),
            ],
        )
        .unwrap();
        assert_eq!(ok.len(), 3);
        assert_eq!(ok[0].name, "Asep");
        assert_eq!(
            check_roster(&banjar, &[entry(Body::Ppk, "32.79.01.1001", "A")]),
            Err(TrainingError::WrongLevel {
                number: 1,
                body: "ppk",
                level: "kecamatan"
            })
        );
        assert_eq!(
            check_roster(&banjar, &[entry(Body::Ppk, "32.78.01", "A")]),
            Err(TrainingError::OutsideRegion { number: 1 })
        );
        assert_eq!(
            check_roster(&banjar, &[entry(Body::Kpps, "32.79.01.1001", "  ")]),
            Err(TrainingError::BadName { number: 1 })
        );
        assert_eq!(check_roster(&banjar, &[]), Err(TrainingError::BatchSize));
    }

    #[test]
    fn body_lists_are_stored_in_order_and_none_means_all() {
        assert_eq!(bodies_text(&[Body::Kpps, Body::Ppk, Body::Ppk]), "ppk,kpps");
        assert_eq!(bodies_text(&[]), "staff,ppk,pps,kpps");
        assert_eq!(parse_bodies("ppk,kpps,x"), vec![Body::Ppk, Body::Kpps]);
    }

    #[test]
    fn csv_rosters_name_their_columns() {
        let rows = parse_officers_csv(
            "name,body,region_code\nAsep,PPK,32.79.01\n\nDewi,pps,32.79.01.1001\n",
        )
        .unwrap();
        assert_eq!(
            rows,
            vec![
                entry(Body::Ppk, "32.79.01", "Asep"),
                entry(Body::Pps, "32.79.01.1001", "Dewi")
            ]
        );
        assert_eq!(parse_officers_csv("a,b\n"), Err(TrainingError::CsvHeader));
        assert_eq!(
            parse_officers_csv("body,region_code,name\nlurah,32.79.01,X\n"),
            Err(TrainingError::BadBody { number: 1 })
        );
        assert_eq!(
            parse_officers_csv("body,region_code,name\nppk,32.79.01\n"),
            Err(TrainingError::CsvRow { line: 2 })
        );
    }
}
