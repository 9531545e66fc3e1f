//! A voter's full record as it is sealed. Imports now write the binary layout
//! ([`encode_binary`], version byte 2), sealed in blocks ([`super::block`]). Records sealed one
//! per row before still read: the text layout (version `\u{1}`, then each field as its length
//! in bytes, `:` and its bytes, in a fixed order) and JSON (starting with `{`). Every layout
//! gives the officials' single-record view the same JSON object.

use serde_json::{json, Value};

use super::csv::{Voter, OPTIONAL, REQUIRED};

/// The version character of the compact layout.
const V1: char = '\u{1}';

/// The fields in their order: the list's required columns, then the optional ones.
fn fields() -> impl Iterator<Item = &'static str> {
    REQUIRED.into_iter().chain(OPTIONAL)
}

/// The record of `v` in the text layout, as imports before blocks sealed it (one per row);
/// kept to test that such records still read.
#[cfg(test)]
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

/// The version byte of the binary layout, kept in sealed blocks ([`super::block`]).
const V2: u8 = 2;

/// The record of `v` in the binary layout, appended to `out`: the version, NIK and KK as
/// 8-byte numbers, the birth date (year, month, day), sex, TPS number, then the text fields
/// each as a LEB128 length and its bytes. About half the bytes of the text layout.
pub fn encode_binary(v: &Voter, out: &mut Vec<u8>) -> Result<(), String> {
    let number = |s: &str, what: &str| {
        s.parse::<u64>()
            .ok()
            .filter(|_| s.len() == 16)
            .ok_or_else(|| format!("record: the {what} is not 16 digits"))
    };
    let year = u16::try_from(v.birth_date.year()).map_err(|_| "record: birth year")?;
    let tps = u16::try_from(v.tps_number).map_err(|_| "record: tps_number")?;
    out.push(V2);
    out.extend_from_slice(&number(v.nik.as_str(), "NIK")?.to_le_bytes());
    out.extend_from_slice(&number(&v.nkk, "KK")?.to_le_bytes());
    out.extend_from_slice(&year.to_le_bytes());
    out.push(u8::from(v.birth_date.month()));
    out.push(v.birth_date.day());
    out.push(v.sex.as_str().as_bytes()[0]);
    out.extend_from_slice(&tps.to_le_bytes());
    for text in [
        &v.name,
        &v.birth_place,
        &v.village_code,
        &v.address,
        &v.disability,
        &v.marital_status,
    ] {
        super::block::put_len(out, text.len());
        out.extend_from_slice(text.as_bytes());
    }
    Ok(())
}

/// A record in the binary layout as the view shows it (the same object as [`decode`]).
pub fn decode_binary(bytes: &[u8]) -> Result<Value, String> {
    let mut r = super::block::Reader::new(bytes);
    if r.take(1)? != [V2] {
        return Err("record: not the binary layout".into());
    }
    let mut number = || -> Result<String, String> {
        let b: [u8; 8] = r.take(8)?.try_into().map_err(|_| "record: cut short")?;
        Ok(format!("{:016}", u64::from_le_bytes(b)))
    };
    let nik = number()?;
    let nkk = number()?;
    let head = r.take(7)?;
    let year = u16::from_le_bytes([head[0], head[1]]);
    let sex = match head[4] {
        b'L' => "L",
        b'P' => "P",
        _ => return Err("record: sex".into()),
    };
    let tps = u16::from_le_bytes([head[5], head[6]]);
    let mut text = || -> Result<String, String> {
        let len = r.read_len()?;
        let b = r.take(len)?;
        String::from_utf8(b.to_vec()).map_err(|_| "record: text is not UTF-8".to_string())
    };
    let (name, birth_place, village_code) = (text()?, text()?, text()?);
    let (address, disability, marital_status) = (text()?, text()?, text()?);
    if !r.is_empty() {
        return Err("record: bytes after the last field".into());
    }
    Ok(json!({
        "nik": nik, "nkk": nkk, "name": name, "birth_place": birth_place,
        "birth_date": format!("{year:04}-{:02}-{:02}", head[2], head[3]), "sex": sex,
        "village_code": village_code, "tps_number": tps, "address": address,
        "disability": disability, "marital_status": marital_status,
    }))
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
    fn the_binary_record_reads_as_the_json_one_did() {
        let v = voter();
        let mut bytes = Vec::new();
        encode_binary(&v, &mut bytes).expect("encodes");
        assert_eq!(decode_binary(&bytes).expect("decodes"), as_json(&v));
        assert!(bytes.len() < encode(&v).len());
        for cut in 0..bytes.len() {
            assert!(decode_binary(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode_binary(&longer).is_err());
        let mut long = voter();
        long.address = "Jalan ".repeat(60);
        let mut bytes = Vec::new();
        encode_binary(&long, &mut bytes).expect("encodes");
        assert_eq!(decode_binary(&bytes).expect("decodes"), as_json(&long));
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
