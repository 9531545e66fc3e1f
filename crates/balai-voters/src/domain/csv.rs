//! The voter list as the commission exports it: CSV with a header row, columns
//! `nik,nkk,name,birth_place,birth_date,sex,village_code,tps_number,address` and optionally
//! `disability,marital_status`, in any order. Every row is checked; a refused row is reported
//! with its line and reason, and one refused row refuses the whole file (all or nothing).

use std::collections::{HashMap, HashSet};

use balai_core::nik::{KkNumber, Nik, Sex};
use time::Date;

use super::nik::{self, Impossible};

/// One listed voter, checked.
#[derive(Clone, Debug)]
pub struct Voter {
    pub line: usize,
    pub nik: Nik,
    pub nkk: String,
    pub name: String,
    pub birth_place: String,
    pub birth_date: Date,
    pub sex: Sex,
    pub village_code: String,
    pub tps_number: u32,
    pub address: String,
    pub disability: String,
    pub marital_status: String,
}

/// Why a row was refused.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// The header lacks a required column (line 1), or a row has the wrong number of fields.
    Columns(String),
    Nik(Impossible),
    Nkk,
    Name,
    BirthDate,
    Sex,
    /// The sex column says one thing, the NIK's day (+ 40 for women) the other.
    SexMismatch,
    /// The village is not inside the election's region, or not a village at all.
    VillageOutside(String),
    TpsNumber,
    /// The NIK is listed already, on this earlier line.
    Duplicate(usize),
    /// The TPS already has the maximum of voters.
    TpsFull(u32),
}

impl Problem {
    pub fn code(&self) -> &'static str {
        match self {
            Problem::Columns(_) => "columns",
            Problem::Nik(i) => i.code(),
            Problem::Nkk => "nkk_invalid",
            Problem::Name => "name_missing",
            Problem::BirthDate => "birth_date_invalid",
            Problem::Sex => "sex_invalid",
            Problem::SexMismatch => "nik_sex_mismatch",
            Problem::VillageOutside(_) => "village_outside_region",
            Problem::TpsNumber => "tps_number_invalid",
            Problem::Duplicate(_) => "nik_duplicate",
            Problem::TpsFull(_) => "tps_full",
        }
    }

    /// The Indonesian and English reasons.
    pub fn messages(&self) -> (String, String) {
        match self {
            Problem::Columns(c) => (
                format!("Kolom tidak sesuai: {c}."),
                format!("Columns do not match: {c}."),
            ),
            Problem::Nik(i) => i.messages(),
            Problem::Nkk => (
                "Nomor KK harus 16 angka dengan kode wilayah yang sah.".into(),
                "The KK number must be 16 digits with a valid region code.".into(),
            ),
            Problem::Name => ("Nama kosong.".into(), "The name is empty.".into()),
            Problem::BirthDate => (
                "Tanggal lahir harus berbentuk TTTT-BB-HH.".into(),
                "The birth date must be written YYYY-MM-DD.".into(),
            ),
            Problem::Sex => (
                "Jenis kelamin harus L atau P.".into(),
                "Sex must be L or P.".into(),
            ),
            Problem::SexMismatch => (
                "Jenis kelamin tidak cocok dengan NIK (tanggal + 40 untuk perempuan).".into(),
                "Sex does not match the NIK (day + 40 for women).".into(),
            ),
            Problem::VillageOutside(v) => (
                format!("Desa/kelurahan {v} tidak ada di wilayah pemilihan ini."),
                format!("Village {v} is not in this election's region."),
            ),
            Problem::TpsNumber => (
                "Nomor TPS harus 1–9999.".into(),
                "The TPS number must be 1–9999.".into(),
            ),
            Problem::Duplicate(first) => (
                format!("NIK sudah terdaftar di baris {first}."),
                format!("The NIK is already listed on line {first}."),
            ),
            Problem::TpsFull(max) => (
                format!("TPS ini sudah berisi {max} pemilih, batas per TPS."),
                format!("This TPS already has {max} voters, the maximum per TPS."),
            ),
        }
    }
}

/// A refused row.
#[derive(Clone, Debug, PartialEq)]
pub struct Refused {
    pub line: usize,
    pub problem: Problem,
}

/// What the rows are checked against.
pub struct Context<'a> {
    pub today: Date,
    /// The villages of the election's region (`PP.KK.CC.NNNN`).
    pub villages: &'a HashSet<String>,
    /// Known regencies/cities (`PP.KK`), for the NIK's prefix.
    pub regencies: &'a HashSet<String>,
    pub max_per_tps: u32,
}

