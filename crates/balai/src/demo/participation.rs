//! The demo world's collaboration record in Kota Banjar, consistent with the demo election
//! "Pemilihan Wali Kota Banjar 2024 (contoh)" (voting day 4 December 2024): an agreement between
//! KPU and Kesbangpol Kota Banjar with outside organisations (renewed), one ended early, outreach
//! activities in the four districts before voting day (minutes approved for some, a draft for
//! another; one withdrawn), follow-ups, an FKUB forum with members, the KPU's turnout targets, and a past
//! election (2018) loaded with totals for the comparison. Written through the same commands as
//! the API, by the demo accounts (audited). Loading is idempotent by the first agreement.

use balai_core::identity::{actor_for_user, Actor, AuthVia};
use balai_core::web::actor::ReqMeta;
use balai_core::web::AppCtx;
use balai_core::{accounts, with_db, Db};
use balai_participation::commands::{
    activity, agreement, followup, forum, minutes, targets, withdraw,
};
use balai_participation::domain::activity::{Attendance, Draft as ActivityDraft, FollowUpDraft};
use balai_participation::domain::agreement::{Draft as AgreementDraft, RenewalDraft};
use balai_participation::domain::ending::EndDraft;
use balai_participation::domain::forum::{ForumDraft, MemberDraft};

const FIRST_NUMBER: &str = "001/PKS/KPU-KB/III/2024 (contoh)";
const PAST_ELECTION: &str = "Pemilihan Wali Kota Banjar 2018 (contoh)";

async fn actor(db: &Db, name: &str) -> anyhow::Result<Actor> {
    let u = accounts::user_by_name(db, name)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no demo user {name}"))?;
    actor_for_user(db, u.id, AuthVia::Command)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo user {name} is disabled"))
}

async fn id_by_name(db: &Db, sql: &str, name: &str) -> anyhow::Result<Option<i64>> {
    Ok(with_db!(db, |c| sqlx::query_scalar::<_, i64>(sql)
        .bind(name)
        .fetch_optional(c)
        .await)?)
}

fn fail(e: impl Into<balai_core::AppError>) -> anyhow::Error {
    anyhow::anyhow!("demo participation: {}", e.into().info.message_en)
}

/// The 2018 election of Kota Banjar, loaded with per-district totals.
async fn past_election(ctx: &AppCtx, spv: &Actor, meta: &ReqMeta) -> anyhow::Result<()> {
    use balai_elections::commands::setup::{self, NewElection};
    const ELECTION: &str = "SELECT id FROM elections WHERE name = $1";
    if id_by_name(&ctx.db, ELECTION, PAST_ELECTION)
        .await?
        .is_some()
    {
        return Ok(());
    }
    let id = setup::create_election(
        ctx,
        spv,
        meta,
        &NewElection {
            kind: "walikota".into(),
            region_code: "32.79".into(),
            name: PAST_ELECTION.into(),
            voting_date: "2018-06-27".into(),
        },
    )
    .await
    .map_err(fail)?;
    let csv = "region_code,dpt,pengguna\n32.79.01,48210,33264\n32.79.02,38815,26005\n\
               32.79.03,25340,17990\n32.79.04,35902,23336\n";
    setup::put_totals(ctx, spv, meta, id, csv)
        .await
        .map_err(fail)?;
    Ok(())
}

/// (title, district, date, target group, participants, school or organisation, signed list)
type Outreach = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static str,
);
const ACTIVITIES: &[Outreach] = &[
    (
        "Sosialisasi pemilih pemula di SMA Negeri 1 Banjar (contoh)",
        "32.79.01",
        "2024-05-18",
        "pemilih_pemula",
        240,
        "SMA Negeri 1 Banjar (contoh)",
    ),
    (
        "Dialog kebangsaan bersama FKUB dan tokoh agama (contoh)",
        "32.79.02",
        "2024-07-20",
        "tokoh_agama",
        45,
        "FKUB Kota Banjar (contoh)",
    ),
    (
        "Sosialisasi pemilu akses bagi penyandang disabilitas (contoh)",
        "32.79.03",
        "2024-09-14",
        "disabilitas",
        60,
        "Persatuan Tunanetra Indonesia Kota Banjar (contoh)",
    ),
    (
        "Jalan sehat dan sosialisasi pemilih perempuan (contoh)",
        "32.79.04",
        "2024-10-26",
        "perempuan",
        310,
        "PKK Kecamatan Langensari (contoh)",
    ),
    (
        "Rembuk tokoh adat menjelang pemungutan suara (contoh)",
        "32.79.01",
        "2024-11-16",
        "tokoh_adat",
        35,
        "Paguyuban Adat Sunda Kota Banjar (contoh)",
    ),
    (
        "Rapat evaluasi partisipasi pemilih dan rencana pendidikan pemilih 2027 (contoh)",
        "32.79",
        "2027-02-13",
        "masyarakat_umum",
        40,
        "Forum Relawan Demokrasi Kota Banjar (contoh)",
    ),
];

