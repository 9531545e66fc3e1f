//! The audit log as people read it: a sentence per action in both languages (not the stored
//! JSON), times in the zone of the event's region with the zone named, and reads of personal
//! data folded into one line per actor, record and day with a count.
//!
//! The folding happens here, in the view, not in how reads are recorded: each read stays its own
//! event in the hash chain (`balai audit verify` and the signed checkpoints are unchanged, and an
//! investigator can still list every single read with the filters), while the page no longer
//! drowns the real actions in page views. Recording one row per day and updating its count would
//! rewrite a chained, append-only row.

use balai_core::audit::{actions, AuditRow};
use balai_core::format::{self, Zone};
use balai_core::i18n::Lang;
use time::Date;

/// One line of the audit page.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The newest event's sequence number.
    pub seq: i64,
    /// The oldest event's sequence number (the line covers `seq_first..=seq`).
    pub seq_first: i64,
    pub when: String,
    pub actor: String,
    pub action: String,
    pub sentence: String,
    pub target: String,
    pub ip: String,
    /// How many events the line stands for (reads of personal data folded per actor, record
    /// and day; 1 otherwise).
    pub count: u32,
}

/// The local day and time of an event, in the zone of its region (WIB when it has none).
fn zone_of(row: &AuditRow) -> Zone {
    Zone::for_region(row.region_code.as_deref().unwrap_or(""))
}

pub fn local_day(row: &AuditRow) -> Date {
    row.occurred_at.to_offset(zone_of(row).offset()).date()
}

/// Reads of personal data: folded on the page.
fn is_read(action: &str) -> bool {
    action == actions::PERSONAL_DATA_READ
}

/// The events `rows` (newest first) as lines: every read of personal data by one actor of one
/// record on one local day becomes one line with its count.
pub fn fold(rows: &[AuditRow], lang: Lang) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    let mut reads: std::collections::HashMap<(String, String, String, Date), usize> =
        std::collections::HashMap::new();
    for r in rows {
        if is_read(&r.action) {
            let key = (
                r.actor_label.clone(),
                r.target_kind.clone(),
                r.target_id.clone(),
                local_day(r),
            );
            if let Some(&i) = reads.get(&key) {
                let e = &mut out[i];
                e.count += 1;
                e.seq_first = r.seq;
                e.sentence = describe(r, lang, e.count);
                continue;
            }
            reads.insert(key, out.len());
        }
        out.push(Entry {
            seq: r.seq,
            seq_first: r.seq,
            when: format::datetime(r.occurred_at, zone_of(r), lang),
            actor: r.actor_label.clone(),
            action: action_label(&r.action, lang).to_string(),
            sentence: describe(r, lang, 1),
            target: target_label(r, lang),
            ip: r.ip.clone(),
            count: 1,
        });
    }
    out
}

fn target_label(r: &AuditRow, lang: Lang) -> String {
    let kind = match r.target_kind.as_str() {
        "complaint" => lang.tr("Aduan", "Complaint"),
        "application" => lang.tr("Permohonan", "Application"),
        "user" => lang.tr("Pengguna", "User"),
        "users" => lang.tr("Daftar pengguna", "User list"),
        "agency" => lang.tr("Instansi", "Agency"),
        "agency_members" => lang.tr("Anggota instansi", "Agency members"),
        "election" => lang.tr("Pemilihan", "Election"),
        "holiday" => lang.tr("Hari libur", "Holiday"),
        other => other,
    };
    let id = if r.target_id == "list" {
        ""
    } else {
        r.target_id.as_str()
    };
    format!("{kind} {id}").trim().to_string()
}

