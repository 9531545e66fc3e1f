//! Requests for the demo world: a PPID's requests in several states (received, extended,
//! answered, answered in part, refused, objected to after a missed deadline), with fictitious
//! requesters. Written once per agency; their clocks run on the stored calendar.

use balai_core::audit::{self, AuditContext, AuditEvent};
use balai_core::calendar;
use balai_core::db::Db;
use balai_core::ids::AgencyId;
use balai_core::secret;
use serde_json::json;
use time::Duration;

use super::file::{CODE_LEN, SECRET_DOMAIN, SECRET_LEN};
use super::today_at;
use crate::domain::audit as actions;
use crate::domain::clocks::{Clock, KipClocks, SUBJECT_KIND};
use crate::domain::registration::registration_number;
use crate::domain::status::{Action, Status};
use crate::store::{self, Change, NewEvent, NewRequest};

const TEST: &str = "Rincian honor per nama mengungkap data pribadi pegawai (Pasal 17 huruf h); \
                    kepentingan publik terpenuhi oleh rekapitulasi per kegiatan yang diberikan.";

/// (days ago received, information, the step taken, days ago it was taken)
const DEMO: &[(i64, &str, Option<Action>, i64)] = &[
    (
        1,
        "Jadwal dan lokasi rapat pleno rekapitulasi hasil penghitungan suara tingkat kota.",
        None,
        0,
    ),
    (
        9,
        "Salinan Dokumen Pelaksanaan Anggaran Dinas Pendidikan tahun anggaran 2026.",
        Some(Action::Extend),
        2,
    ),
    (
        16,
        "Daftar penerima hibah bantuan sosial tahun 2026 beserta nilainya.",
        Some(Action::Answer),
        4,
    ),
    (
        20,
        "Rincian honorarium panitia pengadaan barang dan jasa tahun 2026.",
        Some(Action::AnswerPartly),
        6,
    ),
    (
        22,
        "Hasil pemeriksaan kesehatan calon kepala daerah.",
        Some(Action::Refuse),
        8,
    ),
    (
        30,
        "Laporan realisasi anggaran perjalanan dinas DPRD semester pertama 2026.",
        Some(Action::Object),
        3,
    ),
];

/// The state, the change and the history note of a demo step taken on `day`.
fn demo_change(action: Action, day: time::Date) -> (Status, Change<'static>, Option<&'static str>) {
    let mut ch = Change::default();
    let (to, note) = match action {
        Action::Extend => {
            ch.extension_reason = Some("Dokumen masih dihimpun dari tiga bidang.");
            (Status::Extended, ch.extension_reason)
        }
        Action::Answer => {
            ch.answered_on = Some(day);
            ch.answer = Some("Daftar penerima hibah terlampir (PDF, 12 halaman).");
            (Status::Answered, ch.answer)
        }
        Action::AnswerPartly => {
            ch.answered_on = Some(day);
            ch.answer = Some("Rekapitulasi honor per kegiatan terlampir; [DIHITAMKAN: nama dan NIP penerima, Pasal 17 huruf h].");
            ch.exemption = Some("h");
            ch.consequence_test = Some(TEST);
            (Status::AnsweredPartly, ch.answer)
        }
        Action::Refuse => {
            ch.answered_on = Some(day);
            ch.exemption = Some("h");
            ch.consequence_test = Some("Hasil pemeriksaan kesehatan adalah rahasia pribadi (Pasal 17 huruf h); yang terbuka adalah keputusan memenuhi syarat, sudah diumumkan.");
            (Status::Refused, ch.consequence_test)
        }
        _ => {
            ch.objection_on = Some(day);
            ch.objection_reason = Some("Tidak ada jawaban sampai batas waktu.");
            (Status::Objected, ch.objection_reason)
        }
    };
    (to, ch, note)
}