async fn record_agreements(
    ctx: &AppCtx,
    meta: &ReqMeta,
    kpu: &Actor,
    kesbang: &Actor,
) -> anyhow::Result<i64> {
    let (Some(kpu_agency), Some(kesbang_agency)) = (&kpu.agency, &kesbang.agency) else {
        anyhow::bail!("demo agencies missing");
    };
    let first = agreement::record(
        ctx,
        meta,
        kpu,
        &AgreementDraft {
            title: "Peningkatan partisipasi masyarakat dalam Pemilihan Wali Kota Banjar 2024 (contoh)".into(),
            number: FIRST_NUMBER.into(),
            agency_ids: vec![kpu_agency.id, kesbang_agency.id],
            other_parties: vec![
                "PC Nahdlatul Ulama Kota Banjar (contoh)".into(),
                "PD Muhammadiyah Kota Banjar (contoh)".into(),
                "FKUB Kota Banjar (contoh)".into(),
            ],
            signed_on: "2024-03-01".into(),
            valid_from: "2024-03-01".into(),
            valid_until: "2025-03-01".into(),
            clauses: vec![
                "Para pihak menyelenggarakan sosialisasi dan pendidikan pemilih bersama, terutama bagi pemilih pemula, perempuan dan penyandang disabilitas.".into(),
                "Para pihak melibatkan tokoh agama dan tokoh adat dalam menjaga pemilihan yang damai.".into(),
                "Para pihak saling bertukar data kegiatan dan melaporkan hasilnya setiap triwulan.".into(),
            ],
            legal_basis: "PKPU Nomor 9 Tahun 2022 tentang Partisipasi Masyarakat (contoh)".into(),
        },
    )
    .await
    .map_err(fail)?;
    agreement::renew(
        ctx,
        meta,
        kpu,
        first,
        &RenewalDraft {
            number: "014/PKS/KPU-KB/II/2025 (contoh)".into(),
            signed_on: "2025-02-20".into(),
            valid_until: "2027-12-31".into(),
        },
    )
    .await
    .map_err(fail)?;
    let youth = agreement::record(
        ctx,
        meta,
        kesbang,
        &AgreementDraft {
            title: "Pendidikan politik bagi pemuda (contoh)".into(),
            number: "200/45/Kesbangpol/2023 (contoh)".into(),
            agency_ids: vec![kesbang_agency.id],
            other_parties: vec!["KNPI Kota Banjar (contoh)".into()],
            signed_on: "2023-01-10".into(),
            valid_from: "2023-01-10".into(),
            valid_until: "2023-12-31".into(),
            clauses: vec!["Para pihak menyelenggarakan pendidikan politik bagi pemuda.".into()],
            legal_basis: String::new(),
        },
    )
    .await
    .map_err(fail)?;
    // Ended early, so the pages show an agreement's end (pengakhiran).
    agreement::end(
        ctx,
        meta,
        kesbang,
        youth,
        &EndDraft {
            ended_on: "2023-09-01".into(),
            reason:
                "Kepengurusan mitra berakhir dan para pihak sepakat mengakhiri kerja sama (contoh)."
                    .into(),
        },
    )
    .await
    .map_err(fail)?;
    Ok(first)
}

async fn record_activities(
    ctx: &AppCtx,
    meta: &ReqMeta,
    kpu: &Actor,
    kesbang_id: i64,
    admin: &Actor,
    agreement_id: i64,
) -> anyhow::Result<()> {
    for (i, (title, place, date, group, people, org)) in ACTIVITIES.iter().enumerate() {
        let id = activity::record(
            ctx,
            meta,
            kpu,
            &ActivityDraft {
                agreement_id: Some(agreement_id),
                clause: Some(if *group == "tokoh_agama" || *group == "tokoh_adat" {
                    2
                } else {
                    1
                }),
                title: title.to_string(),
                region_code: place.to_string(),
                date: date.to_string(),
                target_group: group.to_string(),
                participants: *people,
                organisations: Vec::new(),
                agenda: "Pembukaan; paparan tahapan dan tata cara memilih; tanya jawab; penutup."
                    .into(),
                attendance: vec![
                    Attendance {
                        institution: "KPU Kota Banjar".into(),
                        agency_id: kpu.agency.as_ref().map(|a| a.id),
                        attendees: Some(4),
                        signed_list: true,
                    },
                    Attendance {
                        institution: "Kesbangpol Kota Banjar".into(),
                        agency_id: Some(kesbang_id),
                        attendees: Some(2),
                        signed_list: true,
                    },
                    Attendance {
                        institution: org.to_string(),
                        agency_id: None,
                        attendees: Some(people - 6),
                        signed_list: i % 2 == 0,
                    },
                ],
            },
        )
        .await
        .map_err(fail)?;
        if i < 3 {
            let text = format!(
                "Kegiatan «{title}» dihadiri {people} orang. Peserta menanyakan cara memeriksa \
                 pendaftaran di DPT, letak TPS dan hak pemilih yang pindah domisili. Disepakati \
                 bahwa materi sosialisasi dibagikan ulang melalui lembaga peserta."
            );
            minutes::draft(ctx, meta, kpu, id, &text)
                .await
                .map_err(fail)?;
        }
        if i < 2 {
            // The attending agencies (KPU, Kesbangpol) approve; the super-admin stands in.
            minutes::approve(ctx, meta, admin, id).await.map_err(fail)?;
        }
        if i < 2 {
            let (action, owner, owner_agency, due, progress) = if i == 0 {
                (
                    "Membentuk relawan demokrasi di setiap SMA/SMK (contoh)",
                    "KPU Kota Banjar",
                    kpu.agency.as_ref().map(|a| a.id),
                    "2024-08-31",
                    100,
                )
            } else {
                (
                    "Dialog rutin tokoh agama menjelang masa kampanye (contoh)",
                    "Kesbangpol Kota Banjar",
                    Some(kesbang_id),
                    "2024-10-31",
                    60,
                )
            };
            followup::add(
                ctx,
                meta,
                kpu,
                id,
                &FollowUpDraft {
                    action: action.into(),
                    owner: owner.into(),
                    owner_agency_id: owner_agency,
                    due_on: due.into(),
                    progress,
                    note: String::new(),
                },
            )
            .await
            .map_err(fail)?;
        }
    }
    Ok(())
}

