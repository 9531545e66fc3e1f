//! What every feature may know of an election's schedule (tahapan), without depending on the
//! elections feature: the machine-readable stage kinds (DOMAIN.md §3) and the hooks that run in
//! the transaction storing a new schedule version, so a feature whose records depend on the
//! schedule (the neutrality windows) recomputes them in the same commit.

use std::future::Future;
use std::pin::Pin;

use crate::i18n::Lang;
use crate::Tx;

/// What a schedule stage is, beside its free name (DOMAIN.md §3), in the order of an election.
/// Other stages have no kind. The election's voting date is its current schedule's
/// `pemungutan_suara` stage.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
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
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The kind's name as people say it.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            StageKind::PemutakhiranDataPemilih => {
                lang.tr("Pemutakhiran data pemilih", "Voter-list update")
            }
            StageKind::PendaftaranPaslon => lang.tr(
                "Pendaftaran pasangan calon",
                "Registration of candidate pairs",
            ),
            StageKind::PenetapanPaslon => {
                lang.tr("Penetapan pasangan calon", "Designation of candidate pairs")
            }
            StageKind::Kampanye => lang.tr("Kampanye", "Campaign"),
            StageKind::MasaTenang => lang.tr("Masa tenang", "Quiet period"),
            StageKind::PemungutanSuara => lang.tr("Pemungutan suara", "Voting day"),
            StageKind::Rekapitulasi => lang.tr("Rekapitulasi", "Recapitulation"),
            StageKind::PenetapanHasil => lang.tr("Penetapan hasil", "Declaration of results"),
            StageKind::Pelantikan => lang.tr("Pelantikan", "Inauguration"),
        }
    }

    /// The kind a stage's free name says, for schedules published before stages had kinds
    /// and for clients that send only names: the usual KPU wording, case and punctuation
    /// ignored. A re-vote (`pemungutan suara ulang`) is not the voting day.
    pub fn infer(name: &str) -> Option<StageKind> {
        let n: String = name
            .to_lowercase()
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { ' ' })
            .collect();
        let n = format!(" {} ", n.split_whitespace().collect::<Vec<_>>().join(" "));
        let has = |w: &str| n.contains(&format!(" {w} "));
        if has("ulang") {
            return None;
        }
        let pairs = has("paslon") || has("pasangan calon") || has("calon");
        if has("pemungutan suara") || has("pencoblosan") || has("hari pemungutan") {
            Some(StageKind::PemungutanSuara)
        } else if has("pemutakhiran") || has("dpt") || has("daftar pemilih") {
            Some(StageKind::PemutakhiranDataPemilih)
        } else if has("pendaftaran") && pairs {
            Some(StageKind::PendaftaranPaslon)
        } else if has("penetapan") && (has("hasil") || has("terpilih")) {
            Some(StageKind::PenetapanHasil)
        } else if has("penetapan") && pairs {
            Some(StageKind::PenetapanPaslon)
        } else if has("masa tenang") {
            Some(StageKind::MasaTenang)
        } else if has("kampanye") {
            Some(StageKind::Kampanye)
        } else if has("rekapitulasi") {
            Some(StageKind::Rekapitulasi)
        } else if has("pelantikan") {
            Some(StageKind::Pelantikan)
        } else {
            None
        }
    }
}

impl TryFrom<String> for StageKind {
    type Error = String;

    fn try_from(s: String) -> Result<Self, String> {
        StageKind::parse(&s).ok_or_else(|| format!("unknown stage kind {s:?}"))
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

/// One kinded stage of an election's current schedule, as another feature reads it (the
/// readiness of officers before each stage) without depending on the elections feature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduledStage {
    pub election_id: i64,
    pub election_name: String,
    /// The region the election is held in.
    pub region_code: String,
    pub kind: StageKind,
    /// The stage's free name.
    pub name: String,
    pub start: time::Date,
    pub end: time::Date,
}

/// What a [`StageSource`] returns.
pub type StagesFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Vec<ScheduledStage>, sqlx::Error>> + Send + 'a>>;

/// The elections feature's current schedules, read through this trait (the binary keeps its
/// implementation in [`Stages`] in the application state's extensions).
pub trait StageSource: Send + Sync {
    /// The kinded stages of the current schedule of every election held in one of `regions`,
    /// by election and position.
    fn stages_in<'a>(&'a self, db: &'a crate::Db, regions: &'a [String]) -> StagesFuture<'a>;
}

/// The registered [`StageSource`].
#[derive(Clone)]
pub struct Stages(pub std::sync::Arc<dyn StageSource>);

/// The kinded stages of the elections held in `regions` (none when no source is registered).
pub async fn stages_in(
    ext: &axum::http::Extensions,
    db: &crate::Db,
    regions: &[String],
) -> Result<Vec<ScheduledStage>, sqlx::Error> {
    match ext.get::<Stages>() {
        Some(s) => s.0.stages_in(db, regions).await,
        None => Ok(Vec::new()),
    }
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
            StageKind::infer("Penetapan Pasangan Calon"),
            Some(StageKind::PenetapanPaslon)
        );
        assert_eq!(
            StageKind::infer("Pendaftaran pasangan calon"),
            Some(StageKind::PendaftaranPaslon)
        );
        assert_eq!(
            StageKind::infer("Pelantikan Wali Kota terpilih"),
            Some(StageKind::Pelantikan)
        );
        assert_eq!(
            StageKind::infer("Pemungutan suara"),
            Some(StageKind::PemungutanSuara)
        );
        assert_eq!(
            StageKind::infer("Penetapan hasil"),
            Some(StageKind::PenetapanHasil)
        );
        assert_eq!(StageKind::infer("Sosialisasi"), None);
    }
}
