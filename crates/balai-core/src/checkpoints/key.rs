//! The server's checkpoint signing key (Ed25519).
//!
//! Taken from, in this order: `BALAI_CHECKPOINT_KEY` (base64 of the 32-byte secret seed; read
//! here, never a field of the shared settings), the file `[checkpoints] key_file`, or the file
//! `checkpoint.key` in the data directory if it exists. A key file holds either base64 of the
//! 32-byte seed on one line (what `balai keys generate` writes) or a PKCS#8 PEM private key
//! (`openssl genpkey -algorithm ed25519`). A key is generated (into the data directory, mode
//! 0600) only by `balai serve --demo` / `balai demo` and by `balai keys generate`: without one a
//! server warns at start and makes no checkpoints.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine;
use ed25519_dalek::pkcs8::DecodePrivateKey;
use ed25519_dalek::{Signer, SigningKey};
use time::OffsetDateTime;

use super::{format_time, sha256_hex, statement, Checkpoint, Head};
use crate::config::Config;

pub const ENV_KEY: &str = "BALAI_CHECKPOINT_KEY";
/// The key file's name in the data directory.
pub const DATA_DIR_FILE: &str = "checkpoint.key";

/// The signing key; cheap to clone, its secret never printed.
#[derive(Clone)]
pub struct CheckpointKey {
    signing: Arc<SigningKey>,
    id: String,
    public_b64: String,
}

impl std::fmt::Debug for CheckpointKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CheckpointKey({})", self.id)
    }
}

/// The id of a public key: the first 16 hex digits of SHA-256 of its 32 raw bytes.
pub fn key_id(public: &[u8; 32]) -> String {
    sha256_hex(public)[..16].to_string()
}

impl CheckpointKey {
    pub fn from_seed(seed: [u8; 32]) -> CheckpointKey {
        let signing = SigningKey::from_bytes(&seed);
        let public = signing.verifying_key().to_bytes();
        CheckpointKey {
            signing: Arc::new(signing),
            id: key_id(&public),
            public_b64: base64::engine::general_purpose::STANDARD.encode(public),
        }
    }

    /// A new random key.
    pub fn generate() -> CheckpointKey {
        CheckpointKey::from_seed(rand::random())
    }

    /// Base64 of the 32-byte seed, or a PKCS#8 PEM private key.
    pub fn parse(text: &str) -> Result<CheckpointKey, String> {
        let text = text.trim();
        if text.starts_with("-----BEGIN") {
            return SigningKey::from_pkcs8_pem(text)
                .map(|k| CheckpointKey::from_seed(k.to_bytes()))
                .map_err(|e| format!("not an Ed25519 PKCS#8 PEM private key: {e}"));
        }
        let raw = base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_err(|e| format!("not base64: {e}"))?;
        <[u8; 32]>::try_from(raw.as_slice())
            .map(CheckpointKey::from_seed)
            .map_err(|_| format!("must decode to 32 bytes (got {})", raw.len()))
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// Base64 of the 32 raw bytes of the public key.
    pub fn public_key(&self) -> &str {
        &self.public_b64
    }

    /// Sign `head` as checkpoint `number` of its chain, made at `at` (kept to the second).
    pub fn sign(&self, head: &Head, number: i64, prev: &str, at: OffsetDateTime) -> Checkpoint {
        let made_at = format_time(at);
        let text = statement(
            &head.chain,
            number,
            head.seq,
            &head.hash,
            &made_at,
            &self.id,
            prev,
        );
        let signature = self.signing.sign(text.as_bytes());
        Checkpoint {
            chain: head.chain.clone(),
            number,
            seq: head.seq,
            head_hash: head.hash.clone(),
            made_at,
            key_id: self.id.clone(),
            public_key: self.public_b64.clone(),
            prev: prev.to_string(),
            digest: sha256_hex(text.as_bytes()),
            statement: text,
            signature: base64::engine::general_purpose::STANDARD.encode(signature.to_bytes()),
        }
    }

    fn seed_b64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.signing.to_bytes())
    }
}

/// The configured key and where it came from, or `None` when there is none.
pub fn load(cfg: &Config) -> Result<Option<(CheckpointKey, String)>, String> {
    if let Ok(v) = std::env::var(ENV_KEY) {
        if !v.trim().is_empty() {
            let k = CheckpointKey::parse(&v).map_err(|e| format!("{ENV_KEY}: {e}"))?;
            return Ok(Some((k, ENV_KEY.to_string())));
        }
    }
    let (path, required) = match &cfg.checkpoints.key_file {
        Some(p) => (p.clone(), true),
        None => (cfg.data_dir.join(DATA_DIR_FILE), false),
    };
    if !required && !path.exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("checkpoint key file {}: {e}", path.display()))?;
    let k = CheckpointKey::parse(&text)
        .map_err(|e| format!("checkpoint key file {}: {e}", path.display()))?;
    Ok(Some((k, path.display().to_string())))
}

/// Write a new key to `path` (created with mode 0600; an existing file is never replaced).
pub fn generate_file(path: &Path) -> Result<CheckpointKey, String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            format!("{} exists already; it is never replaced", path.display())
        } else {
            format!("{}: {e}", path.display())
        }
    })?;
    let key = CheckpointKey::generate();
    writeln!(f, "{}", key.seed_b64())
        .and_then(|()| f.sync_all())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(key)
}

/// For the demo: make sure a key exists, generating `checkpoint.key` in the data directory
/// when none is configured. Returns the file generated, if any.
pub fn ensure_demo_key(cfg: &Config) -> Result<Option<PathBuf>, String> {
    if load(cfg)?.is_some() {
        return Ok(None);
    }
    let path = cfg.data_dir.join(DATA_DIR_FILE);
    generate_file(&path).map(|_| Some(path))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn key_files_round_trip_with_mode_0600_and_are_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k").join("checkpoint.key");
        let k = generate_file(&path).unwrap();
        let back = CheckpointKey::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(back.id(), k.id());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(generate_file(&path).unwrap_err().contains("never replaced"));
        assert!(CheckpointKey::parse("c2hvcnQ=")
            .unwrap_err()
            .contains("32 bytes"));
    }

    #[test]
    fn the_demo_generates_a_key_only_when_none_is_configured() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = Config {
            data_dir: dir.path().to_path_buf(),
            ..Config::default()
        };
        let made = ensure_demo_key(&cfg).unwrap().unwrap();
        assert_eq!(made, dir.path().join(DATA_DIR_FILE));
        let id = load(&cfg).unwrap().unwrap().0.id().to_string();
        assert_eq!(ensure_demo_key(&cfg).unwrap(), None);
        assert_eq!(load(&cfg).unwrap().unwrap().0.id(), id);
        // A configured key file that is missing is an error, not a silent fallback.
        let missing = Config {
            checkpoints: crate::config::CheckpointSettings {
                key_file: Some(dir.path().join("nope.key")),
                every_seconds: 300,
            },
            ..cfg
        };
        assert!(load(&missing).unwrap_err().contains("nope.key"));
    }

    #[test]
    fn pkcs8_pem_keys_are_read() {
        // RFC 8410 §10.3's example private key.
        let pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----\n";
        let k = CheckpointKey::parse(pem).unwrap();
        assert_eq!(
            k.public_key(),
            base64::engine::general_purpose::STANDARD.encode(
                hex::decode("19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1")
                    .unwrap()
            )
        );
    }
}
