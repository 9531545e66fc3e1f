//! The page of one report: the reporter's view (with the code and secret, its actions and its
//! photos inline) and the public view of a report that is neither confidential nor hidden.

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::response::Response;
use balai_core::format::Zone;
use balai_core::i18n::Lang;
use balai_core::ids::ComplaintId;
use balai_core::regions::finder;
use balai_core::survey::Receipt;
use balai_core::web::actor::MaybeActor;
use balai_core::web::csrf::CsrfToken;
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use base64::Engine;

use super::form::private;
use crate::domain::{Status, TrackingCode};
use crate::errors::ComplaintError;
use crate::queries::complaint::PublicComplaint;
use crate::queries::complaint::{self as view, find_public};
use crate::store::{self, Complaint};
use crate::web::page::{actor_label, page, system_text, StatusLabel as _};
use crate::web::photos::photo_response;

#[derive(Template)]
#[template(path = "aduan_track.html")]
struct TrackPage {
    page: Page,
    c: PublicComplaint,
    /// The reporter's code and secret (hidden fields of the action forms); empty for the public.
    code: String,
    secret: String,
    /// Just filed: show the code and secret with the note to keep them.
    fresh: bool,
    /// What the last action did, if anything.
    done: String,
    holder: bool,
    can_confirm: bool,
    can_reopen: bool,
    can_reply: bool,
    /// The public page's photo links; the reporter's view has its photos inline instead.
    photo_base: String,
    inline_photos: Vec<String>,
    /// The category's and the village's names (`Mekarsari — Kec. Banjar, …`).
    category_name: String,
    village_name: String,
    /// The reporter's satisfaction-survey code, once a unit handles the report.
    survey: Option<balai_core::survey::ReceiptSurvey>,
}

impl TrackPage {
    /// A timeline moment in the report's region's zone (`5 Desember 2026 14.05 WIB`).
    fn when(&self, t: &time::OffsetDateTime) -> String {
        let region = self.c.village_code.as_deref().unwrap_or("");
        balai_core::format::datetime(*t, Zone::for_region(region), self.page.lang)
    }

    fn actor<'a>(&self, by: &'a str) -> &'a str {
        actor_label(self.page.lang, by)
    }

    fn text<'a>(&self, t: &'a str) -> std::borrow::Cow<'a, str> {
        system_text(self.page.lang, t)
    }
}

/// The names a report's page shows instead of its codes.
async fn names(ctx: &AppCtx, lang: Lang, c: &PublicComplaint) -> AppResult<(String, String)> {
    let village = c.village_code.as_deref();
    let category = store::categories_for(&ctx.db, village)
        .await?
        .into_iter()
        .find(|k| k.code == c.category)
        .map(|k| {
            if lang == Lang::En {
                k.name_en
            } else {
                k.name_id
            }
        })
        .unwrap_or_else(|| c.category.clone());
    let place = village
        .and_then(finder::get)
        .map(|h| h.label())
        .unwrap_or_default();
    Ok((category, place))
}

/// Photos of the reporter's view as `data:` URIs: no URL that opens them without the secret.
async fn inline_photos(ctx: &AppCtx, c: &Complaint, ids: &[i64]) -> AppResult<Vec<String>> {
    let mut out = Vec::with_capacity(ids.len());
    for pid in ids {
        if let Some((ct, bytes)) = store::photo(&ctx.db, c.id, *pid).await? {
            let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
            out.push(format!("data:{ct};base64,{b64}"));
        }
    }
    Ok(out)
}

pub(super) struct Holder<'a> {
    pub(super) code: &'a TrackingCode,
    pub(super) secret: &'a str,
    pub(super) fresh: bool,
    pub(super) done: String,
}

pub(super) async fn holder_page(
    ctx: &AppCtx,
    p: Page,
    c: &Complaint,
    h: Holder<'_>,
) -> AppResult<Response> {
    let v = view::for_reporter(&ctx.db, h.code, c).await?;
    let st = Status::parse(&v.status);
    let inline = inline_photos(ctx, c, &v.photos).await?;
    let (category_name, village_name) = names(ctx, p.lang, &v).await?;
    let res = render(&TrackPage {
        category_name,
        village_name,
        page: p,
        can_confirm: st == Some(Status::Answered),
        can_reopen: matches!(st, Some(Status::Answered | Status::Closed)),
        can_reply: !matches!(
            st,
            Some(Status::Rejected | Status::Duplicate | Status::Closed)
        ),
        code: h.code.display(),
        secret: h.secret.to_string(),
        photo_base: String::new(),
        inline_photos: inline,
        c: v,
        fresh: h.fresh,
        done: h.done,
        holder: true,
        survey: match c.agency_id {
            Some(a) => {
                let receipt = Receipt::new("complaint", c.id.get(), a, "Pengaduan");
                balai_core::survey::receipt_code(ctx, receipt).await
            }
            None => None,
        },
    })?;
    Ok(private(res))
}

async fn public_page(ctx: &AppCtx, p: Page, c: &Complaint) -> AppResult<Response> {
    let v = view::public(&ctx.db, c).await?;
    let (category_name, village_name) = names(ctx, p.lang, &v).await?;
    let res = render(&TrackPage {
        category_name,
        village_name,
        page: p,
        code: String::new(),
        secret: String::new(),
        fresh: false,
        done: String::new(),
        holder: false,
        can_confirm: false,
        can_reopen: false,
        can_reply: false,
        photo_base: format!("/aduan/lihat/{}/foto", c.id),
        inline_photos: Vec::new(),
        c: v,
        survey: None,
    })?;
    Ok(private(res))
}

/// A public page of a report that is neither confidential nor hidden (no tracking code, no
/// actions): what the "similar open reports" list links to.
pub async fn public_view(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<ComplaintId>,
) -> AppResult<Response> {
    let c = find_public(&ctx.db, id).await?;
    let title = lang.tr("Laporan warga", "Citizen report");
    public_page(&ctx, page(lang, title, actor.as_ref(), &csrf, &uri), &c).await
}

pub async fn public_photo(
    State(ctx): State<AppCtx>,
    Path((id, pid)): Path<(ComplaintId, i64)>,
) -> AppResult<Response> {
    let c = find_public(&ctx.db, id).await?;
    let (ct, bytes) = store::photo(&ctx.db, c.id, pid)
        .await?
        .ok_or(ComplaintError::NotFound)?;
    Ok(photo_response(ct, bytes))
}
