//! The index entries of an import, spilled to temporary files by the first byte of their NIK
//! hash while the rows stream in, then read back one file at a time, in hash order: sorted,
//! checked for a NIK listed twice, packed into buckets. A file larger than [`MAX_READ`] is
//! first split again by the next bits of the hash (never inside a bucket, the first 16 bits),
//! so what is read at once stays under [`MAX_READ`] bytes of entries whatever the list's size:
//! 256 files of up to 8 MiB hold ~45 M voters, and beyond that each file is split (204.8 M
//! voters: 16 pieces of ~2.3 MiB each). Writing keeps 256 buffers of 32 KiB. The files are
//! removed as they are read, and all of them when the import ends.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;

/// One voter's entry while the import runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spilled {
    pub hash: [u8; 16],
    pub line: u32,
    pub province: u8,
    /// The TPS's position in the import (its id is known only once all TPS are stored).
    pub tps: u32,
    pub n: u32,
    pub name_hash: [u8; 8],
    pub mask: Vec<u8>,
}

/// Files written while the rows stream, by the first byte of the hash.
const FILES: usize = 256;
/// The most bytes of entries read into memory at once (see the module's text).
const MAX_READ: u64 = 8 << 20;
/// Each open file's write buffer.
const BUFFER: usize = 32 << 10;

/// The spill files of one import.
pub struct Spill {
    dir: tempfile::TempDir,
    out: Vec<BufWriter<File>>,
}

impl Spill {
    pub fn new() -> io::Result<Spill> {
        let dir = tempfile::Builder::new().prefix("balai-dpt-").tempdir()?;
        let out = (0..FILES)
            .map(|i| writer(&path(&dir, &format!("{i:03}"))))
            .collect::<io::Result<Vec<_>>>()?;
        Ok(Spill { dir, out })
    }

    pub fn push(&mut self, e: &Spilled) -> io::Result<()> {
        let w = &mut self.out[usize::from(e.hash[0])];
        w.write_all(&e.hash)?;
        w.write_all(&e.line.to_le_bytes())?;
        w.write_all(&[e.province])?;
        w.write_all(&e.tps.to_le_bytes())?;
        w.write_all(&e.n.to_le_bytes())?;
        w.write_all(&e.name_hash)?;
        let m = e.mask.len().min(255);
        w.write_all(&[u8::try_from(m).unwrap_or(u8::MAX)])?;
        w.write_all(&e.mask[..m])
    }

    /// Close the files for reading, in hash order.
    pub fn finish(self) -> io::Result<SpillFiles> {
        for mut w in self.out {
            w.flush()?;
        }
        let queue = (0..FILES)
            .map(|i| (path(&self.dir, &format!("{i:03}")), false))
            .collect();
        Ok(SpillFiles {
            _dir: self.dir,
            queue,
        })
    }
}

fn writer(p: &std::path::Path) -> io::Result<BufWriter<File>> {
    File::create(p).map(|f| BufWriter::with_capacity(BUFFER, f))
}

/// The closed spill files, still to be read, in hash order (each marked once split).
pub struct SpillFiles {
    /// Removed, with what is left in it, when the import ends.
    _dir: tempfile::TempDir,
    queue: VecDeque<(PathBuf, bool)>,
}

