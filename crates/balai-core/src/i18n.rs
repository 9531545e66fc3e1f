//! Bahasa Indonesia first, English available.
//!
//! The catalogue is a static table so a missing translation is a compile-visible edit in one
//! file; a unit test checks that every key has both languages.

use axum::http::request::Parts;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize)]
pub enum Lang {
    #[default]
    Id,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "id" => Some(Lang::Id),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// `?lang=` wins, then the `lang` cookie, then Bahasa Indonesia.
    pub fn from_parts(parts: &Parts) -> Lang {
        Lang::from_query_and_cookies(
            parts.uri.query(),
            parts.headers.get_all(axum::http::header::COOKIE),
        )
    }

    /// A language named by `?lang=` in a query string.
    pub fn from_query(query: Option<&str>) -> Option<Lang> {
        // Most queries name no language: parse only those that might.
        let q = query.filter(|q| q.contains("lang"))?;
        serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .unwrap_or_default()
            .into_iter()
            .filter(|(k, _)| k == "lang")
            .find_map(|(_, v)| Lang::parse(&v))
    }

    /// `?lang=` first, then the `lang` cookie, else Indonesian.
    pub fn from_query_and_cookies<'a>(
        query: Option<&str>,
        cookies: impl IntoIterator<Item = &'a axum::http::HeaderValue>,
    ) -> Lang {
        if let Some(l) = Lang::from_query(query) {
            return l;
        }
        for value in cookies {
            let Ok(s) = value.to_str() else { continue };
            for pair in s.split(';') {
                if let Some(v) = pair.trim().strip_prefix("lang=") {
                    if let Some(l) = Lang::parse(v) {
                        return l;
                    }
                }
            }
        }
        Lang::Id
    }

    /// Translate a catalogue key; an unknown key shows itself so it is noticed, never panics.
    pub fn t(self, key: &str) -> &'static str {
        match CATALOGUE.iter().find(|(k, _, _)| *k == key) {
            Some((_, id, en)) => match self {
                Lang::Id => id,
                Lang::En => en,
            },
            None => "??",
        }
    }

    /// The Indonesian or the English text, in this language: the one bilingual helper
    /// (`{{ page.tr("Kirim", "Send") }}` in templates, `lang.tr(…)` in code).
    pub fn tr<'a>(self, id: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            _ => id,
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Id => Lang::En,
            Lang::En => Lang::Id,
        }
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Lang::from_parts(parts))
    }
}

