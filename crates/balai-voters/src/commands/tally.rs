//! The importer's running state while the rows stream in, in file order: each TPS's men,
//! women and first address (and the legal maximum per TPS), each voter's position among its
//! province's records and the block being filled there (sealed once full,
//! [`crate::domain::block`]), the refused rows, and the index entries spilled for the end. Once all rows are in,
//! the spilled entries are checked for a NIK listed twice and packed into buckets.

use std::collections::{BTreeMap, HashMap};

use balai_core::nik::Sex;
use balai_core::pii::PiiKeys;

use super::spill::{Spill, SpillFiles, Spilled};
use super::stream::{Row, Sealed};
use crate::domain::csv::{Problem, Refused};
use crate::domain::{block, pack};
use crate::store::bulk::{Bucket, Record};
use crate::store::tps::TpsKey;

/// One TPS as the list names it.
#[derive(Clone, Debug)]
pub struct TpsTally {
    pub ord: u32,
    pub male: u32,
    pub female: u32,
    pub address: String,
}

pub struct Tally {
    max_per_tps: u32,
    tps: HashMap<String, HashMap<u32, TpsTally>>,
    next_tps: u32,
    /// Records stored so far, per province: the next record's position there.
    pub per_province: BTreeMap<u8, i64>,
    /// The block being filled, per province.
    blocks: BTreeMap<u8, block::Builder>,
    keys: PiiKeys,
    pub refused: Vec<Refused>,
    pub failed: Option<String>,
    spill: Spill,
}

impl Tally {
    pub fn new(max_per_tps: u32, keys: PiiKeys) -> std::io::Result<Tally> {
        Ok(Tally {
            max_per_tps,
            tps: HashMap::new(),
            next_tps: 0,
            per_province: BTreeMap::new(),
            blocks: BTreeMap::new(),
            keys,
            refused: Vec::new(),
            failed: None,
            spill: Spill::new()?,
        })
    }

    /// Seal the blocks still being filled (once every row is in); none if a row was refused.
    pub fn flush(&mut self) -> Vec<Record> {
        let mut out = Vec::new();
        let provinces: Vec<u8> = self.blocks.keys().copied().collect();
        for province in provinces {
            self.seal(province, &mut out);
        }
        if !self.refused.is_empty() || self.failed.is_some() {
            out.clear();
        }
        out
    }

    /// Seal `province`'s block, if it holds any record, into `out`.
    fn seal(&mut self, province: u8, out: &mut Vec<Record>) {
        let Some(b) = self.blocks.get_mut(&province).filter(|b| !b.is_empty()) else {
            return;
        };
        let plain = b.take();
        // The block's row: the position of its last record (the last stored) over the size.
        let last = self.per_province.get(&province).copied().unwrap_or(1) - 1;
        let row = u32::try_from(last).unwrap_or(u32::MAX) / block::SIZE;
        match self.keys.encrypt_bytes(&plain) {
            Ok(sealed) => out.push(Record {
                province,
                n: row,
                sealed,
            }),
            Err(e) => self.failed = Some(e),
        }
    }

