//! The public home page and the officials' dashboard shell.

use askama::Template;
use axum::extract::OriginalUri;
use axum::response::Response;
use balai_core::i18n::Lang;
use balai_core::web::actor::{Actor, MaybeActor};
use balai_core::web::csrf::CsrfToken;
use balai_core::web::page::{render, Page};
use balai_core::AppResult;

pub struct Service {
    pub key: &'static str,
    /// The public entry page, once the feature exists.
    pub public: &'static str,
    /// The officials' work page, once the feature exists.
    pub staff: &'static str,
}

pub const SERVICES: &[Service] = &[
    Service {
        key: "aduan",
        public: "/aduan/baru",
        staff: "/petugas/aduan",
    },
    Service {
        key: "pilkada",
        public: "/elections",
        staff: "/elections",
    },
    Service {
        key: "pemilih",
        public: "",
        staff: "",
    },
    Service {
        key: "dukcapil",
        public: "/dukcapil",
        staff: "/dukcapil/staff",
    },
    Service {
        key: "keterbukaan",
        public: "",
        staff: "",
    },
    Service {
        key: "netralitas",
        public: "",
        staff: "",
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
        self.page.t(&format!("svc.{}", s.key))
    }
    fn desc_of(&self, s: &Service) -> &'static str {
        self.page.t(&format!("svc.{}.desc", s.key))
    }
}

pub async fn home(
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
) -> AppResult<Response> {
    let page = Page::new(lang, "Balai", actor.as_ref(), &csrf.0, uri.path());
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
    services: &'static [Service],
}

impl DashboardPage {
    fn title_of(&self, s: &Service) -> &'static str {
        self.page.t(&format!("svc.{}", s.key))
    }
}

pub async fn dashboard(
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
) -> AppResult<Response> {
    let page = Page::new(
        lang,
        lang.t("dash.title"),
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
    render(&DashboardPage {
        page,
        agency,
        region,
        role: if actor.is_superadmin() {
            "Super-admin"
        } else {
            actor.role.label_id()
        },
        is_admin: actor.is_admin(),
        is_superadmin: actor.is_superadmin(),
        services: SERVICES,
    })
}
