//! Citizens' credentials: a public tracking code plus a secret that only its holder has (a
//! civil-registry application, a complaint). Codes and secrets use one alphabet without the
//! look-alikes 0/O and 1/I, so they survive being read aloud or copied from paper; only a hash
//! of a secret is stored, bound to its code, and compared in constant time.

use rand::Rng;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// 32 characters: digits 2–9 and letters without I and O.
pub const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// `len` characters from [`ALPHABET`], from the thread's CSPRNG (5 bits each).
pub fn random_code(len: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..len)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect()
}

/// Normalise what a citizen typed: upper case, no spaces or dashes.
pub fn normalise_code(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// `len` characters, all from [`ALPHABET`].
pub fn code_valid(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| ALPHABET.contains(&b))
}

/// Constant-time equality of two secrets' hashes.
pub fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

/// The stored hash of a high-entropy secret (80 bits or more), bound to its code and to a
/// purpose (`domain`) so one hash never stands for another credential. Unkeyed: guessing an
/// 80-bit secret from its hash is as hopeless as guessing it online.
pub fn secret_hash(domain: &str, code: &str, secret: &str) -> String {
    let mut h = Sha256::new();
    for part in [domain, code, secret] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// `ABCD-EFGH-JKMN-PQRS`: a long secret in groups of four, easier to copy.
pub fn grouped(s: &str) -> String {
    grouped_by(s, 4)
}

/// `s` in dash-separated groups of `n` characters (a code is ASCII).
pub fn grouped_by(s: &str, n: usize) -> String {
    s.as_bytes()
        .chunks(n.max(1))
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_hashes_and_grouping() {
        let s = random_code(16);
        assert!(code_valid(&s, 16));
        assert!(!s.contains(['0', 'O', '1', 'I']));
        assert_eq!(normalise_code(&grouped(&s).to_lowercase()), s);
        let h = secret_hash("x", "CODE", &s);
        assert!(same_secret(
            h.as_bytes(),
            secret_hash("x", "CODE", &s).as_bytes()
        ));
        assert!(!same_secret(
            h.as_bytes(),
            secret_hash("y", "CODE", &s).as_bytes()
        ));
        assert!(!same_secret(
            h.as_bytes(),
            secret_hash("x", "CODF", &s).as_bytes()
        ));
        assert!(!same_secret(b"ab", b"abc"));
        assert_eq!(grouped("ABCDEFGH"), "ABCD-EFGH");
    }
}
