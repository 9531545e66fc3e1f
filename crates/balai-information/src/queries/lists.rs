//! What the public sees of a PPID's Daftar Informasi Publik: every entry with its class, legal
//! basis, documents and last update, the late berkala ones flagged.

use balai_core::accounts::Agency;
use serde::Serialize;
use time::Date;
use utoipa::ToSchema;

use crate::domain::dip::{self, Category, Document};
use crate::queries::request::{AgencyRef, ExemptionView};
use crate::store::lists::EntryRow;

#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = InformationListEntry)]
pub struct EntryView {
    pub id: i64,
    /// `berkala`, `serta_merta`, `setiap_saat` or `dikecualikan`.
    pub category: String,
    pub title: String,
    pub summary: Option<String>,
    pub legal_basis: String,
    /// The art. 17 ground of an exempt entry.
    pub exemption: Option<ExemptionView>,
    pub documents: Vec<Document>,
    /// The day the information was last updated (YYYY-MM-DD).
    pub updated_on: String,
    /// Berkala information not updated for six months (UU 14/2008 art. 9(4)).
    pub late: bool,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = InformationList)]
pub struct ListView {
    pub agency: AgencyRef,
    /// How many berkala entries are late.
    pub late: usize,
    pub entries: Vec<EntryView>,
}

impl EntryView {
    pub fn category(&self) -> Option<Category> {
        Category::parse(&self.category)
    }
}

pub fn entry_view(row: &EntryRow, today: Date) -> EntryView {
    let category = Category::parse(&row.category);
    EntryView {
        id: row.id,
        category: row.category.clone(),
        title: row.title.clone(),
        summary: row.summary.clone(),
        legal_basis: row.legal_basis.clone(),
        exemption: ExemptionView::of(row.exemption.as_deref()),
        documents: row.documents(),
        updated_on: row.updated_on.to_string(),
        late: category.is_some_and(|c| dip::late(c, row.updated_on, today)),
    }
}

pub fn list_view(agency: &Agency, rows: &[EntryRow], today: Date) -> ListView {
    let entries: Vec<EntryView> = rows.iter().map(|r| entry_view(r, today)).collect();
    ListView {
        agency: AgencyRef {
            id: agency.id,
            name: agency.name.clone(),
        },
        late: entries.iter().filter(|e| e.late).count(),
        entries,
    }
}