/// The action in words.
pub fn action_label(action: &str, lang: Lang) -> &str {
    let (id, en) = match action {
        "auth.login" => ("Masuk", "Signed in"),
        "auth.login_failed" => ("Gagal masuk", "Failed sign-in"),
        "auth.logout" => ("Keluar", "Signed out"),
        "agency.created" => ("Instansi dibuat", "Agency created"),
        "user.created" => ("Pengguna dibuat", "User created"),
        "user.disabled" => ("Pengguna dinonaktifkan", "User disabled"),
        "user.password_changed" => ("Kata sandi diganti", "Password changed"),
        "user.password_set" => ("Kata sandi ditetapkan", "Password set"),
        "token.created" => ("Token API dibuat", "API token created"),
        "personal_data.read" => ("Akses data pribadi", "Personal data read"),
        "personal_data.search" => ("Pencarian NIK", "NIK search"),
        "calendar.holiday_saved" => ("Hari libur disimpan", "Holiday saved"),
        "calendar.holiday_removed" => ("Hari libur dihapus", "Holiday removed"),
        "checkpoint.key" => ("Kunci checkpoint", "Checkpoint key"),
        "notify.deliver" => ("Pemberitahuan dikirim", "Notification delivered"),
        "sms.block" => ("Nomor SMS diblokir", "SMS number blocked"),
        "sms.unblock" => ("Blokir nomor SMS dibuka", "SMS number unblocked"),
        "complaint.submit" => ("Aduan masuk", "Complaint filed"),
        "complaint.assigned" => ("Aduan ditugaskan", "Complaint assigned"),
        "complaint.note" => ("Catatan internal", "Internal note"),
        "complaint.hidden" => ("Aduan disembunyikan", "Complaint hidden"),
        "complaint.redacted" => ("Aduan disamarkan", "Complaint redacted"),
        "complaint.photo_hidden" => ("Foto disembunyikan", "Photo hidden"),
        "complaint.classify" => ("Aduan diklasifikasikan", "Complaint classified"),
        "complaint.escalate" => ("Aduan dieskalasi", "Complaint escalated"),
        "complaint.reporter_reply" => ("Balasan pelapor", "Reporter's reply"),
        "complaint.request_more_info" => ("Keterangan diminta", "More information requested"),
        "complaint.secret_sent" => ("Kode rahasia dikirim", "Secret sent"),
        "complaint.dispatched" | "complaint.dispatch" => {
            ("Aduan diteruskan", "Complaint dispatched")
        }
        "complaint.answered" | "complaint.answer" => ("Aduan dijawab", "Complaint answered"),
        "complaint.rejected" | "complaint.reject" => ("Aduan ditolak", "Complaint rejected"),
        "complaint.rerouted" | "complaint.reroute" => ("Aduan dialihkan", "Complaint re-routed"),
        "complaints.sweep" => ("Pemeriksaan tenggat aduan", "Complaint deadline sweep"),
        "civil_registry.submit" => ("Permohonan diajukan", "Application filed"),
        "civil_registry.take" => ("Permohonan diambil", "Application taken"),
        "civil_registry.release" => ("Permohonan dilepaskan", "Application released"),
        "civil_registry.approve" => ("Permohonan diteruskan", "Application approved"),
        "civil_registry.request_correction" => ("Perbaikan diminta", "Correction requested"),
        "civil_registry.resubmit" => ("Perbaikan dikirim", "Correction sent"),
        "civil_registry.mark_ready" => ("Dokumen siap", "Document ready"),
        "civil_registry.complete" => ("Permohonan selesai", "Application completed"),
        "civil_registry.reject" => ("Permohonan ditolak", "Application rejected"),
        "civil_registry.service_update" => ("Layanan diubah", "Service updated"),
        "civil_registry.offerings_update" => ("Layanan wilayah diubah", "Offerings updated"),
        "elections.created" => ("Pemilihan dibuat", "Election created"),
        "elections.candidate_added" => ("Paslon ditambahkan", "Candidate pair added"),
        "elections.candidate_status" => ("Status paslon diubah", "Candidate status changed"),
        "elections.tps_added" => ("TPS ditambahkan", "TPS added"),
        "elections.schedule_versioned" => ("Jadwal diubah", "Schedule changed"),
        "elections.status_changed" => ("Status pemilihan diubah", "Election status changed"),
        "elections.result_entered" => ("Hasil TPS dimasukkan", "TPS result entered"),
        "elections.photo_uploaded" => ("Foto formulir diunggah", "Form photo uploaded"),
        "elections.recap_recorded" => ("Rekapitulasi dicatat", "Recapitulation recorded"),
        "elections.recap_reopened" => ("Rekapitulasi dibuka", "Recapitulation reopened"),
        "elections.totals_rebuilt" => ("Total dihitung ulang", "Totals rebuilt"),
        "elections.totals_replaced" => ("Total diganti", "Totals replaced"),
        other => (other, other),
    };
    lang.tr(id, en)
}

