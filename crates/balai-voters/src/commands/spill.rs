//! The index entries of an import, spilled to temporary files by the first 6 bits of their NIK
//! hash while the rows stream in, then read back one file (one 64th of the list) at a time:
//! sorted, checked for a NIK listed twice, packed into buckets. Memory stays bounded by the
//! largest 64th instead of the whole list. The files are removed when the import ends.

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

const FILES: usize = 64;

/// The spill files of one import.
pub struct Spill {
    dir: tempfile::TempDir,
    out: Vec<BufWriter<File>>,
}

impl Spill {
    pub fn new() -> io::Result<Spill> {
        let dir = tempfile::Builder::new().prefix("balai-dpt-").tempdir()?;
        let out = (0..FILES)
            .map(|i| File::create(path(&dir, i)).map(|f| BufWriter::with_capacity(1 << 16, f)))
            .collect::<io::Result<Vec<_>>>()?;
        Ok(Spill { dir, out })
    }

    pub fn push(&mut self, e: &Spilled) -> io::Result<()> {
        let w = &mut self.out[usize::from(e.hash[0] >> 2)];
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

    /// Close the files for reading; each is then read whole, in hash order of the files.
    pub fn finish(self) -> io::Result<Spilled64> {
        for mut w in self.out {
            w.flush()?;
        }
        Ok(Spilled64 {
            dir: self.dir,
            next: 0,
        })
    }
}

/// The closed spill files.
pub struct Spilled64 {
    dir: tempfile::TempDir,
    next: usize,
}

impl Spilled64 {
    /// The entries of the next file, in the order they were pushed.
    pub fn next_file(&mut self) -> Option<io::Result<Vec<Spilled>>> {
        if self.next >= FILES {
            return None;
        }
        let p = path(&self.dir, self.next);
        self.next += 1;
        let read = || -> io::Result<Vec<Spilled>> {
            let mut bytes = Vec::new();
            BufReader::new(File::open(&p)?).read_to_end(&mut bytes)?;
            std::fs::remove_file(&p)?;
            Ok(decode(&bytes))
        };
        Some(read())
    }
}

fn path(dir: &tempfile::TempDir, i: usize) -> PathBuf {
    dir.path().join(format!("{i:02}"))
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
        assert_eq!(files.len(), 64);
        assert_eq!(files[0], [e(0x00, 3), e(0x01, 4)]);
        assert_eq!(files[63], [e(0xFF, 2), e(0xFE, 5)]);
        drop(r);
        assert!(!dir.exists());
    }
}
