//! The laporan layanan informasi of a PPID for a period, and the evidence table of the Komisi
//! Informasi's yearly evaluation (Monev, Perki 1/2022) filled from the same records and the
//! PPID's Daftar Informasi Publik.

use balai_core::accounts::Agency;
use balai_core::calendar;
use balai_core::db::Db;
use balai_core::ids::AgencyId;
use time::Date;

use crate::domain::dip::{self, Category};
use crate::domain::report::{figures, Figures, Period};
use crate::store;

/// One row of the Monev evidence table: the indicator, what the records show, and where.
#[derive(Clone, Debug)]
pub struct Evidence {
    pub indicator_id: &'static str,
    pub indicator_en: &'static str,
    pub shown_id: String,
    pub shown_en: String,
    pub link: String,
}

pub struct Report {
    pub agency: Agency,
    pub period: Period,
    pub from: Date,
    pub to: Date,
    pub f: Figures,
    pub evidence: Vec<Evidence>,
}

fn ev(ind: (&'static str, &'static str), shown: (String, String), link: String) -> Evidence {
    Evidence {
        indicator_id: ind.0,
        indicator_en: ind.1,
        shown_id: shown.0,
        shown_en: shown.1,
        link,
    }
}

/// The evidence rows: the list's classes, then the service's figures.
fn evidence(
    agency: &Agency,
    period: Period,
    f: &Figures,
    list: &[(Category, bool)],
) -> Vec<Evidence> {
    let mut rows = list_evidence(agency, list);
    rows.extend(service_evidence(agency, period, f));
    rows
}

/// The rows of the Daftar Informasi Publik.
fn list_evidence(agency: &Agency, list: &[(Category, bool)]) -> Vec<Evidence> {
    let of = |c| list.iter().filter(|(x, _)| *x == c).count();
    let late = list.iter().filter(|(_, l)| *l).count();
    let dip = format!("/informasi/dip/{}", agency.id);
    vec![
        ev(
            (
                "Informasi berkala diumumkan dan dimutakhirkan (Pasal 9)",
                "Periodic information published and kept up to date (art. 9)",
            ),
            (
                format!(
                    "{} informasi; {late} terlambat dimutakhirkan",
                    of(Category::Berkala)
                ),
                format!(
                    "entries: {}; overdue for update: {late}",
                    of(Category::Berkala)
                ),
            ),
            dip.clone(),
        ),
        ev(
            (
                "Informasi serta-merta (Pasal 10)",
                "Information published immediately (art. 10)",
            ),
            (
                format!("{} informasi", of(Category::SertaMerta)),
                format!("entries: {}", of(Category::SertaMerta)),
            ),
            dip.clone(),
        ),
        ev(
            (
                "Informasi setiap saat (Pasal 11)",
                "Information available at any time (art. 11)",
            ),
            (
                format!("{} informasi", of(Category::SetiapSaat)),
                format!("entries: {}", of(Category::SetiapSaat)),
            ),
            dip.clone(),
        ),
        ev(
            (
                "Daftar informasi yang dikecualikan dengan dasar Pasal 17",
                "Exempt information with its art. 17 ground",
            ),
            (
                format!("{} informasi", of(Category::Dikecualikan)),
                format!("entries: {}", of(Category::Dikecualikan)),
            ),
            dip,
        ),
    ]
}

/// The rows of the request service.
fn service_evidence(agency: &Agency, period: Period, f: &Figures) -> Vec<Evidence> {
    let here = format!("/informasi/laporan/{}?{}", agency.id, query(period));
    let decided = f.granted + f.granted_partly + f.refused;
    vec![
        ev(
            (
                "Permohonan diregistrasi dengan nomor",
                "Requests registered with a number",
            ),
            (
                format!("{} permohonan", f.requests),
                format!("requests: {}", f.requests),
            ),
            here.clone(),
        ),
        ev(
            (
                "Permohonan dijawab dalam jangka waktu (Pasal 22 ayat 7–8)",
                "Requests answered in time (art. 22(7)–(8))",
            ),
            (
                format!("{} dari {decided} diputus tepat waktu", f.on_time),
                format!("decided in time: {} of {decided}", f.on_time),
            ),
            here.clone(),
        ),
        ev(
            (
                "Penolakan dengan dasar Pasal 17 dan uji konsekuensi",
                "Refusals with an art. 17 ground and a consequence test",
            ),
            (
                format!("{} penolakan, semuanya dengan uji konsekuensi", f.refused),
                format!("refusals: {}, each with a consequence test", f.refused),
            ),
            format!("/informasi/arsip?agency={}", agency.id),
        ),
        ev(
            (
                "Keberatan ditanggapi Atasan PPID (Pasal 35–36)",
                "Objections answered by the PPID's superior (arts. 35–36)",
            ),
            (
                format!(
                    "{} keberatan; {} ditanggapi, {} tepat waktu",
                    f.objections, f.objections_answered, f.objections_answered_on_time
                ),
                format!(
                    "objections: {}; answered: {}, in time: {}",
                    f.objections, f.objections_answered, f.objections_answered_on_time
                ),
            ),
            here.clone(),
        ),
        ev(
            (
                "Sengketa informasi di Komisi Informasi (Pasal 37)",
                "Disputes at the Information Commission (art. 37)",
            ),
            (
                format!(
                    "{} sengketa; {} telah diputus",
                    f.disputes, f.disputes_decided
                ),
                format!("disputes: {}; decided: {}", f.disputes, f.disputes_decided),
            ),
            here.clone(),
        ),
        ev(
            (
                "Laporan layanan informasi publik (Pasal 7 ayat 3)",
                "Report on the public-information service (art. 7(3))",
            ),
            (
                "Laporan ini, dengan CSV dan versi cetak".into(),
                "This report, with CSV and a printable version".into(),
            ),
            here,
        ),
    ]
}

/// `tahun=…[&semester=…]` of a period.
pub fn query(period: Period) -> String {
    match period {
        Period::Year(y) => format!("tahun={y}"),
        Period::Half(y, h) => format!("tahun={y}&semester={h}"),
    }
}

/// The report of `agency` for `period`, with the list as it stands on `today`.
pub async fn report(
    k: &crate::domain::clocks::KipClocks,
    db: &Db,
    agency: Agency,
    period: Period,
    today: Date,
) -> anyhow::Result<Report> {
    let (from, to) = period.bounds();
    let cal = calendar::load(db).await?;
    let records = store::report::records(db, AgencyId(agency.id), from, to).await?;
    let f = figures(k, &cal, &records);
    let list: Vec<(Category, bool)> = store::lists::of_agency(db, AgencyId(agency.id))
        .await?
        .iter()
        .filter_map(|e| {
            Category::parse(&e.category).map(|c| (c, dip::late(c, e.updated_on, today)))
        })
        .collect();
    let evidence = evidence(&agency, period, &f, &list);
    Ok(Report {
        agency,
        period,
        from,
        to,
        f,
        evidence,
    })
}
