//! The look-up index's packed format (issue 23: ≤ 48 bytes per voter on disk). Voters are
//! grouped in buckets by the first bits of `HMAC(NIK)`, one set of buckets per election and
//! province; how many bits is chosen per part from its size ([`bits_for`], kept in
//! `voter_index_parts.bits`), so a bucket holds a few dozen entries — about a kilobyte, one
//! row that PostgreSQL keeps inline (not TOASTed) and SQLite in one page — at any list size.
//! A bucket is its entries sorted by hash, each:
//!
//! | bytes | what |
//! |---|---|
//! | 10 | the next 10 bytes of the hash (12 of 16 in all: no collision at 204.8 M voters) |
//! | 4 | the TPS (`voter_tps.id`, little-endian) |
//! | 4 | the record's position in its province's import (`voter_records.n`) |
//! | 8 | the keyed hash of the normalised name |
//! | 1 + m | the masked name: per word its initial (UTF-8) and the number of further letters |
//!
//! About 33 bytes per voter against ~60 for a row per voter with its own key and header.

/// One voter's index entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub hash: [u8; 16],
    pub tps_id: u32,
    pub n: u32,
    pub name_hash: [u8; 8],
    /// The compact masked name ([`mask_compact`]).
    pub mask: Vec<u8>,
}

/// Bytes of the hash kept in a bucket after its 2-byte bucket number.
pub const REST: usize = 10;

/// The fewest bits of a bucket number: an import's spill files are cut by at most the first
/// 16 bits of the hash, so a bucket never spans two of them.
pub const MIN_BITS: u8 = 16;
/// The most bits of a bucket number (16.7 M buckets).
pub const MAX_BITS: u8 = 24;
/// The average number of entries a bucket is sized for, at most.
const PER_BUCKET: u64 = 32;

/// The bits of the bucket numbers of a part of `voters` voters: the fewest (at least
/// [`MIN_BITS`]) that keep the average bucket at most [`PER_BUCKET`] entries.
pub fn bits_for(voters: u64) -> u8 {
    let mut bits = MIN_BITS;
    while bits < MAX_BITS && voters > PER_BUCKET << bits {
        bits += 1;
    }
    bits
}

/// The first 32 bits of a NIK hash, from which each part takes its bucket number (the
/// look-up's statements shift it by the part's bits).
pub fn prefix(hash: &[u8; 16]) -> u32 {
    u32::from_be_bytes([hash[0], hash[1], hash[2], hash[3]])
}

/// The bucket of a NIK hash in a part of `bits` bits: the hash's first `bits` bits.
pub fn bucket(hash: &[u8; 16], bits: u8) -> u32 {
    prefix(hash) >> (32 - u32::from(bits.clamp(MIN_BITS, MAX_BITS)))
}

/// The province (`PP`) of a region code `PP.KK…`; 0 for a code that does not start with two
/// digits.
pub fn province(code: &str) -> u8 {
    code.get(0..2).and_then(|p| p.parse().ok()).unwrap_or(0)
}

/// A normalised name's masked form, compact: per word the initial and the count of further
/// letters (at most 255 shown), at most 255 bytes in all.
pub fn mask_compact(normalised: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(8);
    for w in normalised.split(' ').filter(|w| !w.is_empty()) {
        let mut cs = w.chars();
        let Some(first) = cs.next() else { continue };
        let mut buf = [0u8; 4];
        let initial = first.encode_utf8(&mut buf).as_bytes();
        if out.len() + initial.len() + 1 > 255 {
            break;
        }
        out.extend_from_slice(initial);
        out.push(u8::try_from(cs.count()).unwrap_or(u8::MAX));
    }
    out
}

/// The masked name shown to the person asking: `S*** W******`.
pub fn mask_text(compact: &[u8]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < compact.len() {
        let width = utf8_width(compact[i]);
        let Some(initial) = compact
            .get(i..i + width)
            .and_then(|b| std::str::from_utf8(b).ok())
        else {
            break;
        };
        let stars = compact.get(i + width).copied().unwrap_or(0);
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(initial);
        out.extend(std::iter::repeat_n('*', usize::from(stars)));
        i += width + 1;
    }
    out
}

