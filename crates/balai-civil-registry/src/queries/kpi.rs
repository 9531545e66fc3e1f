//! The population-document unit's KPIs for Kinerja, through [`balai_core::kpi`]: documents
//! completed within the service standard, and the documents completed in the period by family
//! (KK, KTP-el, Pindah/Datang, Akta Kelahiran, Akta Kematian) with each family's share, as city
//! Disdukcapil reports do (DOMAIN.md §8). Days are the unit's local days.

use balai_core::accounts::{Agency, AgencyKind};
use balai_core::format::Zone;
use balai_core::kpi::{
    count_in_local_days, local_days, Better, KpiFigure, KpiFuture, KpiSource, KpiValue,
    ServedFuture,
};
use balai_core::{with_db, Db};
use time::{Date, OffsetDateTime};

/// The KPI source of Dokumen kependudukan.
pub struct CivilRegistryKpis;

/// The document families of the monthly report, in its order: (key, Indonesian, English).
pub const FAMILIES: [(&str, &str, &str); 5] = [
    ("kk", "Kartu Keluarga (KK)", "Family card (KK)"),
    ("ktp", "KTP-el", "KTP-el"),
    ("pindah_datang", "Pindah/Datang", "Moving out/in"),
    ("akta_kelahiran", "Akta Kelahiran", "Birth certificates"),
    ("akta_kematian", "Akta Kematian", "Death certificates"),
];

/// The family of a service code (`kk_baru` → `kk`); `None` for a service outside the five.
pub fn family(service: &str) -> Option<&'static str> {
    let key = match service {
        s if s.starts_with("kk_") || s == "kk" => "kk",
        s if s.starts_with("ktp_") || s == "ktp" => "ktp",
        "pindah" | "datang" => "pindah_datang",
        s if s.starts_with("akta_kelahiran") => "akta_kelahiran",
        s if s.starts_with("akta_kematian") => "akta_kematian",
        _ => return None,
    };
    Some(key)
}

type Row = (String, OffsetDateTime, Date);

async fn figures(
    db: &Db,
    unit: &Agency,
    from: Date,
    to: Date,
) -> Result<Vec<KpiFigure>, sqlx::Error> {
    if !unit.is(AgencyKind::Disdukcapil) {
        return Ok(Vec::new());
    }
    let zone = Zone::for_region(&unit.region_code);
    let (since, until) = local_days(&unit.region_code, from, to);
    let rows: Vec<Row> = with_db!(db, |c| sqlx::query_as::<_, Row>(
        "SELECT service_code, completed_at, due_day FROM cr_applications
         WHERE disdukcapil_agency_id = $1 AND status = 'completed'
           AND completed_at >= $2 AND completed_at < $3"
    )
    .bind(unit.id)
    .bind(since)
    .bind(until)
    .fetch_all(c)
    .await)?;
    let whole = i64::try_from(rows.len()).unwrap_or(i64::MAX);
    let within = rows
        .iter()
        .filter(|(_, done, due)| done.to_offset(zone.offset()).date() <= *due)
        .count();
    let mut out = vec![KpiFigure {
        key: "civil_registry.completed_within_standard".into(),
        label_id: "Dokumen selesai dalam standar pelayanan".into(),
        label_en: "Documents completed within the service standard".into(),
        value: KpiValue::Share {
            part: i64::try_from(within).unwrap_or(i64::MAX),
            whole,
        },
        better: Better::Higher,
    }];
    for (key, id, en) in FAMILIES {
        let part = rows
            .iter()
            .filter(|(s, _, _)| family(s) == Some(key))
            .count();
        out.push(KpiFigure {
            key: format!("civil_registry.family.{key}"),
            label_id: id.into(),
            label_en: en.into(),
            value: KpiValue::Share {
                part: i64::try_from(part).unwrap_or(i64::MAX),
                whole,
            },
            better: Better::Neither,
        });
    }
    Ok(out)
}

/// The applications the unit received in the period (online, at a counter or assisted).
async fn served(db: &Db, unit: &Agency, from: Date, to: Date) -> Result<Option<i64>, sqlx::Error> {
    if !unit.is(AgencyKind::Disdukcapil) {
        return Ok(None);
    }
    count_in_local_days(
        db,
        "SELECT COUNT(*) FROM cr_applications
         WHERE disdukcapil_agency_id = $1 AND submitted_at >= $2 AND submitted_at < $3",
        unit,
        from,
        to,
    )
    .await
}

impl KpiSource for CivilRegistryKpis {
    fn figures<'a>(&'a self, db: &'a Db, unit: &'a Agency, from: Date, to: Date) -> KpiFuture<'a> {
        Box::pin(figures(db, unit, from, to))
    }

    fn served<'a>(
        &'a self,
        db: &'a Db,
        unit: &'a Agency,
        from: Date,
        to: Date,
    ) -> ServedFuture<'a> {
        Box::pin(served(db, unit, from, to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_service_of_the_catalogue_has_its_family() {
        for (s, f) in [
            ("kk_baru", "kk"),
            ("kk_perubahan", "kk"),
            ("kk_penggantian", "kk"),
            ("ktp_baru", "ktp"),
            ("ktp_penggantian", "ktp"),
            ("pindah", "pindah_datang"),
            ("datang", "pindah_datang"),
            ("akta_kelahiran", "akta_kelahiran"),
            ("akta_kematian", "akta_kematian"),
        ] {
            assert_eq!(family(s), Some(f), "{s}");
        }
        assert_eq!(family("lainnya"), None);
    }
}