/// An activity withdrawn (cancelled) with its reason, so the pages show a cancelled one.
async fn record_withdrawn(
    ctx: &AppCtx,
    meta: &ReqMeta,
    kpu: &Actor,
    agreement_id: i64,
) -> anyhow::Result<()> {
    let cancelled = activity::record(
        ctx,
        meta,
        kpu,
        &ActivityDraft {
            agreement_id: Some(agreement_id),
            clause: Some(1),
            title: "Sosialisasi pemilih di Pasar Banjar (contoh)".into(),
            region_code: "32.79.01".into(),
            date: "2024-08-24".into(),
            target_group: "masyarakat_umum".into(),
            participants: 0,
            organisations: Vec::new(),
            agenda: String::new(),
            attendance: Vec::new(),
        },
    )
    .await
    .map_err(fail)?;
    withdraw::withdraw(
        ctx,
        meta,
        kpu,
        cancelled,
        "Lokasi dipakai untuk peringatan HUT RI; sosialisasi dijadwalkan ulang (contoh).",
    )
    .await
    .map_err(fail)?;
    Ok(())
}

async fn record_forum(ctx: &AppCtx, meta: &ReqMeta, kesbang: &Actor) -> anyhow::Result<()> {
    let id = forum::create(
        ctx,
        meta,
        kesbang,
        &ForumDraft {
            name: "Forum Kerukunan Umat Beragama Kota Banjar (contoh)".into(),
            kind: "fkub".into(),
            region_code: "32.79".into(),
        },
    )
    .await
    .map_err(fail)?;
    for (person, org, position) in [
        (
            "K.H. Ahmad Contoh (fiktif)",
            "MUI Kota Banjar (contoh)",
            "Ketua",
        ),
        (
            "Pdt. Yohanes Contoh (fiktif)",
            "PGI Kota Banjar (contoh)",
            "Wakil Ketua",
        ),
        (
            "Ni Made Contoh (fiktif)",
            "PHDI Kota Banjar (contoh)",
            "Sekretaris",
        ),
    ] {
        forum::add_member(
            ctx,
            meta,
            kesbang,
            id,
            &MemberDraft {
                person: person.into(),
                organisation: org.into(),
                position: position.into(),
                from: "2023-01-01".into(),
                to: "2027-12-31".into(),
            },
        )
        .await
        .map_err(fail)?;
    }
    Ok(())
}

pub async fn load(db: &Db, cfg: &balai_core::config::Config) -> anyhow::Result<()> {
    const AGREEMENT: &str = "SELECT id FROM collab_agreements WHERE number = $1";
    if id_by_name(db, AGREEMENT, FIRST_NUMBER).await?.is_some() {
        return Ok(());
    }
    let Some(election) = id_by_name(
        db,
        "SELECT id FROM elections WHERE name = $1",
        crate::demo::DEMO_ELECTION,
    )
    .await?
    else {
        return Ok(());
    };
    let ctx = crate::app::context(db.clone(), cfg.clone()).await?;
    let meta = ReqMeta {
        request_id: "demo".into(),
        ip: "local".into(),
        user_agent: "balai demo".into(),
    };
    let kpu = actor(db, "banjar.kpu.spv").await?;
    let kesbang = actor(db, "banjar.kesbangpol").await?;
    let admin = actor(db, "admin").await?;
    let kesbang_id = kesbang.agency.as_ref().map_or(0, |a| a.id);
    past_election(&ctx, &kpu, &meta).await?;
    let first = record_agreements(&ctx, &meta, &kpu, &kesbang).await?;
    record_activities(&ctx, &meta, &kpu, kesbang_id, &admin, first).await?;
    record_withdrawn(&ctx, &meta, &kpu, first).await?;
    record_forum(&ctx, &meta, &kesbang).await?;
    targets::set(
        &ctx,
        &meta,
        &kpu,
        election,
        "region_code,target_percent\n32.79,77.5\n32.79.01,78\n32.79.02,77\n32.79.03,76.5\n32.79.04,75\n",
    )
    .await
    .map_err(fail)?;
    Ok(())
}
