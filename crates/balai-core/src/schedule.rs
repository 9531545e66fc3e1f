//! What every feature may know of an election's schedule (tahapan), without depending on the
//! elections feature: the machine-readable stage kinds (DOMAIN.md §3) and the hooks that run in
//! the transaction storing a new schedule version, so a feature whose records depend on the
//! schedule (the neutrality windows) recomputes them in the same commit.

use std::future::Future;
use std::pin::Pin;

use crate::Tx;

/// A stage's kind, beside its free name. Other stages have none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageKind {
    PemutakhiranDataPemilih,
    PendaftaranPaslon,
    PenetapanPaslon,
    Kampanye,
    MasaTenang,
    PemungutanSuara,
    Rekapitulasi,
    PenetapanHasil,
    Pelantikan,
}

impl StageKind {
    pub const ALL: [StageKind; 9] = [
        StageKind::PemutakhiranDataPemilih,
        StageKind::PendaftaranPaslon,
        StageKind::PenetapanPaslon,
        StageKind::Kampanye,
        StageKind::MasaTenang,
        StageKind::PemungutanSuara,
        StageKind::Rekapitulasi,
        StageKind::PenetapanHasil,
        StageKind::Pelantikan,
    ];

    /// The code stored in `schedule_stages.kind` and used in the API.
    pub const fn as_str(self) -> &'static str {
        match self {
            StageKind::PemutakhiranDataPemilih => "pemutakhiran_data_pemilih",
            StageKind::PendaftaranPaslon => "pendaftaran_paslon",
            StageKind::PenetapanPaslon => "penetapan_paslon",
            StageKind::Kampanye => "kampanye",
            StageKind::MasaTenang => "masa_tenang",
            StageKind::PemungutanSuara => "pemungutan_suara",
            StageKind::Rekapitulasi => "rekapitulasi",
            StageKind::PenetapanHasil => "penetapan_hasil",
            StageKind::Pelantikan => "pelantikan",
        }
    }

    pub fn parse(s: &str) -> Option<StageKind> {
        StageKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// The kind a stage's free name most likely means, for schedules entered without kinds
    /// (KPU's usual stage names, in Bahasa Indonesia). An explicit kind always wins.
    pub fn guess_from_name(name: &str) -> Option<StageKind> {
        let n = name.to_lowercase();
        let has = |w: &str| n.contains(w);
        if has("pelantikan") {
            Some(StageKind::Pelantikan)
        } else if has("penetapan") && (has("pasangan calon") || has("paslon")) {
            Some(StageKind::PenetapanPaslon)
        } else if has("pendaftaran") && (has("pasangan calon") || has("paslon")) {
            Some(StageKind::PendaftaranPaslon)
        } else if has("pemungutan") {
            Some(StageKind::PemungutanSuara)
        } else if has("masa tenang") {
            Some(StageKind::MasaTenang)
        } else if has("kampanye") {
            Some(StageKind::Kampanye)
        } else if has("rekapitulasi") {
            Some(StageKind::Rekapitulasi)
        } else if has("penetapan") && (has("hasil") || has("calon terpilih")) {
            Some(StageKind::PenetapanHasil)
        } else if has("pemutakhiran") || has("daftar pemilih") {
            Some(StageKind::PemutakhiranDataPemilih)
        } else {
            None
        }
    }
}

/// What a schedule hook returns: a future borrowing the transaction.
pub type HookFuture<'a> = Pin<Box<dyn Future<Output = Result<(), sqlx::Error>> + Send + 'a>>;

/// A feature's reaction to a new schedule version of election `election_id`, run in the
/// transaction that stores it (so a failure rolls the schedule back too).
pub type ScheduleChanged = for<'a> fn(&'a mut Tx, i64) -> HookFuture<'a>;

/// The hooks the binary registers at startup (kept in `AppState::ext`).
#[derive(Clone, Default)]
pub struct ScheduleHooks(pub Vec<ScheduleChanged>);

/// Run every registered hook for a new schedule of `election_id` in the caller's transaction.
pub async fn changed(
    ext: &axum::http::Extensions,
    tx: &mut Tx,
    election_id: i64,
) -> Result<(), sqlx::Error> {
    if let Some(hooks) = ext.get::<ScheduleHooks>() {
        for hook in &hooks.0 {
            hook(tx, election_id).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_names_are_guessed() {
        for k in StageKind::ALL {
            assert_eq!(StageKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(StageKind::parse("nope"), None);
        assert_eq!(
            StageKind::guess_from_name("Penetapan Pasangan Calon"),
            Some(StageKind::PenetapanPaslon)
        );
        assert_eq!(
            StageKind::guess_from_name("Pendaftaran pasangan calon"),
            Some(StageKind::PendaftaranPaslon)
        );
        assert_eq!(
            StageKind::guess_from_name("Pelantikan Wali Kota terpilih"),
            Some(StageKind::Pelantikan)
        );
        assert_eq!(
            StageKind::guess_from_name("Pemungutan suara"),
            Some(StageKind::PemungutanSuara)
        );
        assert_eq!(
            StageKind::guess_from_name("Penetapan hasil"),
            Some(StageKind::PenetapanHasil)
        );
        assert_eq!(StageKind::guess_from_name("Sosialisasi"), None);
    }
}
