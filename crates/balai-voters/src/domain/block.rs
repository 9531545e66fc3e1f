//! Voters' full records sealed [`SIZE`] at a time: one AES-GCM message, one row of
//! `voter_records`, per block of a province's import, instead of one per voter. The nonce and
//! tag (28 bytes) and the row's header and key are paid once per block, and the records are in
//! the binary layout ([`super::record::encode_binary`]): about a third of the bytes a record
//! per row took, written once by the import and read whole only for an official's view of one
//! record (the other records of the block are decrypted in memory and dropped, never shown).
//!
//! A block's plaintext is [`VERSION`], the number of records, then each record as a LEB128
//! length and its bytes. An index entry says where its record is ([`Place::of`]): entries of a
//! blocked import carry [`BLOCKED`] with the record's position in its province's import, so a
//! list imported before blocks (a row per record at position `n`) still reads.

/// Records per block: ~600 bytes sealed, so a block row stays inside its b-tree page on
/// SQLite (`voter_records` is `WITHOUT ROWID`: a row over ~1,000 bytes of a 4 KiB page
/// spills to overflow pages) and inline on PostgreSQL.
pub const SIZE: u32 = 8;

/// The version byte of a block's plaintext.
const VERSION: u8 = 0x10;

/// Set in an index entry's `n` when its record is kept in a block.
pub const BLOCKED: u32 = 1 << 31;

/// Where a record is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// A row of its own (`voter_records.n`), as imports before blocks stored it.
    Row(u32),
    /// Slot `slot` of the block in row `row`.
    Block { row: u32, slot: usize },
}

impl Place {
    /// The place of the record an index entry's `n` names.
    pub fn of(n: u32) -> Place {
        if n & BLOCKED == 0 {
            return Place::Row(n);
        }
        let position = n & !BLOCKED;
        Place::Block {
            row: position / SIZE,
            slot: (position % SIZE) as usize,
        }
    }

    /// The row of `voter_records` that holds it.
    pub fn row(self) -> u32 {
        match self {
            Place::Row(n) | Place::Block { row: n, .. } => n,
        }
    }
}

/// The index entry's `n` of the record at `position` in its province's import; `None` past
/// the largest position an entry can name (2³¹ − 1 voters in one province).
pub fn entry_n(position: u32) -> Option<u32> {
    (position & BLOCKED == 0).then_some(position | BLOCKED)
}

/// The plaintext of one block being filled.
#[derive(Debug, Default)]
pub struct Builder {
    plain: Vec<u8>,
    count: u32,
}

impl Builder {
    /// Add one record (its binary layout).
    pub fn push(&mut self, record: &[u8]) {
        if self.count == 0 {
            self.plain.clear();
            self.plain.reserve(record.len() * SIZE as usize + 2);
            self.plain.extend_from_slice(&[VERSION, 0]);
        }
        put_len(&mut self.plain, record.len());
        self.plain.extend_from_slice(record);
        self.count += 1;
        self.plain[1] = u8::try_from(self.count).unwrap_or(u8::MAX);
    }

    pub fn is_full(&self) -> bool {
        self.count >= SIZE
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The block's plaintext, to be sealed; the builder starts a new block.
    pub fn take(&mut self) -> Vec<u8> {
        self.count = 0;
        std::mem::take(&mut self.plain)
    }
}

/// Record `slot` of a block's plaintext.
pub fn record(plain: &[u8], slot: usize) -> Result<&[u8], String> {
    let mut r = Reader::new(plain);
    let head = r.take(2)?;
    if head[0] != VERSION {
        return Err("block: unknown layout".into());
    }
    if slot >= usize::from(head[1]) {
        return Err(format!("block: no record {slot}"));
    }
    for _ in 0..slot {
        let len = r.read_len()?;
        r.take(len)?;
    }
    let len = r.read_len()?;
    r.take(len)
}

/// Append `len` as LEB128.
pub fn put_len(out: &mut Vec<u8>, mut len: usize) {
    while len >= 0x80 {
        out.push(u8::try_from(len & 0x7F).unwrap_or(0) | 0x80);
        len >>= 7;
    }
    out.push(u8::try_from(len).unwrap_or(0));
}

/// Reads a block or a binary record front to back; every read is checked against its end.
pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { rest: bytes }
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if n > self.rest.len() {
            return Err("cut short".into());
        }
        let (head, rest) = self.rest.split_at(n);
        self.rest = rest;
        Ok(head)
    }

    /// A LEB128 length (at most 4 bytes).
    pub fn read_len(&mut self) -> Result<usize, String> {
        let mut out = 0usize;
        for i in 0..4 {
            let b = self.take(1)?[0];
            out |= usize::from(b & 0x7F) << (7 * i);
            if b & 0x80 == 0 {
                return Ok(out);
            }
        }
        Err("length too long".into())
    }

    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_gives_back_each_record_and_refuses_a_damaged_one() {
        let records: Vec<Vec<u8>> = (0..SIZE as usize)
            .map(|i| vec![u8::try_from(i).unwrap_or(0); i * 20])
            .collect();
        let mut b = Builder::default();
        assert!(b.is_empty());
        for r in &records {
            assert!(!b.is_full());
            b.push(r);
        }
        assert!(b.is_full());
        let plain = b.take();
        assert!(b.is_empty());
        for (slot, r) in records.iter().enumerate() {
            assert_eq!(record(&plain, slot).expect("slot"), r.as_slice());
        }
        assert!(record(&plain, SIZE as usize).is_err());
        for cut in 0..plain.len() {
            let got = record(&plain[..cut], SIZE as usize - 1);
            assert!(got.is_err(), "cut at {cut}");
        }
        b.push(b"abc");
        let second = b.take();
        assert_eq!(record(&second, 0).expect("slot"), b"abc");
        assert!(record(&second, 1).is_err());
    }

    #[test]
    fn an_entry_names_its_row_and_slot_and_old_entries_their_row() {
        assert_eq!(Place::of(7), Place::Row(7));
        let n = entry_n(37).expect("fits");
        assert_eq!(Place::of(n), Place::Block { row: 4, slot: 5 });
        assert_eq!(Place::of(n).row(), 4);
        assert_eq!(entry_n(BLOCKED), None);
        assert_eq!(
            Place::of(entry_n(BLOCKED - 1).expect("fits")).row(),
            (BLOCKED - 1) / SIZE
        );
    }

    #[test]
    fn lengths_round_trip() {
        for len in [0usize, 1, 127, 128, 300, 16_383, 16_384, 1 << 20] {
            let mut out = Vec::new();
            put_len(&mut out, len);
            assert_eq!(Reader::new(&out).read_len().expect("reads"), len);
        }
        assert!(Reader::new(&[0x80, 0x80, 0x80, 0x80, 0x01])
            .read_len()
            .is_err());
    }
}
