//! The public home page and the officials' dashboard shell.

use askama::Template;
use axum::extract::{OriginalUri, State};
use axum::response::Response;
use balai_core::i18n::Lang;
use balai_core::web::actor::{Actor, MaybeActor};
use balai_core::web::csrf::CsrfToken;
use balai_core::web::page::{here, render, Page, WorkCounts};
use balai_core::web::AppCtx;
use balai_core::AppResult;

pub struct Service {
    pub key: &'static str,
    /// Its name and what it does, in Bahasa Indonesia and English.
    pub name: (&'static str, &'static str),
    pub desc: (&'static str, &'static str),
    /// The public entry page, once the feature exists.
    pub public: &'static str,
    /// The officials' work page, once the feature exists.
    pub staff: &'static str,
}

pub const SERVICES: &[Service] = &[
    Service {
        key: "aduan",
        name: ("Aduan", "Complaints"),
        desc: (
            "Laporkan masalah layanan publik lewat web, SMS, atau loket; pantau tindak lanjutnya dengan kode lacak.",
            "Report a public-service problem by web, SMS or at a counter; follow it with a tracking code.",
        ),
        public: "/aduan/baru",
        staff: "/petugas/aduan",
    },
    Service {
        key: "pilkada",
        name: ("Pilkada", "Regional elections"),
        desc: (
            "Jadwal tahapan beserta riwayat perubahannya, pasangan calon, TPS, hasil dan partisipasi.",
            "Stage schedule with its change history, candidate pairs, polling stations, results and turnout.",
        ),
        public: "/elections",
        staff: "/elections",
    },
    Service {
        key: "kolaborasi",
        name: ("Kolaborasi & partisipasi", "Collaboration & participation"),
        desc: (
            "Perjanjian kerja sama, forum, kegiatan sosialisasi dengan notulen dan tindak lanjut, serta target partisipasi pemilih terhadap capaiannya.",
            "Agreements, forums, outreach activities with minutes and follow-ups, and turnout targets against turnout reached.",
        ),
        public: "/kolaborasi",
        staff: "/kolaborasi/petugas",
    },
    Service {
        key: "dpt",
        name: ("Daftar pemilih", "Voter list"),
        desc: (
            "Cek di TPS mana Anda terdaftar dengan NIK dan nama, dan tanggapan masyarakat atas daftar pemilih sementara.",
            "Check at which TPS you are registered with your NIK and name, and the public's responses to the provisional voter list.",
        ),
        public: "/pemilih/cek",
        staff: "/pemilih/petugas",
    },
    Service {
        key: "dukcapil",
        name: ("Dokumen kependudukan", "Population documents"),
        desc: (
            "KK, KTP-el, Pindah/Datang, akta kelahiran dan kematian: daring atau dibantu petugas loket.",
            "Family card, e-ID, moving, birth and death certificates: online or assisted at a counter.",
        ),
        public: "/dukcapil",
        staff: "/dukcapil/staff",
    },
    Service {
        key: "keterbukaan",
        name: ("Keterbukaan informasi", "Public information"),
        desc: (
            "Ajukan permohonan informasi publik dengan tenggat sesuai UU KIP, lacak jawabannya, dan cari arsip jawaban serta Daftar Informasi Publik.",
            "Request public information with the deadlines of the KIP law, follow the answer, and search the archive of answers and the public information lists.",
        ),
        public: "/informasi/arsip",
        staff: "/informasi/ppid",
    },
    Service {
        key: "kinerja",
        name: ("Kinerja layanan", "Service performance"),
        desc: (
            "Survei kepuasan masyarakat (IKM) dengan kode sekali pakai, dan indikator kinerja tiap unit dari catatannya sendiri.",
            "Satisfaction surveys (IKM) with single-use codes, and each unit's service KPIs from its own records.",
        ),
        public: "/kinerja",
        staff: "/kinerja/petugas",
    },
    Service {
        key: "sop",
        name: ("SOP & kesiapan petugas", "SOPs & staff readiness"),
        desc: (
            "SOP provinsi dan adopsinya di kabupaten/kota dengan riwayat versi, serta pelatihan dan kesiapan petugas sebelum tiap tahapan.",
            "Province SOPs and their adoptions by regencies and cities with their version history, and staff training and readiness before each stage.",
        ),
        public: "/sop",
        staff: "/kesiapan",
    },
    Service {
        key: "netralitas",
        name: ("Netralitas ASN", "Civil-service neutrality"),
        desc: (
            "Kasus netralitas ASN dan pengangkatan pejabat yang diperiksa terhadap masa pemilihan.",
            "Neutrality cases and appointments checked against the election window.",
        ),
        public: "/netralitas",
        staff: "/netralitas/petugas",
    },
];

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: Page,
    services: &'static [Service],
}

