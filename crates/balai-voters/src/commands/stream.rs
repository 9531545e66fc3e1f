//! The CPU side of an import, off the async runtime: one thread reads the CSV while one worker
//! per core checks, hashes (`HMAC(NIK)`, `HMAC(name)`) and seals (AES-GCM) the rows read
//! before; the checked rows go to the importer in file order, a chunk at a time, so memory
//! stays bounded whatever the file's size.

use std::collections::HashSet;
use std::io::Read;

use balai_core::nik::Sex;
use balai_core::pii::PiiKeys;
use tokio::sync::mpsc;

use super::lookup::{name_hash, nik_hash};
use crate::domain::csv::{self, Columns, Context, Refused};
use crate::domain::{name, pack, record};

/// A checked voter, hashed and sealed.
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
    /// The full record, AES-GCM sealed.
    pub sealed: Vec<u8>,
}

/// One row as the importer receives it.
pub enum Row {
    Voter(Box<Sealed>),
    Refused(Refused),
    /// Sealing failed (a key problem, not the row's): the import stops.
    Failed(String),
}

/// What rows are checked against, owned by the reading thread.
pub struct Rules {
    pub today: time::Date,
    pub villages: HashSet<String>,
    pub regencies: HashSet<String>,
    pub max_per_tps: u32,
}

/// Rows one worker checks and seals at a time.
const CHUNK: usize = 4096;

type Chunk = Vec<(usize, ::csv::Result<::csv::StringRecord>)>;

/// Start reading `source`; the rows come in file order, a chunk per message.
pub fn spawn(
    source: Box<dyn Read + Send>,
    rules: Rules,
    keys: PiiKeys,
) -> mpsc::Receiver<Vec<Row>> {
    let (tx, rx) = mpsc::channel(8);
    std::thread::spawn(move || run(source, &rules, &keys, &tx));
    rx
}

fn run(source: Box<dyn Read + Send>, rules: &Rules, keys: &PiiKeys, out: &mpsc::Sender<Vec<Row>>) {
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
    let mut records = rd.into_records().enumerate().map(|(i, r)| (i + 2, r));
    let mut pending = read_chunks(&mut records, workers);
    while !pending.is_empty() {
        let (done, next) = std::thread::scope(|s| {
            let handles: Vec<_> = pending
                .into_iter()
                .map(|chunk| {
                    let (cols, cx) = (&cols, &cx);
                    s.spawn(move || seal_chunk(chunk, cols, width, cx, keys))
                })
                .collect();
            let next = read_chunks(&mut records, workers);
            let done: Vec<Vec<Row>> = handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| vec![Row::Failed("a sealing worker stopped".into())])
                })
                .collect();
            (done, next)
        });
        for rows in done {
            if out.blocking_send(rows).is_err() {
                return;
            }
        }
        pending = next;
    }
}

fn read_chunks(
    records: &mut impl Iterator<Item = (usize, ::csv::Result<::csv::StringRecord>)>,
    workers: usize,
) -> Vec<Chunk> {
    let mut out = Vec::with_capacity(workers);
    for _ in 0..workers {
        let chunk: Chunk = records.by_ref().take(CHUNK).collect();
        if chunk.is_empty() {
            break;
        }
        out.push(chunk);
    }
    out
}

fn seal_chunk(
    chunk: Chunk,
    cols: &Columns,
    width: usize,
    cx: &Context<'_>,
    keys: &PiiKeys,
) -> Vec<Row> {
    chunk
        .into_iter()
        .map(
            |(line, rec)| match csv::record(cols, width, rec, line, cx) {
                Err(problem) => Row::Refused(Refused { line, problem }),
                Ok(v) => seal(&v, keys),
            },
        )
        .collect()
}

fn seal(v: &csv::Voter, keys: &PiiKeys) -> Row {
    let normalised = name::normalise(&v.name);
    match keys.encrypt(&record::encode(v)) {
        Err(e) => Row::Failed(e),
        Ok(sealed) => Row::Voter(Box::new(Sealed {
            line: v.line,
            hash: nik_hash(keys, v.nik.as_str()),
            name_hash: name_hash(keys, &normalised),
            mask: pack::mask_compact(&normalised),
            village_code: v.village_code.clone(),
            tps_number: v.tps_number,
            sex: v.sex,
            address: v.address.clone(),
            sealed,
        })),
    }
}
