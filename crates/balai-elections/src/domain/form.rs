//! The TPS result form (C.Hasil-KWK) and how it is read from JSON, an HTML form or CSV.
//!
//! Every field has a dotted name that is used everywhere (API, HTML inputs, CSV headers and the
//! rule findings): `pemilih_dpt.l`, `pengguna_total.total`, `surat_diterima`, `votes.2`, ….
//! Counts are `u32` and can never be negative; sums are computed in `u64`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One row of the form split by sex: laki-laki, perempuan, jumlah.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Row {
    pub l: u32,
    pub p: u32,
    pub total: u32,
}

impl Row {
    pub fn new(l: u32, p: u32) -> Row {
        Row {
            l,
            p,
            total: l.saturating_add(p),
        }
    }

    pub fn get(&self, col: Col) -> u32 {
        match col {
            Col::L => self.l,
            Col::P => self.p,
            Col::Total => self.total,
        }
    }
}

/// A column of a [`Row`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Col {
    L,
    P,
    Total,
}

impl Col {
    pub const ALL: [Col; 3] = [Col::L, Col::P, Col::Total];
    pub fn key(self) -> &'static str {
        match self {
            Col::L => "l",
            Col::P => "p",
            Col::Total => "total",
        }
    }
}

/// The C.Hasil-KWK form of one TPS.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Form {
    /// I.A voters on the lists.
    pub pemilih_dpt: Row,
    pub pemilih_dpph: Row,
    pub pemilih_dptb: Row,
    pub pemilih_total: Row,
    /// I.B voters who used their vote.
    pub pengguna_dpt: Row,
    pub pengguna_dpph: Row,
    pub pengguna_dptb: Row,
    pub pengguna_total: Row,
    /// II ballots.
    pub surat_diterima: u32,
    pub surat_dikembalikan: u32,
    pub surat_tidak_digunakan: u32,
    pub surat_digunakan: u32,
    /// III voters with disabilities: registered and voted.
    pub disabilitas_pemilih: Row,
    pub disabilitas_pengguna: Row,
    /// IV votes per paslon, keyed by ballot number.
    #[schema(value_type = BTreeMap<String, u32>)]
    pub votes: BTreeMap<u32, u32>,
    /// V valid (A), invalid (B) and total (A+B).
    pub suara_sah: u32,
    pub suara_tidak_sah: u32,
    pub suara_total: u32,
}

/// The row fields, in form order.
pub const ROWS: [&str; 10] = [
    "pemilih_dpt",
    "pemilih_dpph",
    "pemilih_dptb",
    "pemilih_total",
    "pengguna_dpt",
    "pengguna_dpph",
    "pengguna_dptb",
    "pengguna_total",
    "disabilitas_pemilih",
    "disabilitas_pengguna",
];

/// The single-number fields, in form order.
pub const SCALARS: [&str; 7] = [
    "surat_diterima",
    "surat_dikembalikan",
    "surat_tidak_digunakan",
    "surat_digunakan",
    "suara_sah",
    "suara_tidak_sah",
    "suara_total",
];

impl Form {
    pub fn row(&self, name: &str) -> Option<&Row> {
        Some(match name {
            "pemilih_dpt" => &self.pemilih_dpt,
            "pemilih_dpph" => &self.pemilih_dpph,
            "pemilih_dptb" => &self.pemilih_dptb,
            "pemilih_total" => &self.pemilih_total,
            "pengguna_dpt" => &self.pengguna_dpt,
            "pengguna_dpph" => &self.pengguna_dpph,
            "pengguna_dptb" => &self.pengguna_dptb,
            "pengguna_total" => &self.pengguna_total,
            "disabilitas_pemilih" => &self.disabilitas_pemilih,
            "disabilitas_pengguna" => &self.disabilitas_pengguna,
            _ => return None,
        })
    }

    fn row_mut(&mut self, name: &str) -> Option<&mut Row> {
        Some(match name {
            "pemilih_dpt" => &mut self.pemilih_dpt,
            "pemilih_dpph" => &mut self.pemilih_dpph,
            "pemilih_dptb" => &mut self.pemilih_dptb,
            "pemilih_total" => &mut self.pemilih_total,
            "pengguna_dpt" => &mut self.pengguna_dpt,
            "pengguna_dpph" => &mut self.pengguna_dpph,
            "pengguna_dptb" => &mut self.pengguna_dptb,
            "pengguna_total" => &mut self.pengguna_total,
            "disabilitas_pemilih" => &mut self.disabilitas_pemilih,
            "disabilitas_pengguna" => &mut self.disabilitas_pengguna,
            _ => return None,
        })
    }

