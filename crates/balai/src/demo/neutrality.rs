//! The neutrality register's demo: the 2024 elections of Kota Banjar and of Jawa Barat with
//! their schedules, and Kota Banjar's appointments inside and outside the windows (fictional
//! officials), recorded by the Pemda of Kota Banjar.

use balai_core::audit::{self, AuditContext, AuditEvent};
use balai_core::schedule::StageKind;
use balai_core::{with_db, Db};
use balai_neutrality::commands::record::store_one;
use balai_neutrality::domain::appointment::{validate, Draft};
use balai_neutrality::store::appointments::{RecordedBy, Source};
use serde_json::json;
use time::macros::date;
use time::Date;

const STAGES: &[(&str, Date, Date, StageKind)] = &[
    (
        "Pemutakhiran data pemilih",
        date!(2024 - 05 - 31),
        date!(2024 - 09 - 20),
        StageKind::PemutakhiranDataPemilih,
    ),
    (
        "Pendaftaran pasangan calon",
        date!(2024 - 08 - 27),
        date!(2024 - 08 - 29),
        StageKind::PendaftaranPaslon,
    ),
    (
        "Penetapan pasangan calon",
        date!(2024 - 09 - 22),
        date!(2024 - 09 - 22),
        StageKind::PenetapanPaslon,
    ),
    (
        "Kampanye",
        date!(2024 - 09 - 25),
        date!(2024 - 11 - 23),
        StageKind::Kampanye,
    ),
    (
        "Masa tenang",
        date!(2024 - 11 - 24),
        date!(2024 - 11 - 26),
        StageKind::MasaTenang,
    ),
    (
        "Pemungutan suara",
        date!(2024 - 11 - 27),
        date!(2024 - 11 - 27),
        StageKind::PemungutanSuara,
    ),
    (
        "Rekapitulasi",
        date!(2024 - 11 - 27),
        date!(2024 - 12 - 16),
        StageKind::Rekapitulasi,
    ),
    (
        "Pelantikan",
        date!(2025 - 02 - 20),
        date!(2025 - 02 - 20),
        StageKind::Pelantikan,
    ),
];

/// (kind, region, name): the province's election over Kota Banjar. The city's own is the
/// results demo's ([`super::DEMO_ELECTION`], `load_election`), whose schedule checks the
/// same appointments through the schedule hook.
const ELECTIONS: &[(&str, &str, &str)] = &[(
    "gubernur",
    "32",
    "Pemilihan Gubernur dan Wakil Gubernur Jawa Barat 2024 (contoh)",
)];

/// (kind, name, from, to, decree number, decree date, effective date, approval)
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);
const APPOINTMENTS: &[Row] = &[
    (
        "rotasi",
        "Wulan Contoh (fiktif)",
        "Kepala Bagian Umum",
        "Kepala Bagian Organisasi",
        "821.2/01-BKPSDM/2024",
        "2024-01-15",
        "",
        "",
    ),
    (
        "mutasi",
        "Agus Contoh (fiktif)",
        "Camat Langensari",
        "Kepala Dinas Perhubungan",
        "821.2/07-BKPSDM/2024",
        "2024-02-28",
        "",
        "",
    ),
    (
        "mutasi",
        "Dewi Contoh (fiktif)",
        "Sekretaris Dinas Kesehatan",
        "Kepala Dinas Sosial",
        "821.2/11-BKPSDM/2024",
        "2024-03-01",
        "2024-04-01",
        "",
    ),
    (
        "mutasi",
        "Hendra Contoh (fiktif)",
        "Kepala Bidang Anggaran",
        "Kepala Dinas Pendidikan",
        "821.2/19-BKPSDM/2024",
        "2024-05-02",
        "",
        "",
    ),
    (
        "promosi",
        "Maya Contoh (fiktif)",
        "Kepala Bidang Kesehatan Masyarakat",
        "Direktur RSUD Kota Banjar",
        "821.2/24-BKPSDM/2024",
        "2024-07-10",
        "",
        "100.2.2.6/4321/OTDA",
    ),
    (
        "mutasi",
        "Rudi Contoh (fiktif)",
        "Lurah Hegarsari",
        "Camat Pataruman",
        "821.2/31-BKPSDM/2024",
        "2024-10-01",
        "",
        "",
    ),
    (
        "promosi",
        "Fajar Contoh (fiktif)",
        "Kepala Seksi Pemerintahan",
        "Sekretaris Kecamatan Purwaharja",
        "821.2/04-BKPSDM/2025",
        "2025-03-10",
        "",
        "",
    ),
    (
        "rotasi",
        "Lestari Contoh (fiktif)",
        "Kepala Bagian Hukum",
        "Kepala Bagian Perekonomian",
        "821.2/12-BKPSDM/2025",
        "2025-09-01",
        "",
        "",
    ),
];