/// (key, Bahasa Indonesia, English)
pub static CATALOGUE: &[(&str, &str, &str)] = &[
    ("app.tagline", "Layanan publik Pilkada dan pemerintahan daerah yang terbuka dan tercatat", "Open, accountable public services for regional elections and local government"),
    ("nav.home", "Beranda", "Home"),
    ("nav.login", "Masuk", "Sign in"),
    ("nav.logout", "Keluar", "Sign out"),
    ("nav.dashboard", "Dasbor", "Dashboard"),
    ("nav.regions", "Wilayah", "Regions"),
    ("nav.api", "API", "API"),
    ("nav.audit", "Log audit", "Audit log"),
    ("nav.users", "Pengguna", "Users"),
    ("nav.agencies", "Instansi", "Agencies"),
    ("nav.calendar", "Kalender kerja", "Working calendar"),
    ("nav.password", "Ganti kata sandi", "Change password"),
    ("nav.skip", "Lewati ke isi", "Skip to content"),
    ("lang.switch", "English", "Bahasa Indonesia"),
    ("home.services", "Layanan", "Services"),
    ("svc.aduan", "Aduan", "Complaints"),
    ("svc.aduan.desc", "Laporkan masalah layanan publik lewat web, SMS, atau loket; pantau tindak lanjutnya dengan kode lacak.", "Report a public-service problem by web, SMS or at a counter; follow it with a tracking code."),
    ("svc.pilkada", "Pilkada", "Regional elections"),
    ("svc.pilkada.desc", "Jadwal tahapan beserta riwayat perubahannya, pasangan calon, TPS, hasil dan partisipasi.", "Stage schedule with its change history, candidate pairs, polling stations, results and turnout."),
    ("svc.pemilih", "Pemilih & partisipasi", "Voters & participation"),
    ("svc.pemilih.desc", "Cek pendaftaran pemilih tanpa membuka NIK, dan catatan kerja sama sosialisasi antarlembaga.", "Check voter registration without exposing NIK, and the record of inter-agency outreach."),
    ("svc.dukcapil", "Dokumen kependudukan", "Population documents"),
    ("svc.dukcapil.desc", "KK, KTP-el, Pindah/Datang, akta kelahiran dan kematian: daring atau dibantu petugas loket.", "Family card, e-ID, moving, birth and death certificates: online or assisted at a counter."),
    ("svc.keterbukaan", "Keterbukaan & kinerja", "Openness & performance"),
    ("svc.keterbukaan.desc", "Permohonan informasi publik dengan tenggat sesuai UU KIP, survei kepuasan (IKM), dan kinerja layanan.", "Public-information requests with statutory deadlines, satisfaction surveys (IKM) and service KPIs."),
    ("svc.netralitas", "Netralitas ASN", "Civil-service neutrality"),
    ("svc.netralitas.desc", "Kasus netralitas ASN dan pengangkatan pejabat yang diperiksa terhadap masa pemilihan.", "Neutrality cases and appointments checked against the election window."),
    ("home.track", "Lacak aduan dengan kode", "Track a report by its code"),
    ("home.regions", "Cari wilayah", "Find a region"),
    ("login.title", "Masuk petugas", "Officials' sign-in"),
    ("login.username", "Nama pengguna", "Username"),
    ("login.password", "Kata sandi", "Password"),
    ("login.submit", "Masuk", "Sign in"),
    ("login.failed", "Nama pengguna atau kata sandi salah.", "Wrong username or password."),
    ("login.throttled", "Terlalu banyak percobaan gagal. Coba lagi dalam 15 menit.", "Too many failed attempts. Try again in 15 minutes."),
    ("password.title", "Ganti kata sandi", "Change password"),
    ("password.current", "Kata sandi sekarang", "Current password"),
    ("password.new", "Kata sandi baru (minimal 10 karakter)", "New password (at least 10 characters)"),
    ("password.confirm", "Ulangi kata sandi baru", "Repeat the new password"),
    ("password.submit", "Simpan", "Save"),
    ("password.changed", "Kata sandi telah diganti.", "Your password has been changed."),
    ("password.wrong", "Kata sandi sekarang salah.", "The current password is wrong."),
    ("password.mismatch", "Kedua kata sandi baru tidak sama.", "The two new passwords differ."),
    ("password.short", "Kata sandi baru minimal 10 karakter.", "The new password needs at least 10 characters."),
    ("dash.title", "Dasbor petugas", "Officials' dashboard"),
    ("dash.welcome", "Selamat datang", "Welcome"),
    ("dash.agency", "Instansi", "Agency"),
    ("dash.role", "Peran", "Role"),
    ("dash.region", "Wilayah layanan", "Service region"),
    ("dash.modules", "Modul", "Modules"),
    ("dash.soon", "segera hadir", "coming soon"),
    ("region.title", "Wilayah", "Region"),
    ("region.level", "Tingkat", "Level"),
    ("region.parent", "Induk", "Parent"),
    ("region.children", "Wilayah di bawahnya", "Regions below"),
    ("region.tz", "Zona waktu", "Time zone"),
    ("region.search", "Cari nama wilayah", "Search region name"),
    ("region.search.submit", "Cari", "Search"),
    ("region.search.none", "Tidak ada wilayah yang cocok.", "No matching region."),
    ("level.1", "Provinsi", "Province"),
    ("level.2", "Kabupaten/Kota", "Regency/City"),
    ("level.3", "Kecamatan", "District"),
    ("level.4", "Desa/Kelurahan", "Village"),
    ("audit.title", "Log audit", "Audit log"),
    ("audit.time", "Waktu", "Time"),
    ("audit.actor", "Pelaku", "Actor"),
    ("audit.action", "Tindakan", "Action"),
    ("audit.target", "Sasaran", "Target"),
    ("audit.summary", "Ringkasan", "Summary"),
    ("audit.older", "Lebih lama", "Older"),
    ("users.title", "Pengguna", "Users"),
    ("agencies.title", "Instansi", "Agencies"),
    ("calendar.title", "Kalender hari kerja", "Working-day calendar"),
    ("calendar.date", "Tanggal", "Date"),
    ("calendar.kind", "Jenis", "Kind"),
    ("calendar.name", "Nama", "Name"),
    ("calendar.confirmed", "Terkonfirmasi", "Confirmed"),
    ("calendar.unconfirmed", "perkiraan, periksa SKB", "estimate, check the SKB"),
    ("calendar.source", "Dasar", "Source"),
    ("calendar.add", "Tambah atau ubah hari libur", "Add or change a holiday"),
    ("calendar.remove", "Hapus", "Remove"),
    ("calendar.save", "Simpan", "Save"),
    ("calendar.note", "Perubahan kalender langsung menghitung ulang semua tenggat yang masih berjalan.", "Changing the calendar recomputes every running deadline at once."),
    ("common.yes", "ya", "yes"),
    ("common.no", "tidak", "no"),
    ("common.name", "Nama", "Name"),
    ("common.kind", "Jenis", "Kind"),
    ("common.region", "Wilayah", "Region"),
    ("common.status", "Status", "Status"),
    ("common.active", "aktif", "active"),
    ("common.disabled", "nonaktif", "disabled"),
    ("error.title", "Terjadi masalah", "Something went wrong"),
    ("error.request_id", "Kode permintaan", "Request id"),
    ("error.back", "Kembali ke beranda", "Back to the home page"),
    ("api.title", "Dokumentasi API", "API documentation"),
    ("api.intro", "API JSON Balai di /api/v1. Dokumen OpenAPI 3.1 lengkap:", "Balai's JSON API lives under /api/v1. The full OpenAPI 3.1 document:"),
    ("footer.data", "Data wilayah: idn-area-data 4.0.1 (ODbL 1.0).", "Region data: idn-area-data 4.0.1 (ODbL 1.0)."),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_unique_and_translated() {
        let mut seen = std::collections::HashSet::new();
        for (k, id, en) in CATALOGUE {
            assert!(seen.insert(*k), "duplicate key {k}");
            assert!(
                !id.is_empty() && !en.is_empty(),
                "empty translation for {k}"
            );
        }
        assert_eq!(Lang::En.t("nav.login"), "Sign in");
        assert_eq!(Lang::Id.t("nav.login"), "Masuk");
        assert_eq!(Lang::Id.t("no.such.key"), "??");
    }
}