    pub fn scalar(&self, name: &str) -> Option<u32> {
        Some(match name {
            "surat_diterima" => self.surat_diterima,
            "surat_dikembalikan" => self.surat_dikembalikan,
            "surat_tidak_digunakan" => self.surat_tidak_digunakan,
            "surat_digunakan" => self.surat_digunakan,
            "suara_sah" => self.suara_sah,
            "suara_tidak_sah" => self.suara_tidak_sah,
            "suara_total" => self.suara_total,
            _ => return None,
        })
    }

    fn scalar_mut(&mut self, name: &str) -> Option<&mut u32> {
        Some(match name {
            "surat_diterima" => &mut self.surat_diterima,
            "surat_dikembalikan" => &mut self.surat_dikembalikan,
            "surat_tidak_digunakan" => &mut self.surat_tidak_digunakan,
            "surat_digunakan" => &mut self.surat_digunakan,
            "suara_sah" => &mut self.suara_sah,
            "suara_tidak_sah" => &mut self.suara_tidak_sah,
            "suara_total" => &mut self.suara_total,
            _ => return None,
        })
    }

    /// Every field as `(dotted name, value)`, in form order (rows, ballots, votes, results).
    pub fn flat(&self) -> Vec<(String, u32)> {
        let mut out = Vec::with_capacity(48);
        for r in ROWS {
            if let Some(row) = self.row(r) {
                for c in Col::ALL {
                    out.push((format!("{r}.{}", c.key()), row.get(c)));
                }
            }
        }
        for s in SCALARS {
            if let Some(v) = self.scalar(s) {
                out.push((s.to_string(), v));
            }
        }
        for (b, v) in &self.votes {
            out.push((format!("votes.{b}"), *v));
        }
        out
    }

    /// The sum of paslon votes.
    pub fn votes_sum(&self) -> u64 {
        self.votes.values().map(|v| u64::from(*v)).sum()
    }
}

/// Why one field could not be read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    /// `required`, `negative`, `not_a_number`, `too_large`, `unknown_field`.
    pub code: &'static str,
    pub message_id: String,
    pub message_en: String,
}

fn ferr(field: &str, code: &'static str) -> FieldError {
    let (id, en) = match code {
        "required" => ("wajib diisi", "is required"),
        "negative" => ("tidak boleh negatif", "cannot be negative"),
        "too_large" => ("terlalu besar", "is too large"),
        "unknown_field" => (
            "bukan isian formulir C.Hasil-KWK",
            "is not a field of the form",
        ),
        _ => ("harus berupa bilangan bulat", "must be a whole number"),
    };
    FieldError {
        field: field.to_string(),
        code,
        message_id: format!("Isian {field} {id}."),
        message_en: format!("Field {field} {en}."),
    }
}

/// Read one count from a JSON value (a number, or a string of digits from a form or CSV).
fn count(field: &str, v: Option<&Value>) -> Result<u32, FieldError> {
    let big = |n: u64| u32::try_from(n).map_err(|_| ferr(field, "too_large"));
    match v {
        None | Some(Value::Null) => Err(ferr(field, "required")),
        Some(Value::Number(n)) => {
            if let Some(u) = n.as_u64() {
                big(u)
            } else if n.as_i64().is_some_and(|i| i < 0) || n.as_f64().is_some_and(|f| f < 0.0) {
                Err(ferr(field, "negative"))
            } else {
                Err(ferr(field, "not_a_number"))
            }
        }
        Some(Value::String(s)) => {
            let s = s.trim();
            if s.is_empty() {
                Err(ferr(field, "required"))
            } else if s.bytes().all(|b| b.is_ascii_digit()) {
                s.parse::<u64>()
                    .map_err(|_| ferr(field, "too_large"))
                    .and_then(big)
            } else if s.starts_with('-')
                && s.len() > 1
                && s[1..].bytes().all(|b| b.is_ascii_digit())
            {
                Err(ferr(field, "negative"))
            } else {
                Err(ferr(field, "not_a_number"))
            }
        }
        Some(_) => Err(ferr(field, "not_a_number")),
    }
}

/// A submitted form's fields under their dotted names (`pemilih_dpt.l`, `votes.1`), as
/// [`parse`] reads them. Deserialised from the form nested (`{"pemilih_dpt": {"l": 1}}`) or
/// already dotted; the values move into the map ([`flatten_owned`]) as the request is read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FormFields(pub BTreeMap<String, Value>);

impl<'de> Deserialize<'de> for FormFields {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        if !v.is_object() {
            return Err(serde::de::Error::custom("the form must be a JSON object"));
        }
        Ok(FormFields(flatten_owned(v)))
    }
}