/// Add the demo requests to `agency` (a PPID) unless it has some; returns how many were added.
pub async fn seed(db: &Db, agency: AgencyId, region: &str) -> anyhow::Result<usize> {
    if !store::requests::of_agency(db, Some(agency), 1, false)
        .await?
        .is_empty()
    {
        return Ok(0);
    }
    let ctx = AuditContext::system("demo");
    let today = today_at(region);
    for (i, (ago, information, step, step_ago)) in DEMO.iter().enumerate() {
        let received = today - Duration::days(*ago);
        let code = secret::random_code(CODE_LEN);
        let hash = secret::secret_hash(SECRET_DOMAIN, &code, &secret::random_code(SECRET_LEN));
        let mut tx = db.begin().await?;
        let name = format!("Pemohon Contoh {} (fiktif)", i + 1);
        let id = store::requests::insert(
            &mut tx,
            &NewRequest {
                agency_id: agency,
                tracking_code: &code,
                secret_hash: &hash,
                channel: "online",
                name: &name,
                email: None,
                phone: None,
                address: Some("Alamat contoh (fiktif)"),
                information,
                purpose: "Contoh untuk demo",
                delivery: "pickup",
                received_on: received,
                filed_by_user_id: None,
            },
        )
        .await?;
        let number = registration_number(agency.get(), received.year(), id.get());
        store::requests::set_registration_number(&mut tx, id, &number).await?;
        let subject = id.to_string();
        let extended = *step == Some(Action::Extend);
        calendar::start_clock(
            &mut tx,
            SUBJECT_KIND,
            &subject,
            Clock::Answer.as_str(),
            received,
            // The demo world runs on the law's clocks.
            KipClocks::default().answer_working_days(extended),
        )
        .await?;
        let mut event = NewEvent {
            request: id,
            action: "file",
            from: None,
            to: Status::Received.as_str(),
            note: None,
            by_official: false,
            day: received,
        };
        store::insert_event(&mut tx, &event).await?;
        if let Some(action) = step {
            let day = today - Duration::days(*step_ago);
            let (to, ch, note) = demo_change(*action, day);
            if to == Status::Objected {
                let purpose = Clock::ObjectionAnswer.as_str();
                let n = KipClocks::default().objection_answer_working_days;
                calendar::start_clock(&mut tx, SUBJECT_KIND, &subject, purpose, day, n).await?;
            }
            if to == Status::Objected || to.answered() {
                calendar::stop_clock(&mut tx, SUBJECT_KIND, &subject, Clock::Answer.as_str())
                    .await?;
            }
            if to.answered() {
                calendar::stop_clock(&mut tx, SUBJECT_KIND, &subject, Clock::Answer.as_str())
                    .await?;
            }
            store::requests::change(&mut tx, id, Status::Received, to, &ch).await?;
            event.action = action.as_str();
            event.from = Some(Status::Received.as_str());
            event.to = to.as_str();
            event.note = note;
            event.by_official = *action != Action::Object;
            event.day = day;
            store::insert_event(&mut tx, &event).await?;
        }
        audit::record(
            &mut tx,
            &ctx,
            AuditEvent {
                action: actions::FILE,
                target_kind: actions::TARGET_REQUEST,
                target_id: subject.clone(),
                region_code: Some(region.to_string()),
                summary: json!({ "agency_id": agency, "registration_number": number, "demo": true }),
            },
        )
        .await?;
        tx.commit().await?;
    }
    seed_list(db, agency, today).await?;
    Ok(DEMO.len())
}

/// The demo PPID's Daftar Informasi Publik: one entry of each class, one berkala entry late.
async fn seed_list(db: &Db, agency: AgencyId, today: time::Date) -> anyhow::Result<()> {
    use crate::domain::dip::{check, Document, RawEntry};
    let entries = [
        (
            "berkala",
            "Laporan keuangan tahunan (LKPD)",
            "UU 14/2008 Pasal 9 ayat (2) huruf c",
            "",
            40,
        ),
        (
            "berkala",
            "Rencana kerja dan anggaran",
            "UU 14/2008 Pasal 9 ayat (2) huruf b",
            "",
            230,
        ),
        (
            "serta_merta",
            "Peringatan dini banjir dan jalur evakuasi",
            "UU 14/2008 Pasal 10",
            "",
            3,
        ),
        (
            "setiap_saat",
            "Daftar aset dan inventaris daerah",
            "UU 14/2008 Pasal 11 ayat (1)",
            "",
            90,
        ),
        (
            "dikecualikan",
            "Data pribadi penerima bantuan sosial",
            "UU 14/2008 Pasal 17 huruf h",
            "h",
            120,
        ),
    ];
    for (category, title, basis, exemption, ago) in entries {
        let raw = RawEntry {
            category: category.into(),
            title: title.into(),
            summary: String::new(),
            legal_basis: basis.into(),
            exemption: exemption.into(),
            documents: vec![Document {
                title: format!("{title} (contoh)"),
                reference: "ARSIP/CONTOH/001".into(),
            }],
            updated_on: Some((today - Duration::days(ago)).to_string()),
        };
        let entry = check(&raw, today).map_err(|e| anyhow::anyhow!("{e}"))?;
        let mut tx = db.begin().await?;
        let id = store::lists::insert(&mut tx, agency, &entry).await?;
        audit::record(
            &mut tx,
            &AuditContext::system("demo"),
            AuditEvent {
                action: actions::LIST_ADD,
                target_kind: actions::TARGET_LIST_ENTRY,
                target_id: id.to_string(),
                region_code: None,
                summary: json!({ "agency_id": agency, "category": category, "demo": true }),
            },
        )
        .await?;
        tx.commit().await?;
    }
    Ok(())
}