impl SpillFiles {
    /// The entries of the next file, in the order they were pushed; `None` after the last.
    pub fn next_file(&mut self) -> Option<io::Result<Vec<Spilled>>> {
        let read = |p: &PathBuf| -> io::Result<Vec<Spilled>> {
            let mut bytes = Vec::new();
            BufReader::new(File::open(p)?).read_to_end(&mut bytes)?;
            std::fs::remove_file(p)?;
            Ok(decode(&bytes))
        };
        loop {
            let (p, split) = self.queue.pop_front()?;
            let len = match std::fs::metadata(&p) {
                Ok(m) => m.len(),
                Err(e) => return Some(Err(e)),
            };
            if split || len <= MAX_READ {
                return Some(read(&p));
            }
            match split_file(&p, len) {
                Ok(pieces) => {
                    for piece in pieces.into_iter().rev() {
                        self.queue.push_front((piece, true));
                    }
                }
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

/// Split a first-level file (all its hashes share their first byte) by the top bits of the
/// hash's second byte into 2, 4, … 256 pieces of about `MAX_READ / 2` bytes, in hash order;
/// the file is removed.
fn split_file(p: &PathBuf, len: u64) -> io::Result<Vec<PathBuf>> {
    let mut bits = 1u32;
    while bits < 8 && (len >> bits) > MAX_READ / 2 {
        bits += 1;
    }
    let name = p.to_string_lossy().into_owned();
    let pieces: Vec<PathBuf> = (0..1usize << bits)
        .map(|j| PathBuf::from(format!("{name}-{j:03}")))
        .collect();
    let mut out = pieces
        .iter()
        .map(|q| writer(q))
        .collect::<io::Result<Vec<_>>>()?;
    let mut r = BufReader::with_capacity(1 << 16, File::open(p)?);
    let mut entry = [0u8; HEAD + 255];
    loop {
        match r.read_exact(&mut entry[..HEAD]) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => break,
            Err(e) => return Err(e),
        }
        let m = usize::from(entry[HEAD - 1]);
        r.read_exact(&mut entry[HEAD..HEAD + m])?;
        let piece = usize::from(entry[1] >> (8 - bits));
        out[piece].write_all(&entry[..HEAD + m])?;
    }
    for mut w in out {
        w.flush()?;
    }
    std::fs::remove_file(p)?;
    Ok(pieces)
}

fn path(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}

const HEAD: usize = 16 + 4 + 1 + 4 + 4 + 8 + 1;

fn decode(bytes: &[u8]) -> Vec<Spilled> {
    let mut out = Vec::with_capacity(bytes.len() / (HEAD + 6));
    let mut i = 0;
    while let Some(h) = bytes.get(i..i + HEAD) {
        let m = usize::from(h[HEAD - 1]);
        let Some(mask) = bytes.get(i + HEAD..i + HEAD + m) else {
            break;
        };
        let u32_at = |o: usize| u32::from_le_bytes([h[o], h[o + 1], h[o + 2], h[o + 3]]);
        let mut hash = [0u8; 16];
        hash.copy_from_slice(&h[..16]);
        let mut name_hash = [0u8; 8];
        name_hash.copy_from_slice(&h[29..37]);
        out.push(Spilled {
            hash,
            line: u32_at(16),
            province: h[20],
            tps: u32_at(21),
            n: u32_at(25),
            name_hash,
            mask: mask.to_vec(),
        });
        i += HEAD + m;
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn entries_come_back_by_file_and_the_files_go() {
        let mut s = Spill::new().unwrap();
        let dir = s.dir.path().to_path_buf();
        let e = |first: u8, line: u32| Spilled {
            hash: [first; 16],
            line,
            province: 32,
            tps: line * 7,
            n: line * 3,
            name_hash: [9; 8],
            mask: vec![b'S', 3],
        };
        for (first, line) in [(0xFF, 2), (0x00, 3), (0x01, 4), (0xFE, 5)] {
            s.push(&e(first, line)).unwrap();
        }
        let mut r = s.finish().unwrap();
        let mut files = Vec::new();
        while let Some(f) = r.next_file() {
            files.push(f.unwrap());
        }
        assert_eq!(files.len(), 256);
        assert_eq!(files[0], [e(0x00, 3)]);
        assert_eq!(files[1], [e(0x01, 4)]);
        assert_eq!(files[254], [e(0xFE, 5)]);
        assert_eq!(files[255], [e(0xFF, 2)]);
        assert!(files[2..254].iter().all(Vec::is_empty));
        drop(r);
        assert!(!dir.exists());
    }

    #[test]
    fn a_file_over_the_limit_is_read_in_pieces_in_hash_order() {
        let mut s = Spill::new().unwrap();
        let dir = s.dir.path().to_path_buf();
        // 220,000 entries of 42 bytes under one first byte: 9.2 MB, over MAX_READ.
        let total = 220_000u32;
        for i in 0..total {
            let mut hash = [0u8; 16];
            hash[0] = 7;
            hash[1] = u8::try_from(i.wrapping_mul(37) % 256).unwrap();
            hash[2..6].copy_from_slice(&i.to_le_bytes());
            s.push(&Spilled {
                hash,
                line: i + 2,
                province: 32,
                tps: i % 300,
                n: i,
                name_hash: [1; 8],
                mask: vec![b'A', 4, b'B', 5],
            })
            .unwrap();
        }
        s.push(&Spilled {
            hash: [8; 16],
            line: 1,
            province: 32,
            tps: 0,
            n: 0,
            name_hash: [1; 8],
            mask: vec![],
        })
        .unwrap();
        let mut r = s.finish().unwrap();
        let mut sizes = Vec::new();
        let mut seen = Vec::new();
        while let Some(f) = r.next_file() {
            let f = f.unwrap();
            let top: Vec<u8> = f.iter().map(|e| e.hash[1] >> 6).collect();
            assert!(
                top.windows(2).all(|w| w[0] == w[1]),
                "a piece spans its bits"
            );
            sizes.push(f.len());
            seen.extend(f.into_iter().map(|e| (e.hash[0], e.hash[1], e.n)));
        }
        // 255 first-level files, and file 7 in 4 pieces of ~2.3 MB.
        assert_eq!(sizes.len(), 255 + 4);
        assert!(sizes.iter().all(|n| (*n as u64) * 45 <= MAX_READ));
        assert_eq!(seen.len(), total as usize + 1);
        let order: Vec<(u8, u8)> = seen.iter().map(|(a, b, _)| (*a, *b >> 6)).collect();
        assert!(
            order.windows(2).all(|w| w[0] <= w[1]),
            "pieces in hash order"
        );
        let mut ns: Vec<u32> = seen.iter().filter(|s| s.0 == 7).map(|s| s.2).collect();
        ns.sort_unstable();
        assert_eq!(ns, (0..total).collect::<Vec<_>>());
        drop(r);
        assert!(!dir.exists());
    }
}