/// The scalar details of an event's summary in words (`kolom: nilai`), without tracking codes.
fn details(summary: &str) -> Vec<(String, String)> {
    let Ok(serde_json::Value::Object(m)) = serde_json::from_str::<serde_json::Value>(summary)
    else {
        return Vec::new();
    };
    m.into_iter()
        .filter_map(|(k, v)| {
            let v = match v {
                serde_json::Value::String(s) => s,
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(b) => b.to_string(),
                _ => return None,
            };
            Some((k.replace('_', " "), v))
        })
        .collect()
}

/// One sentence for an event (`count` reads when folded).
pub fn describe(r: &AuditRow, lang: Lang, count: u32) -> String {
    let target = target_label(r, lang);
    if is_read(&r.action) {
        let records = details(&r.summary)
            .into_iter()
            .find(|(k, _)| k == "records")
            .map(|(_, v)| v);
        let times = if count > 1 {
            format!(
                " {}",
                lang.tr(
                    &format!("({count} kali pada hari itu)"),
                    &format!("({count} times that day)")
                )
            )
        } else {
            String::new()
        };
        return match (lang, records) {
            (Lang::Id, Some(n)) => format!(
                "{} melihat data pribadi: {target} ({n} baris){times}.",
                r.actor_label
            ),
            (Lang::En, Some(n)) => format!(
                "{} viewed personal data: {target} ({n} records){times}.",
                r.actor_label
            ),
            (Lang::Id, None) => format!("{} melihat data pribadi: {target}{times}.", r.actor_label),
            (Lang::En, None) => format!("{} viewed personal data: {target}{times}.", r.actor_label),
        };
    }
    let what = action_label(&r.action, lang);
    let mut s = format!("{what}: {target}");
    if s.ends_with(": ") {
        s.truncate(s.len() - 2);
    }
    let d: Vec<String> = details(&r.summary)
        .into_iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    if !d.is_empty() {
        s.push_str(&format!(" ({})", d.join(", ")));
    }
    s.push('.');
    s
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use time::macros::datetime;

    fn row(seq: i64, at: time::OffsetDateTime, action: &str, target: &str) -> AuditRow {
        AuditRow {
            seq,
            occurred_at: at,
            actor_user_id: Some(1),
            actor_label: "Petugas A".into(),
            action: action.into(),
            target_kind: "application".into(),
            target_id: target.into(),
            region_code: Some("32.79".into()),
            summary: r#"{"records":1}"#.into(),
            request_id: String::new(),
            ip: String::new(),
            user_agent: String::new(),
            prev_hash: String::new(),
            hash: String::new(),
            agency_kind: None,
        }
    }

    #[test]
    fn reads_fold_per_actor_record_and_local_day() {
        let rows = vec![
            row(
                6,
                datetime!(2026-12-05 10:00 UTC),
                "personal_data.read",
                "7",
            ),
            row(
                5,
                datetime!(2026-12-05 09:00 UTC),
                "civil_registry.take",
                "7",
            ),
            row(
                4,
                datetime!(2026-12-05 08:00 UTC),
                "personal_data.read",
                "7",
            ),
            row(
                3,
                datetime!(2026-12-05 07:00 UTC),
                "personal_data.read",
                "8",
            ),
            // 16:59 UTC on the 4th is 23:59 WIB on the 4th; 17:00 UTC is already the 5th in WIB.
            row(
                2,
                datetime!(2026-12-04 17:00 UTC),
                "personal_data.read",
                "7",
            ),
            row(
                1,
                datetime!(2026-12-04 16:59 UTC),
                "personal_data.read",
                "7",
            ),
        ];
        let lines = fold(&rows, Lang::Id);
        let counts: Vec<(i64, u32)> = lines.iter().map(|e| (e.seq, e.count)).collect();
        assert_eq!(counts, [(6, 3), (5, 1), (3, 1), (1, 1)]);
        assert_eq!(lines[0].seq_first, 2);
        assert_eq!(lines[0].when, "5 Desember 2026 17.00 WIB");
        assert!(
            lines[0].sentence.contains("(3 kali pada hari itu)"),
            "{}",
            lines[0].sentence
        );
        assert_eq!(
            lines[1].sentence,
            "Permohonan diambil: Permohonan 7 (records 1)."
        );
        assert!(!lines.iter().any(|e| e.sentence.contains('{')));
        let en = fold(&rows, Lang::En);
        assert_eq!(en[0].action, "Personal data read");
        assert!(en[0].sentence.contains("(3 times that day)"));
    }
}