    /// Take a chunk of rows; the records to store (none once a row has been refused: the
    /// import will be refused, the remaining rows are only checked).
    pub fn take(&mut self, rows: Vec<Row>) -> std::io::Result<Vec<Record>> {
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            match row {
                Row::Refused(r) => self.refused.push(r),
                Row::Failed(e) => self.failed = Some(e),
                Row::Voter(s) => self.voter(*s, &mut out)?,
            }
        }
        if !self.refused.is_empty() || self.failed.is_some() {
            out.clear();
        }
        Ok(out)
    }

    fn voter(&mut self, s: Sealed, out: &mut Vec<Record>) -> std::io::Result<()> {
        let line = u32::try_from(s.line).unwrap_or(u32::MAX);
        let province = pack::province(&s.village_code);
        let stored = self.per_province.get(&province).copied().unwrap_or(0);
        let Some(n) = u32::try_from(stored).ok().and_then(block::entry_n) else {
            self.failed = Some(format!(
                "more voters in province {province} than the index holds"
            ));
            return Ok(());
        };
        let next_tps = &mut self.next_tps;
        let at = self.tps.entry(s.village_code).or_default();
        let t = at.entry(s.tps_number).or_insert_with(|| {
            *next_tps += 1;
            TpsTally {
                ord: *next_tps - 1,
                male: 0,
                female: 0,
                address: s.address.chars().take(300).collect(),
            }
        });
        // The entry is spilled even for a full TPS, so a NIK listed twice is still reported.
        self.spill.push(&Spilled {
            hash: s.hash,
            line,
            province,
            tps: t.ord,
            n,
            name_hash: s.name_hash,
            mask: s.mask,
        })?;
        if t.male + t.female >= self.max_per_tps {
            self.refused.push(Refused {
                line: s.line,
                problem: Problem::TpsFull(self.max_per_tps),
            });
            return Ok(());
        }
        match s.sex {
            Sex::Male => t.male += 1,
            Sex::Female => t.female += 1,
        }
        *self.per_province.entry(province).or_default() += 1;
        let b = self.blocks.entry(province).or_default();
        b.push(&s.record);
        if b.is_full() {
            self.seal(province, out);
        }
        Ok(())
    }

    /// Close the stream's state: every TPS named, by key, with its tally (moved, not
    /// copied), the spilled entries ready to be read back, and the refused rows.
    pub fn finish(self) -> std::io::Result<(BTreeMap<TpsKey, TpsTally>, SpillFiles, Vec<Refused>)> {
        let mut per_tps = BTreeMap::new();
        for (village, at) in self.tps {
            for (number, t) in at {
                per_tps.insert((village.clone(), number), t);
            }
        }
        Ok((per_tps, self.spill.finish()?, self.refused))
    }
}

/// The bucket bits of each province's part, by province code: a table, since the sort below
/// asks for them at every comparison.
pub type Bits = [u8; 256];

/// [`Bits`] of the parts `(province, voters, bits)`; [`pack::MIN_BITS`] for any other code.
pub fn bits_of(parts: &[(u8, i64, u8)]) -> Bits {
    let mut bits = [pack::MIN_BITS; 256];
    for (province, _, b) in parts {
        bits[usize::from(*province)] = *b;
    }
    bits
}

/// One spill file's entries: the NIKs listed twice (refused with their first line), and, if
/// none, the packed buckets, each part's by its bits (`bits`, per province), with each TPS's
/// position replaced by its id.
pub fn buckets(
    mut entries: Vec<Spilled>,
    tps_ids: &[u32],
    bits: &Bits,
    refused: &mut Vec<Refused>,
) -> Vec<Bucket> {
    entries.sort_unstable_by(|a, b| a.hash.cmp(&b.hash).then(a.line.cmp(&b.line)));
    let mut i = 0;
    while i < entries.len() {
        let mut j = i + 1;
        while j < entries.len() && entries[j].hash == entries[i].hash {
            refused.push(Refused {
                line: entries[j].line as usize,
                problem: Problem::Duplicate(entries[i].line as usize),
            });
            j += 1;
        }
        i = j;
    }
    if !refused.is_empty() {
        return Vec::new();
    }
    let bucket = |e: &Spilled| {
        (
            e.province,
            pack::bucket(&e.hash, bits[usize::from(e.province)]),
        )
    };
    entries.sort_by_key(bucket);
    let mut out = Vec::new();
    for group in entries.chunk_by(|a, b| bucket(a) == bucket(b)) {
        let mut packed: Vec<pack::Entry> = group
            .iter()
            .map(|e| pack::Entry {
                hash: e.hash,
                tps_id: tps_ids.get(e.tps as usize).copied().unwrap_or(0),
                n: e.n,
                name_hash: e.name_hash,
                mask: e.mask.clone(),
            })
            .collect();
        let (province, bucket) = bucket(&group[0]);
        out.push(Bucket {
            bucket,
            province,
            entries: pack::pack(&mut packed),
        });
    }
    out
}

/// A refused row reported once: a NIK listed twice is reported as such, not also as the full
/// TPS its second listing would have overfilled.
pub fn settle(mut refused: Vec<Refused>) -> Vec<Refused> {
    let dup: std::collections::HashSet<usize> = refused
        .iter()
        .filter(|r| matches!(r.problem, Problem::Duplicate(_)))
        .map(|r| r.line)
        .collect();
    refused.retain(|r| !(dup.contains(&r.line) && matches!(r.problem, Problem::TpsFull(_))));
    refused.sort_by_key(|r| r.line);
    refused
}
