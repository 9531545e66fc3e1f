//! The TPS master of an election (its polling stations and each one's DPT L/P), written by a
//! feature that is not the elections feature: the voter list sets every TPS's DPT from the
//! real list, so the result forms' check of DPT against the master (DOMAIN §3 rule 9) uses it.
//! The elections feature implements [`TpsMaster`]; the binary keeps it in the application
//! state's extensions ([`TpsMasters`]). No feature rules here: only the shape of the call.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::db::Tx;

/// One TPS's registered voters as a voter list counts them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TpsDpt {
    pub village_code: String,
    pub number: u32,
    /// Used when the TPS is created; an existing TPS keeps its address.
    pub address: String,
    pub dpt_l: u32,
    pub dpt_p: u32,
}

/// What [`TpsMaster::set_dpt`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TpsDptSet {
    /// TPS created because the list named them.
    pub created: usize,
    /// TPS whose DPT L/P changed.
    pub updated: usize,
}

/// What [`TpsMaster::set_dpt`] returns.
pub type TpsFuture<'a> = Pin<Box<dyn Future<Output = Result<TpsDptSet, sqlx::Error>> + Send + 'a>>;

/// Set the DPT L/P of each named TPS of election `election_id` (creating a missing one), in
/// the caller's transaction, keeping the elections feature's own totals in step.
pub trait TpsMaster: Send + Sync {
    fn set_dpt<'a>(&'a self, tx: &'a mut Tx, election_id: i64, tps: &'a [TpsDpt]) -> TpsFuture<'a>;
}

/// The implementation the binary registers.
#[derive(Clone)]
pub struct TpsMasters(pub Arc<dyn TpsMaster>);
