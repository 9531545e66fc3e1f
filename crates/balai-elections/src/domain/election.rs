//! Elections, their kinds and regions, schedules, candidate pairs, TPS and past totals: the
//! pure rules (no IO).

use balai_core::i18n::Lang;
use serde::{Deserialize, Serialize};

/// The contest: governor (province), regent (kabupaten) or mayor (kota).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Gubernur,
    Bupati,
    Walikota,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "gubernur" => Some(Kind::Gubernur),
            "bupati" => Some(Kind::Bupati),
            "walikota" => Some(Kind::Walikota),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Gubernur => "gubernur",
            Kind::Bupati => "bupati",
            Kind::Walikota => "walikota",
        }
    }

    /// Does the region code fit this contest? Gubernur: a province `PP`; bupati: a kabupaten
    /// `PP.KK` with KK 01–69; walikota: a kota `PP.KK` with KK 71–99.
    pub fn fits_region(self, code: &str) -> bool {
        let parts: Vec<&str> = code.split('.').collect();
        match (self, parts.as_slice()) {
            (Kind::Gubernur, [_]) => true,
            (Kind::Bupati, [_, kk]) => kk.parse::<u32>().is_ok_and(|n| (1..=69).contains(&n)),
            (Kind::Walikota, [_, kk]) => kk.parse::<u32>().is_ok_and(|n| (71..=99).contains(&n)),
            _ => false,
        }
    }

    pub fn label_id(self) -> &'static str {
        match self {
            Kind::Gubernur => "Pemilihan Gubernur dan Wakil Gubernur",
            Kind::Bupati => "Pemilihan Bupati dan Wakil Bupati",
            Kind::Walikota => "Pemilihan Wali Kota dan Wakil Wali Kota",
        }
    }

    /// The contest's full name in the page's language.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (_, Lang::Id) => self.label_id(),
            (Kind::Gubernur, Lang::En) => "Election of the Governor and Vice Governor",
            (Kind::Bupati, Lang::En) => "Election of the Regent and Vice Regent",
            (Kind::Walikota, Lang::En) => "Election of the Mayor and Vice Mayor",
        }
    }

    /// The office in a word or two (`Wali Kota`, `Mayor`), as a list shows it.
    pub fn office(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Kind::Gubernur, Lang::Id) => "Gubernur",
            (Kind::Bupati, Lang::Id) => "Bupati",
            (Kind::Walikota, Lang::Id) => "Wali Kota",
            (Kind::Gubernur, Lang::En) => "Governor",
            (Kind::Bupati, Lang::En) => "Regent",
            (Kind::Walikota, Lang::En) => "Mayor",
        }
    }
}

impl TryFrom<String> for Kind {
    type Error = String;

    /// A stored kind (the column's CHECK allows only the three).
    fn try_from(s: String) -> Result<Self, String> {
        Kind::parse(&s).ok_or_else(|| format!("unknown election kind {s:?}"))
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether results can still be entered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ElectionStatus {
    Open,
    Closed,
}

impl ElectionStatus {
    pub const ALL: [ElectionStatus; 2] = [ElectionStatus::Open, ElectionStatus::Closed];

    pub const fn as_str(self) -> &'static str {
        match self {
            ElectionStatus::Open => "open",
            ElectionStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<ElectionStatus> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The status in the page's language (`Dibuka`, `Open`).
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ElectionStatus::Open => lang.tr("Dibuka", "Open"),
            ElectionStatus::Closed => lang.tr("Ditutup", "Closed"),
        }
    }

    /// A stored status: anything but `open` refuses results, as closed does.
    pub fn stored(s: &str) -> ElectionStatus {
        Self::parse(s).unwrap_or(ElectionStatus::Closed)
    }
}

impl From<String> for ElectionStatus {
    fn from(s: String) -> Self {
        ElectionStatus::stored(&s)
    }
}

impl std::fmt::Display for ElectionStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
/// The highest ballot number (nomor urut). KPU draws them 1, 2, … for the pairs it designates,
/// and a Pilkada has had at most a handful of pairs; the totals keep each region's votes in an
/// array indexed by ballot number, so an unbounded number would be an unbounded array.
pub const MAX_BALLOT: u32 = 50;

pub const CANDIDATE_STATUSES: [&str; 3] = ["registered", "designated", "disqualified"];

/// A candidate pair's stored status in the page's language.
pub fn candidate_status_label(status: &str, lang: Lang) -> &'static str {
    match status {
        "registered" => lang.tr("Terdaftar", "Registered"),
        "designated" => lang.tr("Ditetapkan", "Designated"),
        "disqualified" => lang.tr("Didiskualifikasi", "Disqualified"),
        // The column's CHECK allows only the three.
        _ => "–",
    }
}