impl HomePage {
    fn title_of(&self, s: &Service) -> &'static str {
        self.page.lang.tr(s.name.0, s.name.1)
    }
    fn desc_of(&self, s: &Service) -> &'static str {
        self.page.lang.tr(s.desc.0, s.desc.1)
    }
}

pub async fn home(
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
) -> AppResult<Response> {
    let title = lang.tr("Beranda", "Home");
    let page = Page::new(lang, title, actor.as_ref(), &csrf.0, &here(&uri));
    render(&HomePage {
        page,
        services: SERVICES,
    })
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    page: Page,
    agency: String,
    region: String,
    role: &'static str,
    is_admin: bool,
    is_superadmin: bool,
    /// Open work per module: (name, queue link, counts).
    work: Vec<(&'static str, &'static str, WorkCounts)>,
    /// Staff readiness before the next election stages (a regency's KPU).
    readiness: Vec<balai_sop::DashboardLine>,
    services: &'static [Service],
}

impl DashboardPage {
    /// A count with the language's separators.
    fn n(&self, v: impl std::borrow::Borrow<usize>) -> String {
        self.page
            .int(i64::try_from(*v.borrow()).unwrap_or(i64::MAX))
    }

    fn title_of(&self, s: &Service) -> &'static str {
        self.page.lang.tr(s.name.0, s.name.1)
    }
}

pub async fn dashboard(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
) -> AppResult<Response> {
    let page = Page::new(
        lang,
        lang.tr("Dasbor petugas", "Officials' dashboard"),
        Some(&actor),
        &csrf.0,
        uri.path(),
    );
    let (agency, region) = match &actor.agency {
        Some(a) => (a.name.clone(), a.region_code.clone()),
        None => (
            "—".into(),
            if actor.is_superadmin() {
                "Indonesia".into()
            } else {
                "—".into()
            },
        ),
    };
    let mut work = Vec::new();
    if let Some(c) = balai_complaints::work_counts(&ctx, &actor).await? {
        work.push((lang.tr("Aduan", "Complaints"), "/petugas/aduan", c));
    }
    if let Some(c) = balai_civil_registry::work_counts(&ctx, &actor).await? {
        work.push((
            lang.tr("Dokumen kependudukan", "Population documents"),
            "/dukcapil/staff",
            c,
        ));
    }
    if let Some(c) = balai_voters::work_counts(&ctx, &actor).await? {
        work.push((
            lang.tr("Tanggapan daftar pemilih", "Responses to the voter list"),
            "/pemilih/petugas",
            c,
        ));
    }
    let readiness = balai_sop::dashboard_lines(&ctx, &actor, lang).await?;
    render(&DashboardPage {
        work,
        readiness,
        page,
        agency,
        region,
        role: if actor.is_superadmin() {
            "Super-admin"
        } else {
            actor.role.label(lang)
        },
        is_admin: actor.is_admin(),
        is_superadmin: actor.is_superadmin(),
        services: SERVICES,
    })
}
