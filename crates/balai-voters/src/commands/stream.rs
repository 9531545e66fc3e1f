//! The CPU side of an import, off the async runtime: one thread reads the CSV while one worker
//! per core checks, hashes (`HMAC(NIK)`, `HMAC(name)`) and encodes (the binary layout) the rows
//! read before; the checked rows go to the importer in file order, a chunk at a time, so memory
//! stays bounded whatever the file's size. The importer seals the records in blocks
//! ([`crate::domain::block`]).

use std::collections::HashSet;
use std::io::Read;

use balai_core::nik::Sex;
use balai_core::pii::LookupHasher;
use tokio::sync::mpsc;

use super::lookup::{name_hash_with, nik_hash_with};
use crate::domain::csv::{self, Columns, Context, Refused};
use crate::domain::{name, pack, record};

/// A checked voter, hashed and encoded.
pub struct Sealed {
    pub line: usize,
    pub hash: [u8; 16],
    pub name_hash: [u8; 8],
    /// [`pack::mask_compact`] of the normalised name.
    pub mask: Vec<u8>,
    pub village_code: String,
    pub tps_number: u32,
    pub sex: Sex,
    pub address: String,
    /// The full record in the binary layout ([`record::encode_binary`]), sealed by the
    /// importer with the others of its block.
    pub record: Vec<u8>,
}

/// One row as the importer receives it.
pub enum Row {
    Voter(Box<Sealed>),
    Refused(Refused),
    /// Encoding or sealing failed (not the row's fault): the import stops.
    Failed(String),
}

/// What rows are checked against, owned by the reading thread.
pub struct Rules {
    pub today: time::Date,
    pub villages: HashSet<String>,
    pub regencies: HashSet<String>,
    pub max_per_tps: u32,
}

/// Rows one worker checks and encodes at a time.
const CHUNK: usize = 4096;

/// One row as read: its line, its fields, or why it could not be read. The slots of a chunk
/// are read into again and again, so reading allocates nothing per row.
#[derive(Default)]
struct Slot {
    line: usize,
    rec: ::csv::StringRecord,
    err: Option<::csv::Error>,
}

/// Up to [`CHUNK`] rows; the first `len` slots hold this round's.
#[derive(Default)]
struct Chunk {
    slots: Vec<Slot>,
    len: usize,
}

/// Start reading `source`; the rows come in file order, a chunk per message.
pub fn spawn(
    source: Box<dyn Read + Send>,
    rules: Rules,
    keys: LookupHasher,
) -> mpsc::Receiver<Vec<Row>> {
    let (tx, rx) = mpsc::channel(8);
    std::thread::spawn(move || run(source, &rules, &keys, &tx));
    rx
}

fn run(
    source: Box<dyn Read + Send>,
    rules: &Rules,
    keys: &LookupHasher,
    out: &mpsc::Sender<Vec<Row>>,
) {
    let mut rd = ::csv::ReaderBuilder::new()
        .flexible(true)
        .trim(::csv::Trim::All)
        .from_reader(std::io::BufReader::with_capacity(1 << 20, source));
    let (cols, width) = match csv::columns(rd.headers().cloned()) {
        Ok(c) => c,
        Err(refused) => {
            let _ = out.blocking_send(refused.into_iter().map(Row::Refused).collect());
            return;
        }
    };
    let cx = Context {
        today: rules.today,
        villages: &rules.villages,
        regencies: &rules.regencies,
        max_per_tps: rules.max_per_tps,
    };
    let workers = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    // Two sets of chunks: the workers check one while this thread reads the next into the
    // other, then they change places.
    let mut pending: Vec<Chunk> = (0..workers).map(|_| Chunk::default()).collect();
    let mut next: Vec<Chunk> = (0..workers).map(|_| Chunk::default()).collect();
    let mut line = 1;
    read_chunks(&mut rd, &mut pending, &mut line);
    while pending.iter().any(|c| c.len > 0) {
        let done = std::thread::scope(|s| {
            let handles: Vec<_> = pending
                .iter()
                .filter(|c| c.len > 0)
                .map(|chunk| {
                    let (cols, cx) = (&cols, &cx);
                    s.spawn(move || prepare_chunk(chunk, cols, width, cx, keys))
                })
                .collect();
            read_chunks(&mut rd, &mut next, &mut line);
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| vec![Row::Failed("a checking worker stopped".into())])
                })
                .collect::<Vec<Vec<Row>>>()
        });
        for rows in done {
            if out.blocking_send(rows).is_err() {
                return;
            }
        }
        std::mem::swap(&mut pending, &mut next);
    }
}

/// Read the next rows into `chunks`, [`CHUNK`] each, until the file ends (`line`: the last
/// line read, the header's is 1).
fn read_chunks<R: Read>(rd: &mut ::csv::Reader<R>, chunks: &mut [Chunk], line: &mut usize) {
    let mut ended = false;
    for chunk in chunks.iter_mut() {
        chunk.len = 0;
        while !ended && chunk.len < CHUNK {
            if chunk.slots.len() == chunk.len {
                chunk.slots.push(Slot::default());
            }
            let slot = &mut chunk.slots[chunk.len];
            match rd.read_record(&mut slot.rec) {
                Ok(false) => ended = true,
                Ok(true) => slot.err = None,
                Err(e) => slot.err = Some(e),
            }
            if !ended {
                *line += 1;
                slot.line = *line;
                chunk.len += 1;
            }
        }
    }
}

fn prepare_chunk(
    chunk: &Chunk,
    cols: &Columns,
    width: usize,
    cx: &Context<'_>,
    keys: &LookupHasher,
) -> Vec<Row> {
    chunk.slots[..chunk.len]
        .iter()
        .map(|slot| {
            let rec = match &slot.err {
                Some(e) => Err(e),
                None => Ok(&slot.rec),
            };
            match csv::record(cols, width, rec, slot.line, cx) {
                Err(problem) => Row::Refused(Refused {
                    line: slot.line,
                    problem,
                }),
                Ok(v) => prepare(v, keys),
            }
        })
        .collect()
}

fn prepare(v: csv::Voter, keys: &LookupHasher) -> Row {
    let normalised = name::normalise(&v.name);
    let mut encoded = Vec::with_capacity(96);
    match record::encode_binary(&v, &mut encoded) {
        Err(e) => Row::Failed(e),
        Ok(()) => Row::Voter(Box::new(Sealed {
            line: v.line,
            hash: nik_hash_with(keys, v.nik.as_str()),
            name_hash: name_hash_with(keys, &normalised),
            mask: pack::mask_compact(&normalised),
            village_code: v.village_code,
            tps_number: v.tps_number,
            sex: v.sex,
            address: v.address,
            record: encoded,
        })),
    }
}
