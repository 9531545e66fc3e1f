//! SQL for both backends, one module per table. Every write takes the caller's transaction.

pub mod agencies;
pub mod applications;
pub mod documents;
pub mod history;
pub mod offerings;
pub mod services;
pub mod settings;
pub mod stats;

pub use agencies::{counter_for, disdukcapil_agencies, disdukcapil_for};
pub use applications::{
    application, application_tx, by_nik_hash, by_tracking_code, change_state, details_enc,
    insert_application, open_filings, open_in_region, recent_filings, ApplicationRow,
    NewApplication, OpenFiling, StateChange,
};
pub use documents::{document_data, documents, insert_document, DocumentMeta};
pub use history::{history, insert_history, HistoryRow};
pub use services::{list_services, service, update_service, ServiceRow, ServiceUpdate};
pub use stats::{stat_rows, StatRow};