pub use balai_core::schedule::StageKind;

/// One stage (tahapan) of a schedule version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Stage {
    /// What the stage is (DOMAIN.md §3); optional on input, inferred from the name when
    /// absent (`Pemungutan suara` → `pemungutan_suara`), `null` for a stage of no known kind.
    #[serde(default)]
    pub kind: Option<StageKind>,
    pub name: String,
    /// YYYY-MM-DD
    pub start: String,
    /// YYYY-MM-DD (inclusive)
    pub end: String,
}

pub fn parse_date(s: &str) -> Option<time::Date> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s.trim(), &fmt).ok()
}

impl Stage {
    /// The stage's kind: the one given, or the one its name says.
    pub fn effective_kind(&self) -> Option<StageKind> {
        self.kind.or_else(|| StageKind::infer(&self.name))
    }
}

/// The voting day of a schedule: the start of its `pemungutan_suara` stage.
pub fn voting_day(stages: &[Stage]) -> Option<time::Date> {
    stages
        .iter()
        .find(|s| s.kind == Some(StageKind::PemungutanSuara))
        .and_then(|s| parse_date(&s.start))
}

/// Check a schedule: at least one stage, names present, dates valid and not reversed, each
/// kind at most once. Returns the problems in (Bahasa Indonesia, English).
pub fn validate_stages(stages: &[Stage]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for k in StageKind::ALL {
        if stages
            .iter()
            .filter(|s| s.effective_kind() == Some(k))
            .count()
            > 1
        {
            out.push((
                format!("Jenis tahapan {} muncul lebih dari sekali.", k.as_str()),
                format!("The stage kind {} appears more than once.", k.as_str()),
            ));
        }
    }
    if stages.is_empty() {
        out.push((
            "Jadwal harus berisi paling sedikit satu tahapan.".into(),
            "A schedule needs at least one stage.".into(),
        ));
    }
    for (i, s) in stages.iter().enumerate() {
        let n = i + 1;
        if s.name.trim().is_empty() || s.name.len() > 200 {
            out.push((
                format!("Tahapan {n}: nama wajib diisi (maks. 200 karakter)."),
                format!("Stage {n}: a name is required (at most 200 characters)."),
            ));
        }
        match (parse_date(&s.start), parse_date(&s.end)) {
            (Some(a), Some(b)) if a <= b => {}
            (Some(_), Some(_)) => out.push((
                format!("Tahapan {n}: tanggal selesai sebelum tanggal mulai."),
                format!("Stage {n}: the end date is before the start date."),
            )),
            _ => out.push((
                format!("Tahapan {n}: tanggal harus berbentuk TTTT-BB-HH."),
                format!("Stage {n}: dates must be YYYY-MM-DD."),
            )),
        }
    }
    out
}

/// One TPS row of a CSV import: `village_code,number,address,dpt_l,dpt_p`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TpsInput {
    #[schema(schema_with = balai_core::web::schema::village_code)]
    pub village_code: String,
    #[serde(deserialize_with = "balai_core::web::json_int::u32")]
    #[schema(minimum = 1, maximum = 9999)]
    pub number: u32,
    /// At most 300 characters.
    #[schema(max_length = 300)]
    pub address: String,
    #[serde(deserialize_with = "balai_core::web::json_int::u32")]
    pub dpt_l: u32,
    #[serde(deserialize_with = "balai_core::web::json_int::u32")]
    pub dpt_p: u32,
}

/// Parse a TPS CSV (with a header row). Every bad line is reported, with its line number.
pub fn parse_tps_csv(text: &str) -> Result<Vec<TpsInput>, Vec<(String, String)>> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    let mut errs = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let Ok(rec) = rec else {
            errs.push((
                format!("Baris {line}: CSV tidak sah."),
                format!("Line {line}: invalid CSV."),
            ));
            continue;
        };
        let get = |k: usize| rec.get(k).unwrap_or("").to_string();
        let num = |k: usize| rec.get(k).and_then(|s| s.parse::<u32>().ok());
        match (num(1), num(3), num(4)) {
            (Some(number), Some(l), Some(p)) if rec.len() == 5 && number > 0 => out.push(TpsInput {
                village_code: get(0),
                number,
                address: get(2),
                dpt_l: l,
                dpt_p: p,
            }),
            _ => errs.push((
                format!("Baris {line}: harus berisi kode_desa,nomor,alamat,dpt_l,dpt_p dengan nomor dan DPT berupa bilangan bulat tidak negatif."),
                format!("Line {line}: expected village_code,number,address,dpt_l,dpt_p with whole, non-negative numbers."),
            )),
        }
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(errs)
    }
}