pub(crate) const REQUIRED: [&str; 9] = [
    "nik",
    "nkk",
    "name",
    "birth_place",
    "birth_date",
    "sex",
    "village_code",
    "tps_number",
    "address",
];

/// The optional columns.
pub(crate) const OPTIONAL: [&str; 2] = ["disability", "marital_status"];

/// Column positions of the known fields, found once from the header (a field named twice: its
/// last column).
pub struct Columns(Vec<(&'static str, usize)>);

impl Columns {
    fn get<'r>(&self, rec: &'r csv::StringRecord, name: &str) -> &'r str {
        self.0
            .iter()
            .find(|(field, _)| *field == name)
            .and_then(|(_, i)| rec.get(*i))
            .map_or("", str::trim)
    }
}

/// The columns of a header row and its width, or the refusal of line 1.
pub fn columns(header: csv::Result<csv::StringRecord>) -> Result<(Columns, usize), Vec<Refused>> {
    let header = header.map_err(|e| {
        vec![Refused {
            line: 1,
            problem: Problem::Columns(e.to_string()),
        }]
    })?;
    let names: Vec<String> = header
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let at = |field: &str| names.iter().rposition(|n| n == field);
    let missing: Vec<&str> = REQUIRED.into_iter().filter(|c| at(c).is_none()).collect();
    if !missing.is_empty() {
        return Err(vec![Refused {
            line: 1,
            problem: Problem::Columns(format!("tidak ada / missing {}", missing.join(", "))),
        }]);
    }
    let cols = REQUIRED
        .into_iter()
        .chain(OPTIONAL)
        .filter_map(|field| at(field).map(|i| (field, i)))
        .collect();
    Ok((Columns(cols), header.len()))
}

/// One data row: the voter, or why it is refused (the checks of a single row; duplicates and
/// full TPS are the caller's, across rows).
pub fn record(
    cols: &Columns,
    width: usize,
    rec: Result<&csv::StringRecord, &csv::Error>,
    line: usize,
    cx: &Context<'_>,
) -> Result<Voter, Problem> {
    match rec {
        Ok(r) if r.len() == width => row(cols, r, line, cx),
        Ok(r) => Err(Problem::Columns(format!(
            "{} kolom / fields, {width}",
            r.len()
        ))),
        Err(e) => Err(Problem::Columns(e.to_string())),
    }
}

/// Check every row: the voters, or every refused row (nothing is imported then).
pub fn parse(text: &str, cx: &Context<'_>) -> Result<Vec<Voter>, Vec<Refused>> {
    let mut rd = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let (cols, width) = columns(rd.headers().cloned())?;
    let mut voters = Vec::new();
    let mut refused = Vec::new();
    let mut seen: HashMap<u64, usize> = HashMap::new();
    let mut per_tps: HashMap<(String, u32), u32> = HashMap::new();
    for (i, rec) in rd.records().enumerate() {
        let line = i + 2;
        match record(&cols, width, rec.as_ref(), line, cx) {
            Err(problem) => refused.push(Refused { line, problem }),
            Ok(v) => {
                let key = v.nik.as_str().parse::<u64>().unwrap_or(0);
                if let Some(first) = seen.get(&key) {
                    refused.push(Refused {
                        line,
                        problem: Problem::Duplicate(*first),
                    });
                    continue;
                }
                seen.insert(key, line);
                let n = per_tps
                    .entry((v.village_code.clone(), v.tps_number))
                    .or_insert(0);
                if *n >= cx.max_per_tps {
                    refused.push(Refused {
                        line,
                        problem: Problem::TpsFull(cx.max_per_tps),
                    });
                    continue;
                }
                *n += 1;
                voters.push(v);
            }
        }
    }
    if refused.is_empty() {
        Ok(voters)
    } else {
        Err(refused)
    }
}