impl FromIterator<(String, String)> for FormFields {
    /// Fields from text pairs (an HTML form, a CSV line), their names already dotted.
    fn from_iter<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Self {
        FormFields(
            pairs
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect(),
        )
    }
}

/// Flatten a nested JSON form (`{"pemilih_dpt": {"l": 1}}`) into dotted keys. Already dotted
/// keys pass through, so both shapes are accepted.
pub fn flatten(v: &Value) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    if let Value::Object(m) = v {
        for (k, v) in m {
            match v {
                Value::Object(inner) => {
                    for (k2, v2) in inner {
                        out.insert(format!("{k}.{k2}"), v2.clone());
                    }
                }
                other => {
                    out.insert(k.clone(), other.clone());
                }
            }
        }
    }
    out
}

/// [`flatten`], taking the form apart instead of copying it (one form per request: its keys
/// and values move into the flat map).
pub fn flatten_owned(v: Value) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    if let Value::Object(m) = v {
        for (k, v) in m {
            match v {
                Value::Object(inner) => {
                    for (k2, v2) in inner {
                        out.insert(format!("{k}.{k2}"), v2);
                    }
                }
                other => {
                    out.insert(k, other);
                }
            }
        }
    }
    out
}

/// The dotted names of the row fields: `ROW_FIELDS[i][c]` is row `ROWS[i]`, column
/// `Col::ALL[c]`.
const ROW_FIELDS: [[&str; 3]; 10] = [
    ["pemilih_dpt.l", "pemilih_dpt.p", "pemilih_dpt.total"],
    ["pemilih_dpph.l", "pemilih_dpph.p", "pemilih_dpph.total"],
    ["pemilih_dptb.l", "pemilih_dptb.p", "pemilih_dptb.total"],
    ["pemilih_total.l", "pemilih_total.p", "pemilih_total.total"],
    ["pengguna_dpt.l", "pengguna_dpt.p", "pengguna_dpt.total"],
    ["pengguna_dpph.l", "pengguna_dpph.p", "pengguna_dpph.total"],
    ["pengguna_dptb.l", "pengguna_dptb.p", "pengguna_dptb.total"],
    [
        "pengguna_total.l",
        "pengguna_total.p",
        "pengguna_total.total",
    ],
    [
        "disabilitas_pemilih.l",
        "disabilitas_pemilih.p",
        "disabilitas_pemilih.total",
    ],
    [
        "disabilitas_pengguna.l",
        "disabilitas_pengguna.p",
        "disabilitas_pengguna.total",
    ],
];

/// Read a form from dotted keys. `ballots` are the election's ballot numbers: each needs a
/// `votes.N` value. Returns every field problem at once.
pub fn parse(values: &BTreeMap<String, Value>, ballots: &[u32]) -> Result<Form, Vec<FieldError>> {
    let mut form = Form::default();
    let mut errors = Vec::new();
    // How many of `values` are fields of the form; any other is reported as unknown.
    let mut found = 0;
    let mut read = |key: &str, errors: &mut Vec<FieldError>| {
        let v = values.get(key);
        found += usize::from(v.is_some());
        count(key, v).map_err(|e| errors.push(e)).ok()
    };
    for (r, keys) in ROWS.iter().zip(&ROW_FIELDS) {
        for (c, key) in Col::ALL.into_iter().zip(keys) {
            if let (Some(n), Some(row)) = (read(key, &mut errors), form.row_mut(r)) {
                match c {
                    Col::L => row.l = n,
                    Col::P => row.p = n,
                    Col::Total => row.total = n,
                }
            }
        }
    }
    for s in SCALARS {
        if let (Some(n), Some(slot)) = (read(s, &mut errors), form.scalar_mut(s)) {
            *slot = n;
        }
    }
    let vote_keys: Vec<String> = ballots.iter().map(|b| format!("votes.{b}")).collect();
    for (b, key) in ballots.iter().zip(&vote_keys) {
        if let Some(n) = read(key, &mut errors) {
            form.votes.insert(*b, n);
        }
    }
    if found < values.len() {
        let known = |k: &str| {
            ROW_FIELDS.iter().flatten().any(|f| *f == k)
                || SCALARS.contains(&k)
                || vote_keys.iter().any(|v| v == k)
        };
        for k in values.keys().filter(|k| !known(k)) {
            errors.push(ferr(k, "unknown_field"));
        }
    }
    if errors.is_empty() {
        Ok(form)
    } else {
        Err(errors)
    }
}

