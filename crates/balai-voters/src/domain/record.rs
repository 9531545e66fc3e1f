//! A voter's full record as it is sealed: compact text, not JSON. The first character is the
//! format's version (`\u{1}`), then each field as its length in bytes, `:` and its bytes, in a
//! fixed order. A record sealed before (JSON, starting with `{`) still reads. Either way the
//! officials' single-record view gets the same JSON object.

use serde_json::{json, Value};

use super::csv::{Voter, REQUIRED};

/// The version character of the compact layout.
const V1: char = '\u{1}';

/// The fields in their order: the list's required columns, then the optional ones.
fn fields() -> impl Iterator<Item = &'static str> {
    REQUIRED.into_iter().chain(["disability", "marital_status"])
}

/// The record of `v`, to be sealed.
pub fn encode(v: &Voter) -> String {
    let date = v.birth_date.to_string();
    let tps = v.tps_number.to_string();
    let fields: [&str; 11] = [
        v.nik.as_str(),
        &v.nkk,
        &v.name,
        &v.birth_place,
        &date,
        v.sex.as_str(),
        &v.village_code,
        &tps,
        &v.address,
        &v.disability,
        &v.marital_status,
    ];
    let mut out = String::with_capacity(1 + fields.iter().map(|f| f.len() + 4).sum::<usize>());
    out.push(V1);
    for f in fields {
        out.push_str(&f.len().to_string());
        out.push(':');
        out.push_str(f);
    }
    out
}

/// The record as the view shows it, from either layout.
pub fn decode(text: &str) -> Result<Value, String> {
    let Some(mut rest) = text.strip_prefix(V1) else {
        return serde_json::from_str(text).map_err(|e| e.to_string());
    };
    let mut map = serde_json::Map::new();
    for key in fields() {
        let (len, after) = rest
            .split_once(':')
            .ok_or_else(|| format!("record: {key} is cut short"))?;
        let len: usize = len.parse().map_err(|_| format!("record: {key}'s length"))?;
        let value = after
            .get(..len)
            .ok_or_else(|| format!("record: {key} is cut short"))?;
        rest = &after[len..];
        let value = if key == "tps_number" {
            json!(value
                .parse::<u32>()
                .map_err(|_| "record: tps_number".to_string())?)
        } else {
            json!(value)
        };
        map.insert(key.to_string(), value);
    }
    if !rest.is_empty() {
        return Err("record: bytes after the last field".into());
    }
    Ok(Value::Object(map))
}

#[cfg(test)]
mod tests {
    use super::*;
    use balai_core::nik::Sex;

    fn voter() -> Voter {
        let today = time::macros::date!(2026 - 12 - 06);
        Voter {
            line: 2,
            nik: balai_core::nik::Nik::parse("3273014501900001", today).expect("nik"),
            nkk: "3273010101900001".into(),
            name: "Siti: Ümmü \"12:3\"".into(),
            birth_place: "Bandung".into(),
            birth_date: time::macros::date!(1990 - 01 - 05),
            sex: Sex::Female,
            village_code: "32.73.01.1001".into(),
            tps_number: 7,
            address: "Jl. Asia-Afrika 1:2, RT 01/RW 02".into(),
            disability: String::new(),
            marital_status: "B".into(),
        }
    }

    /// What the records sealed before the compact layout held.
    fn as_json(v: &Voter) -> Value {
        json!({
            "nik": v.nik.as_str(), "nkk": v.nkk, "name": v.name, "birth_place": v.birth_place,
            "birth_date": v.birth_date.to_string(), "sex": v.sex.as_str(),
            "village_code": v.village_code, "tps_number": v.tps_number, "address": v.address,
            "disability": v.disability, "marital_status": v.marital_status,
        })
    }

    #[test]
    fn the_compact_record_reads_as_the_json_one_did() {
        let v = voter();
        let text = encode(&v);
        assert!(text.starts_with(V1));
        assert_eq!(decode(&text).expect("decodes"), as_json(&v));
        assert!(text.len() < as_json(&v).to_string().len());
    }

    #[test]
    fn a_json_record_sealed_before_still_reads() {
        let v = voter();
        assert_eq!(
            decode(&as_json(&v).to_string()).expect("decodes"),
            as_json(&v)
        );
    }

    #[test]
    fn a_damaged_record_is_an_error_not_a_panic() {
        let text = encode(&voter());
        for cut in 1..text.len() {
            if let Some(t) = text.get(..cut) {
                assert!(decode(t).is_err(), "cut at {cut}");
            }
        }
        assert!(decode("\u{1}99:ab").is_err());
        assert!(decode("\u{1}x:").is_err());
    }
}