fn row(
    cols: &Columns,
    rec: &csv::StringRecord,
    line: usize,
    cx: &Context<'_>,
) -> Result<Voter, Problem> {
    let nik = nik::check(cols.get(rec, "nik"), cx.today, |p| cx.regencies.contains(p))
        .map_err(Problem::Nik)?;
    let nkk = KkNumber::parse(cols.get(rec, "nkk")).map_err(|_| Problem::Nkk)?;
    let name = cols.get(rec, "name");
    if name.is_empty() || name.chars().count() > 200 {
        return Err(Problem::Name);
    }
    let birth_date = Date::parse(
        cols.get(rec, "birth_date"),
        &time::format_description::well_known::Iso8601::DATE,
    )
    .map_err(|_| Problem::BirthDate)?;
    let sex = Sex::parse(cols.get(rec, "sex")).ok_or(Problem::Sex)?;
    if sex != nik.sex() {
        return Err(Problem::SexMismatch);
    }
    let village = cols.get(rec, "village_code");
    if !cx.villages.contains(village) {
        return Err(Problem::VillageOutside(village.to_string()));
    }
    let tps_number = cols
        .get(rec, "tps_number")
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=9999).contains(n))
        .ok_or(Problem::TpsNumber)?;
    Ok(Voter {
        line,
        nik,
        nkk: nkk.as_str().to_string(),
        name: name.to_string(),
        birth_place: cols.get(rec, "birth_place").to_string(),
        birth_date,
        sex,
        village_code: village.to_string(),
        tps_number,
        address: cols.get(rec, "address").to_string(),
        disability: cols.get(rec, "disability").to_string(),
        marital_status: cols.get(rec, "marital_status").to_string(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use time::macros::date;

    const HEAD: &str = "nik,nkk,name,birth_place,birth_date,sex,village_code,tps_number,address\n";

    fn sets() -> (HashSet<String>, HashSet<String>) {
        (
            ["32.79.01.1001".to_string(), "32.79.01.1002".to_string()].into(),
            ["32.79".to_string(), "16.71".to_string()].into(),
        )
    }

    fn cx<'a>(v: &'a HashSet<String>, r: &'a HashSet<String>, max: u32) -> Context<'a> {
        Context {
            today: date!(2026 - 12 - 05),
            villages: v,
            regencies: r,
            max_per_tps: max,
        }
    }

    #[test]
    fn good_rows_in_any_column_order() {
        let (v, r) = sets();
        let text = "name,nik,nkk,birth_place,birth_date,sex,village_code,tps_number,address,disability\n\
            Siti Wahyuni,3279015508900002,3279012301150004,Banjar,1990-08-15,P,32.79.01.1001,1,Jl. Mawar 1,\n\
            \"H. Ahmad Fauzi, S.E.\",1671041508900001,3279012301150004,Palembang,1990-08-15,L,32.79.01.1002,3,Jl. Melati 2,tunanetra\n";
        let got = parse(text, &cx(&v, &r, 600)).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].name, "H. Ahmad Fauzi, S.E.");
        assert_eq!(got[1].tps_number, 3);
        assert_eq!(got[1].disability, "tunanetra");
        assert_eq!(got[0].line, 2);
    }

    #[test]
    fn each_refusal_with_its_line() {
        let (v, r) = sets();
        let text = format!(
            "{HEAD}3279015508900002,3279012301150004,A,B,1990-08-15,P,32.79.01.1001,1,x\n\
             2222222222222222,3279012301150004,A,B,1990-08-15,P,32.79.01.1001,1,x\n\
             3279011508900001,3279012301150004,A,B,1990-08-15,P,32.79.01.1001,1,x\n\
             3279015508900002,3279012301150004,A,B,1990-08-15,P,32.79.01.1001,1,x\n\
             3279011508900003,3279012301150004,A,B,1990-08-15,L,16.71.01.1001,1,x\n\
             3269011508900001,3279012301150004,A,B,1990-08-15,L,32.79.01.1001,1,x\n\
             3279011508900004,3279012301150004,A,B,1990-08-15,L,32.79.01.1001,1,x\n"
        );
        let refused = parse(&text, &cx(&v, &r, 1)).unwrap_err();
        let got: Vec<(usize, &str)> = refused.iter().map(|x| (x.line, x.problem.code())).collect();
        assert_eq!(
            got,
            [
                (3, "nik_birth_date"),
                (4, "nik_sex_mismatch"),
                (5, "nik_duplicate"),
                (6, "village_outside_region"),
                (7, "nik_region_unknown"),
                (8, "tps_full"),
            ]
        );
        assert_eq!(refused[2].problem, Problem::Duplicate(2));
    }

    #[test]
    fn missing_columns_refuse_the_file() {
        let (v, r) = sets();
        let refused = parse("nik,name\n1,2\n", &cx(&v, &r, 600)).unwrap_err();
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].line, 1);
        assert!(refused[0].problem.messages().1.contains("birth_date"));
    }
}