async fn election_id(db: &Db, name: &str) -> anyhow::Result<Option<i64>> {
    Ok(with_db!(db, |c| sqlx::query_scalar::<_, i64>(
        "SELECT id FROM elections WHERE name = $1"
    )
    .bind(name)
    .fetch_optional(c)
    .await)?)
}

async fn ensure_elections(db: &Db, ctx: &AuditContext) -> anyhow::Result<()> {
    let stages: Vec<_> = STAGES
        .iter()
        .map(|(n, a, b, k)| (n.to_string(), Some(*k), *a, *b))
        .collect();
    for (kind, region, name) in ELECTIONS {
        if election_id(db, name).await?.is_some() {
            continue;
        }
        let mut tx = db.begin().await?;
        let id = balai_elections::store::insert_election(
            &mut tx,
            kind,
            region,
            name,
            date!(2024 - 11 - 27),
            None,
        )
        .await?;
        balai_elections::store::insert_schedule(
            &mut tx,
            id,
            1,
            "Jadwal Pilkada serentak 2024 (contoh)",
            "PKPU 2/2024",
            None,
            "demo",
            &stages,
        )
        .await?;
        audit::record(
            &mut tx,
            ctx,
            AuditEvent {
                action: balai_elections::domain::audit_actions::CREATED,
                target_kind: "election",
                target_id: id.to_string(),
                region_code: Some(region.to_string()),
                summary: json!({ "name": name, "demo": true }),
            },
        )
        .await?;
        tx.commit().await?;
    }
    Ok(())
}

pub async fn load(db: &Db, ctx: &AuditContext) -> anyhow::Result<()> {
    ensure_elections(db, ctx).await?;
    let existing: i64 = with_db!(db, |c| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM appointments WHERE region_code = '32.79'"
    )
    .fetch_one(c)
    .await)?;
    let recorder = balai_core::accounts::user_by_name(db, "banjar.admin").await?;
    let Some(user) = recorder.filter(|_| existing == 0) else {
        return Ok(());
    };
    let today = balai_neutrality::commands::today();
    let mut tx = db.begin().await?;
    for (i, (kind, name, from, to, number, decree, effective, approval)) in
        APPOINTMENTS.iter().enumerate()
    {
        let draft = Draft {
            region_code: "32.79".into(),
            kind: kind.to_string(),
            official_name: name.to_string(),
            from_position: from.to_string(),
            to_position: to.to_string(),
            decree_number: number.to_string(),
            decree_date: decree.to_string(),
            effective_date: effective.to_string(),
            minister_approval_ref: approval.to_string(),
            signed_by: "head".into(),
            // Fictional NIPs, shown to the agencies only.
            nip: format!("198001012005011{:03}", i + 1),
        };
        let a = validate(&draft, today).map_err(|e| anyhow::anyhow!(e.messages().1))?;
        let by = RecordedBy {
            agency_id: user.agency_id,
            user_id: user.id,
        };
        let done = store_one(&mut tx, &a, Source::Form, by)
            .await
            .map_err(|e| anyhow::anyhow!(e.message_en()))?;
        audit::record(&mut tx, ctx, AuditEvent {
            action: balai_neutrality::domain::audit::APPOINTMENT_RECORDED,
            target_kind: balai_neutrality::domain::audit::TARGET_APPOINTMENT,
            target_id: done.id.to_string(),
            region_code: Some("32.79".into()),
            summary: json!({ "decree_number": number, "flags": done.flags.len(), "demo": true }),
        })
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The demo's neutrality cases, by the demo's Bawaslu Kota Banjar and BKN accounts.
pub async fn load_cases(db: &Db, ctx: &AuditContext) -> anyhow::Result<()> {
    use balai_neutrality::store::cases::By;
    let by = |u: balai_core::accounts::User| By {
        agency_id: u.agency_id,
        user_id: u.id,
    };
    let user = |name: &'static str| balai_core::accounts::user_by_name(db, name);
    let (Some(officer), Some(spv), Some(bkn)) = (
        user("banjar.bawaslu").await?,
        user("banjar.bawaslu.spv").await?,
        user("jabar.bkn.spv").await?,
    ) else {
        return Ok(());
    };
    let who = balai_neutrality::commands::cases::demo::DemoOfficials {
        bawaslu_officer: by(officer),
        bawaslu_supervisor: by(spv),
        bkn_supervisor: by(bkn),
    };
    balai_neutrality::commands::cases::demo::seed(db, ctx, who).await
}