/// One row of a past election's totals: `region_code,dpt,pengguna`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TotalRow {
    pub region_code: String,
    pub dpt: u64,
    pub pengguna: u64,
}

pub fn parse_totals_csv(text: &str) -> Result<Vec<TotalRow>, Vec<(String, String)>> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    let mut errs = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let ok = rec.ok().and_then(|r| {
            let code = r.get(0)?.to_string();
            let dpt = r.get(1)?.parse::<u64>().ok()?;
            let pengguna = r.get(2)?.parse::<u64>().ok()?;
            (r.len() == 3).then_some(TotalRow {
                region_code: code,
                dpt,
                pengguna,
            })
        });
        match ok {
            Some(row) => out.push(row),
            None => errs.push((
                format!("Baris {line}: harus berisi region_code,dpt,pengguna dengan bilangan bulat tidak negatif."),
                format!("Line {line}: expected region_code,dpt,pengguna with whole, non-negative numbers."),
            )),
        }
    }
    if out.is_empty() && errs.is_empty() {
        errs.push(("CSV kosong.".into(), "The CSV is empty.".into()));
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(errs)
    }
}

/// From totals given at mixed levels, the rows that cover `region` without double counting:
/// the row for `region` itself if present, else every row inside it that has no ancestor row
/// also inside it.
pub fn covering_totals<'a>(rows: &'a [TotalRow], region: &str) -> Vec<&'a TotalRow> {
    if let Some(r) = rows.iter().find(|r| r.region_code == region) {
        return vec![r];
    }
    let inside = |c: &str| c.starts_with(region) && c.as_bytes().get(region.len()) == Some(&b'.');
    let candidates: Vec<&TotalRow> = rows.iter().filter(|r| inside(&r.region_code)).collect();
    candidates
        .iter()
        .filter(|r| {
            !candidates.iter().any(|a| {
                a.region_code != r.region_code
                    && r.region_code.starts_with(&a.region_code)
                    && r.region_code.as_bytes().get(a.region_code.len()) == Some(&b'.')
            })
        })
        .copied()
        .collect()
}

/// The most voters a TPS may have on its DPT (the 2024 rule, DOMAIN.md §3). A TPS or a form
/// above it is refused, whatever the warning threshold in the settings says.
pub const LEGAL_MAX_DPT_PER_TPS: u32 = 600;

/// No number on a TPS form may exceed this: ten times the legal maximum of voters, far above
/// anything real (DPPh and DPTb included), and low enough that a misread or made-up figure
/// cannot swamp the published totals.
pub const MAX_FORM_COUNT: u32 = 10 * LEGAL_MAX_DPT_PER_TPS;

/// The most voters a region's past totals may name: above the whole national DPT (about
/// 204 million in 2024), and small enough that sums and turnout changes cannot overflow.
pub const MAX_REGION_DPT: u64 = 300_000_000;

