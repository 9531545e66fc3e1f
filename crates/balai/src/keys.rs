//! `balai keys generate|show`: the checkpoint signing key (see `balai_core::checkpoints::key`).

use balai_core::checkpoints::key;
use balai_core::config::Config;

use crate::cli::KeysCmd;

pub fn keys_cmd(cfg: &Config, cmd: KeysCmd) -> anyhow::Result<i32> {
    match cmd {
        KeysCmd::Generate { out } => {
            let path = out.unwrap_or_else(|| cfg.data_dir.join(key::DATA_DIR_FILE));
            let k = key::generate_file(&path).map_err(|e| anyhow::anyhow!(e))?;
            println!(
                "checkpoint signing key written to {} (mode 0600)",
                path.display()
            );
            println!("key id: {}", k.id());
            println!("public key (Ed25519, base64): {}", k.public_key());
            if out_is_elsewhere(cfg, &path) {
                println!(
                    "set [checkpoints] key_file = {:?} (or BALAI_CHECKPOINT_KEY) to use it",
                    path.display().to_string()
                );
            }
            Ok(0)
        }
        KeysCmd::Show => match key::load(cfg).map_err(|e| anyhow::anyhow!(e))? {
            Some((k, from)) => {
                println!("key id: {}", k.id());
                println!("public key (Ed25519, base64): {}", k.public_key());
                println!("from: {from}");
                Ok(0)
            }
            None => {
                eprintln!(
                    "no checkpoint signing key: set {} or [checkpoints] key_file, or run `balai keys generate`",
                    key::ENV_KEY
                );
                Ok(1)
            }
        },
    }
}

/// Whether `path` is a file the server would not find by itself.
fn out_is_elsewhere(cfg: &Config, path: &std::path::Path) -> bool {
    let default = cfg.data_dir.join(key::DATA_DIR_FILE);
    cfg.checkpoints.key_file.as_deref() != Some(path) && path != default
}