/// Two values that differ only by one digit read as another, at one or more positions
/// (e.g. 99 ↔ 44, 152 ↔ 652): the signature of a misread handwritten or scanned number.
pub fn digit_misread(a: u32, b: u32) -> bool {
    if a == b {
        return false;
    }
    let (sa, sb) = (a.to_string(), b.to_string());
    if sa.len() != sb.len() {
        return false;
    }
    let mut pair: Option<(u8, u8)> = None;
    for (x, y) in sa.bytes().zip(sb.bytes()) {
        if x != y {
            match pair {
                None => pair = Some((x, y)),
                Some(p) if p == (x, y) => {}
                Some(_) => return false,
            }
        }
    }
    pair.is_some()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) mod tests {
    use super::*;

    /// A consistent form with no warnings (DPT 200 = 100 L + 100 P, two paslon).
    pub(crate) fn good_form() -> Form {
        Form {
            pemilih_dpt: Row::new(100, 100),
            pemilih_dpph: Row::new(2, 1),
            pemilih_dptb: Row::new(1, 1),
            pemilih_total: Row::new(103, 102),
            pengguna_dpt: Row::new(80, 90),
            pengguna_dpph: Row::new(2, 1),
            pengguna_dptb: Row::new(1, 1),
            pengguna_total: Row::new(83, 92),
            surat_diterima: 205,
            surat_dikembalikan: 2,
            surat_tidak_digunakan: 28,
            surat_digunakan: 175,
            disabilitas_pemilih: Row::new(2, 1),
            disabilitas_pengguna: Row::new(1, 1),
            votes: [(1, 100), (2, 70)].into_iter().collect(),
            suara_sah: 170,
            suara_tidak_sah: 5,
            suara_total: 175,
        }
    }

    #[test]
    fn row_fields_are_the_rows_and_columns() {
        for (r, keys) in ROWS.iter().zip(&ROW_FIELDS) {
            for (c, key) in Col::ALL.into_iter().zip(keys) {
                assert_eq!(*key, format!("{r}.{}", c.key()));
            }
        }
    }
    use serde_json::json;

    #[test]
    fn misreads() {
        assert!(digit_misread(99, 44));
        assert!(digit_misread(152, 652));
        assert!(digit_misread(258, 253));
        assert!(!digit_misread(883, 258));
        assert!(!digit_misread(12, 21));
        assert!(!digit_misread(99, 99));
        assert!(!digit_misread(99, 100));
    }

    #[test]
    fn parse_reports_every_bad_field() {
        let f = good_form();
        let mut v = serde_json::to_value(&f).unwrap();
        v["pemilih_dpt"]["l"] = json!(-3);
        v["suara_sah"] = json!("banyak");
        v["surat_diterima"] = json!(1.5);
        v["pengguna_dpt"]
            .as_object_mut()
            .unwrap()
            .remove("p")
            .unwrap();
        v["extra"] = json!(1);
        let errs = parse(&flatten(&v), &[1, 2]).unwrap_err();
        let codes: Vec<(&str, &str)> = errs.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert!(codes.contains(&("pemilih_dpt.l", "negative")));
        assert!(codes.contains(&("suara_sah", "not_a_number")));
        assert!(codes.contains(&("surat_diterima", "not_a_number")));
        assert!(codes.contains(&("pengguna_dpt.p", "required")));
        assert!(codes.contains(&("extra", "unknown_field")));
        assert_eq!(errs.len(), 5);
        // A form missing a paslon's votes.
        let v = serde_json::to_value(&f).unwrap();
        let errs = parse(&flatten(&v), &[1, 2, 3]).unwrap_err();
        assert_eq!(errs[0].field, "votes.3");
    }

    #[test]
    fn parse_round_trips_json_and_strings() {
        let f = good_form();
        let v = serde_json::to_value(&f).unwrap();
        assert_eq!(parse(&flatten(&v), &[1, 2]).unwrap(), f);
        assert_eq!(flatten_owned(v.clone()), flatten(&v));
        let flat: BTreeMap<String, Value> = f
            .flat()
            .into_iter()
            .map(|(k, n)| (k, Value::String(format!(" {n} "))))
            .collect();
        assert_eq!(parse(&flat, &[1, 2]).unwrap(), f);
        let mut bad = flat.clone();
        bad.insert("suara_sah".into(), json!("-4"));
        assert_eq!(parse(&bad, &[1, 2]).unwrap_err()[0].code, "negative");
        bad.insert("suara_sah".into(), json!("99999999999"));
        assert_eq!(parse(&bad, &[1, 2]).unwrap_err()[0].code, "too_large");
    }
}