/// A recapitulation's document reference (the berita acara number, e.g.
/// `123/PL.02.6-BA/3279/2024`): 3–100 characters of letters, digits, spaces and
/// `/ - . _ : ( ) ,`, with at least one digit. A lone `/`, a zero-width space or a private-use
/// character is no document.
pub fn document_ref_valid(doc: &str) -> bool {
    let n = doc.chars().count();
    (3..=100).contains(&n)
        && doc.chars().any(|c| c.is_ascii_digit())
        && doc
            .chars()
            .all(|c| c.is_alphanumeric() || " /-._:(),".contains(c))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn kinds_match_region_levels() {
        assert!(Kind::Gubernur.fits_region("16"));
        assert!(!Kind::Gubernur.fits_region("16.71"));
        assert!(Kind::Walikota.fits_region("16.71"));
        assert!(Kind::Walikota.fits_region("32.79"));
        assert!(!Kind::Walikota.fits_region("16.03"));
        assert!(Kind::Bupati.fits_region("16.03"));
        assert!(!Kind::Bupati.fits_region("16.71"));
        assert!(!Kind::Bupati.fits_region("16.03.01"));
        assert_eq!(Kind::parse("walikota"), Some(Kind::Walikota));
        assert_eq!(Kind::parse("presiden"), None);
    }

    #[test]
    fn stages_are_validated() {
        let ok = Stage {
            kind: None,
            name: "Pemungutan suara".into(),
            start: "2020-12-09".into(),
            end: "2020-12-09".into(),
        };
        assert!(validate_stages(std::slice::from_ref(&ok)).is_empty());
        assert_eq!(validate_stages(&[]).len(), 1);
        let reversed = Stage {
            end: "2020-12-01".into(),
            ..ok.clone()
        };
        let bad = Stage {
            name: " ".into(),
            start: "9 Des".into(),
            ..ok
        };
        let errs = validate_stages(&[reversed, bad]);
        assert_eq!(errs.len(), 3);
        assert!(errs[0].0.contains("Tahapan 1"));
    }

    #[test]
    fn stage_kinds_come_from_known_names() {
        use StageKind as K;
        for (name, kind) in [
            ("Pemungutan suara", Some(K::PemungutanSuara)),
            ("Hari Pemungutan Suara", Some(K::PemungutanSuara)),
            ("Pemungutan suara ulang", None),
            (
                "Pemutakhiran data pemilih",
                Some(K::PemutakhiranDataPemilih),
            ),
            ("Pendaftaran pasangan calon", Some(K::PendaftaranPaslon)),
            ("Penetapan paslon", Some(K::PenetapanPaslon)),
            ("Kampanye", Some(K::Kampanye)),
            ("Masa tenang", Some(K::MasaTenang)),
            (
                "Rekapitulasi hasil penghitungan suara",
                Some(K::Rekapitulasi),
            ),
            ("Penetapan pasangan calon terpilih", Some(K::PenetapanHasil)),
            ("Penetapan hasil", Some(K::PenetapanHasil)),
            ("Pelantikan", Some(K::Pelantikan)),
            ("Sosialisasi", None),
        ] {
            assert_eq!(StageKind::infer(name), kind, "{name}");
        }
        for k in StageKind::ALL {
            assert_eq!(StageKind::parse(k.as_str()), Some(k));
        }
        let s = |kind, name: &str, d: &str| Stage {
            kind,
            name: name.into(),
            start: d.into(),
            end: d.into(),
        };
        let v = [
            s(None, "Kampanye", "2020-10-01"),
            s(None, "Pemungutan suara", "2020-12-09"),
        ];
        assert!(validate_stages(&v).is_empty());
        let twice = [
            s(None, "Pemungutan suara", "2020-12-09"),
            s(Some(K::PemungutanSuara), "Coblosan", "2020-12-10"),
        ];
        assert_eq!(validate_stages(&twice).len(), 1);
    }

    #[test]
    fn csv_imports() {
        let ok = "village_code,number,address,dpt_l,dpt_p\n32.79.01.1001,1,Jl. A,120,130\n32.79.01.1001,2,\"Jl. B, RT 2\",300,310\n";
        let rows = parse_tps_csv(ok).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].address, "Jl. B, RT 2");
        let bad = "h\n32.79.01.1001,1,Jl. A,-1,130\n32.79.01.1001,x,Jl,1,1\n";
        assert_eq!(parse_tps_csv(bad).unwrap_err().len(), 2);
        let t = parse_totals_csv("region_code,dpt,pengguna\n16.71,1000,700\n").unwrap();
        assert_eq!(t[0].pengguna, 700);
        assert!(parse_totals_csv("region_code,dpt,pengguna\n16.71,-5,1\n").is_err());
        assert!(parse_totals_csv("region_code,dpt,pengguna\n").is_err());
    }

    #[test]
    fn covering_rows_do_not_double_count() {
        let rows = parse_totals_csv(
            "r,d,p\n16.71,1000,700\n16.71.01,400,300\n16.71.02,600,400\n16.72.01,10,5\n",
        )
        .unwrap();
        let c = covering_totals(&rows, "16.71");
        assert_eq!(c.len(), 1);
        let c = covering_totals(&rows, "16");
        let codes: Vec<&str> = c.iter().map(|r| r.region_code.as_str()).collect();
        assert_eq!(codes, vec!["16.71", "16.72.01"]);
        assert!(covering_totals(&rows, "17").is_empty());
    }
}