fn utf8_width(first: u8) -> usize {
    match first {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

/// Pack entries of one bucket (sorted here by hash).
pub fn pack(entries: &mut [Entry]) -> Vec<u8> {
    entries.sort_unstable_by_key(|a| a.hash);
    let mut out = Vec::with_capacity(entries.len() * 34);
    for e in entries.iter() {
        out.extend_from_slice(&e.hash[2..2 + REST]);
        out.extend_from_slice(&e.tps_id.to_le_bytes());
        out.extend_from_slice(&e.n.to_le_bytes());
        out.extend_from_slice(&e.name_hash);
        out.push(u8::try_from(e.mask.len()).unwrap_or(u8::MAX));
        out.extend_from_slice(&e.mask[..e.mask.len().min(255)]);
    }
    out
}

/// A packed entry as read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub tps_id: u32,
    pub n: u32,
    pub name_hash: [u8; 8],
    pub mask: Vec<u8>,
}

/// Every entry of a packed bucket whose hash is `hash`. The whole bucket is always read, so
/// the work does not depend on whether (or where) the NIK is listed.
pub fn find(packed: &[u8], hash: &[u8; 16]) -> Vec<Found> {
    let want = &hash[2..2 + REST];
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(head) = packed.get(i..i + REST + 16 + 1) {
        let m = usize::from(head[REST + 16]);
        let Some(mask) = packed.get(i + head.len()..i + head.len() + m) else {
            break;
        };
        if &head[..REST] == want {
            let mut name_hash = [0u8; 8];
            name_hash.copy_from_slice(&head[REST + 8..REST + 16]);
            out.push(Found {
                tps_id: u32::from_le_bytes([head[10], head[11], head[12], head[13]]),
                n: u32::from_le_bytes([head[14], head[15], head[16], head[17]]),
                name_hash,
                mask: mask.to_vec(),
            });
        }
        i += head.len() + m;
    }
    out
}

/// The number of entries in a packed bucket.
pub fn count(packed: &[u8]) -> usize {
    let mut i = 0;
    let mut n = 0;
    while let Some(&m) = packed.get(i + REST + 16) {
        i += REST + 17 + usize::from(m);
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(first: u8, tag: u8, mask: &str) -> Entry {
        let mut hash = [tag; 16];
        hash[0] = first;
        Entry {
            hash,
            tps_id: u32::from(tag) * 1000,
            n: u32::from(tag),
            name_hash: [tag; 8],
            mask: mask_compact(mask),
        }
    }

    #[test]
    fn masks_round_trip_in_a_few_bytes() {
        let c = mask_compact("SITI WAHYUNI");
        assert_eq!(c, [b'S', 3, b'W', 6]);
        assert_eq!(mask_text(&c), "S*** W******");
        assert_eq!(mask_text(&mask_compact("ÉLODIE A")), "É***** A");
        assert_eq!(mask_text(&mask_compact("")), "");
        let long = "A".repeat(400);
        assert_eq!(mask_text(&mask_compact(&long)).len(), 256);
        assert!(mask_compact(&vec!["AB"; 200].join(" ")).len() <= 255);
    }

    #[test]
    fn a_bucket_finds_its_entries_and_nothing_else() {
        let mut es = vec![
            entry(1, 9, "BUDI SANTOSO"),
            entry(1, 3, "SITI WAHYUNI"),
            entry(1, 5, "A"),
        ];
        let packed = pack(&mut es);
        assert_eq!(count(&packed), 3);
        let got = find(&packed, &entry(1, 3, "").hash);
        assert_eq!(got.len(), 1);
        assert_eq!((got[0].tps_id, got[0].n), (3000, 3));
        assert_eq!(got[0].name_hash, [3; 8]);
        assert_eq!(mask_text(&got[0].mask), "S*** W******");
        assert!(find(&packed, &entry(1, 4, "").hash).is_empty());
        assert_eq!(find(&packed, &entry(1, 9, "").hash)[0].tps_id, 9000);
        // A truncated bucket reads what it can, never panics.
        assert_eq!(count(&packed[..packed.len() - 1]), 3);
        assert!(find(&packed[..5], &entry(1, 3, "").hash).is_empty());
    }

    #[test]
    fn buckets_and_provinces() {
        let hash = [0xAB, 0xCD, 0xEF, 0x12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(prefix(&hash), 0xABCD_EF12);
        assert_eq!(bucket(&hash, 16), 0xABCD);
        assert_eq!(bucket(&hash, 20), 0xABCDE);
        assert_eq!(bucket(&hash, 24), 0xABCDEF);
        assert_eq!(bucket(&hash, 8), 0xABCD, "never fewer than 16 bits");
        assert_eq!(province("32.79.01.1001"), 32);
        assert_eq!(province("x"), 0);
    }

    #[test]
    fn a_part_gets_the_bits_that_keep_its_buckets_small() {
        assert_eq!(bits_for(0), MIN_BITS);
        assert_eq!(bits_for(1_000), MIN_BITS);
        assert_eq!(bits_for(32 << 16), 16);
        assert_eq!(bits_for((32 << 16) + 1), 17);
        // 50 M voters in one province: 2^21 buckets of ~24; 204.8 M: the most bits.
        assert_eq!(bits_for(50_000_000), 21);
        assert_eq!(bits_for(204_800_000), 23);
        assert_eq!(bits_for(u64::MAX), MAX_BITS);
    }
}
