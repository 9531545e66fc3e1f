//! The consistency rules of DOMAIN.md §3 for one C.Hasil-KWK form.
//!
//! Rules 1–7 are hard errors: the numbers on the form contradict each other. Rule 8's
//! "more voters than ballots received" is also an error. The rest of 8–10 are warnings:
//! plausible but suspicious, stored with the form, shown and counted, never dropped.
//! Every finding names its rule, the field(s) and says what is wrong in Bahasa Indonesia and
//! English.

use serde::{Deserialize, Serialize};

use super::form::{digit_misread, Form};
use rules::warn;

mod rules;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Finding {
    /// The rule number of DOMAIN.md §3 (1–10).
    pub rule: u8,
    pub severity: Severity,
    /// Stable machine-readable code, e.g. `row_sum`, `digit_misread`.
    pub code: String,
    pub fields: Vec<String>,
    pub message_id: String,
    pub message_en: String,
}

/// Errors no paper form can justify (`confirm_paper` does not store them): the hard bounds.
pub const ABSOLUTE: [&str; 2] = ["dpt_above_legal_maximum", "count_above_ceiling"];

impl Finding {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// An error that a confirmed paper form does not override (see [`ABSOLUTE`]).
    pub fn is_absolute(&self) -> bool {
        self.is_error() && ABSOLUTE.contains(&self.code.as_str())
    }
}

/// Numbers a regulation sets; defaults are the 2024 rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckConfig {
    /// Ballot reserve as a share of the DPT, in per mille (25 = 2.5%).
    pub reserve_per_mille: u32,
    /// Most voters a TPS may have on its DPT.
    pub max_dpt_per_tps: u32,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            reserve_per_mille: 25,
            max_dpt_per_tps: 600,
        }
    }
}

/// The check settings' keys in `settings`.
pub const CONFIG_KEYS: [&str; 2] = ["elections.reserve_per_mille", "elections.max_dpt_per_tps"];

/// The check settings (reserve, voters per TPS) from their `settings` rows, defaults for the
/// missing or unreadable.
pub fn config_from(rows: &[(String, String)]) -> CheckConfig {
    let d = CheckConfig::default();
    let get = |key: &str, default: u32| {
        rows.iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.trim().parse().ok())
            .unwrap_or(default)
    };
    CheckConfig {
        reserve_per_mille: get(CONFIG_KEYS[0], d.reserve_per_mille),
        max_dpt_per_tps: get(CONFIG_KEYS[1], d.max_dpt_per_tps),
    }
}

/// What the warnings compare a form with.
#[derive(Clone, Debug, Default)]
pub struct Context<'a> {
    pub config: CheckConfig,
    /// The TPS master DPT (L, P), if known.
    pub master_dpt: Option<(u32, u32)>,
    /// Other entries of the same TPS (earlier versions, the other operator's entry).
    pub previous: &'a [Form],
}

/// Rules 1–7, the error half of rule 8 and the hard bounds of rule 9.
pub fn hard_checks(form: &Form) -> Vec<Finding> {
    let mut out = Vec::new();
    rules::row_sums(form, &mut out);
    rules::list_sums(form, &mut out);
    rules::voters_within_registered(form, &mut out);
    rules::ballot_sum(form, &mut out);
    rules::ballots_used_are_voters(form, &mut out);
    rules::vote_sums(form, &mut out);
    rules::paslon_sum(form, &mut out);
    rules::voters_within_ballots(form, &mut out);
    rules::within_bounds(form, &mut out);
    out
}

/// The ballots a TPS should receive for `dpt` voters: DPT plus the reserve, rounded down and
/// up (both are accepted, since the rounding is not fixed by the rule).
pub fn expected_ballots(dpt: u32, cfg: &CheckConfig) -> (u64, u64) {
    let scaled = u64::from(dpt) * u64::from(cfg.reserve_per_mille);
    let down = scaled / 1000;
    let up = scaled.div_ceil(1000);
    (u64::from(dpt) + down, u64::from(dpt) + up)
}

/// Warnings 8–10.
pub fn warnings(form: &Form, ctx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let dpt = form.pemilih_dpt.total;
    let voters = form.pengguna_total.total;
    // 8. Ballots received vs DPT + reserve.
    let (lo, hi) = expected_ballots(dpt, &ctx.config);
    let got = u64::from(form.surat_diterima);
    if got != lo && got != hi {
        let pct = format!(
            "{}.{}",
            ctx.config.reserve_per_mille / 10,
            ctx.config.reserve_per_mille % 10
        );
        out.push(warn(
            8,
            "ballots_vs_reserve",
            &["surat_diterima", "pemilih_dpt.total"],
            format!(
                "Peringatan 8: surat_diterima ({got}) berbeda dari DPT + cadangan {pct}% ({hi})."
            ),
            format!("Warning 8: surat_diterima ({got}) differs from DPT + {pct}% reserve ({hi})."),
        ));
    }
    // 9. Master DPT, the per-TPS maximum, turnout above 100%.
    if let Some((l, p)) = ctx.master_dpt {
        if form.pemilih_dpt.l != l || form.pemilih_dpt.p != p {
            let total = u64::from(l) + u64::from(p);
            out.push(warn(
                9,
                "dpt_differs_from_master",
                &["pemilih_dpt.l", "pemilih_dpt.p", "pemilih_dpt.total"],
                format!("Peringatan 9: DPT pada formulir ({}/{}/{}) berbeda dari DPT induk TPS ({l}/{p}/{total}).", form.pemilih_dpt.l, form.pemilih_dpt.p, dpt),
                format!("Warning 9: the DPT on the form ({}/{}/{}) differs from the TPS master DPT ({l}/{p}/{total}).", form.pemilih_dpt.l, form.pemilih_dpt.p, dpt),
            ));
        }
    }
    if dpt > ctx.config.max_dpt_per_tps {
        let max = ctx.config.max_dpt_per_tps;
        out.push(warn(
            9,
            "dpt_above_maximum",
            &["pemilih_dpt.total"],
            format!("Peringatan 9: DPT {dpt} melebihi batas {max} pemilih per TPS."),
            format!("Warning 9: a DPT of {dpt} exceeds the maximum of {max} voters per TPS."),
        ));
    }
    if voters > dpt {
        out.push(warn(
            9,
            "turnout_above_100",
            &["pengguna_total.total", "pemilih_dpt.total"],
            format!("Peringatan 9: partisipasi lebih dari 100% (pengguna {voters}, DPT {dpt})."),
            format!("Warning 9: turnout above 100% ({voters} voters, DPT {dpt})."),
        ));
    }
    // 10. One paslon takes every vote; turnout exactly 100%; digit misreads between entries.
    if form.votes.len() >= 2 && form.suara_sah > 0 {
        if let Some((b, _)) = form.votes.iter().find(|(_, v)| **v == form.suara_sah) {
            let field = format!("votes.{b}");
            out.push(warn(
                10,
                "single_paslon_takes_all",
                &[&field, "suara_sah"],
                format!(
                    "Peringatan 10: paslon nomor {b} memperoleh seluruh suara sah ({})",
                    form.suara_sah
                ),
                format!(
                    "Warning 10: paslon number {b} received every valid vote ({})",
                    form.suara_sah
                ),
            ));
        }
    }
    if dpt > 0 && voters == dpt {
        out.push(warn(
            10,
            "turnout_exactly_100",
            &["pengguna_total.total", "pemilih_dpt.total"],
            format!("Peringatan 10: partisipasi tepat 100% ({voters} dari {dpt})."),
            format!("Warning 10: turnout of exactly 100% ({voters} of {dpt})."),
        ));
    }
    if ctx.previous.is_empty() {
        return out;
    }
    let mine = form.flat();
    let mut seen: Vec<String> = Vec::new();
    for prev in ctx.previous {
        let theirs = prev.flat();
        for ((k, a), (k2, b)) in mine.iter().zip(theirs.iter()) {
            if k == k2 && digit_misread(*a, *b) && !seen.contains(k) {
                seen.push(k.clone());
                out.push(warn(
                    10,
                    "digit_misread",
                    &[k],
                    format!("Peringatan 10: {k} bernilai {a}, sedangkan entri lain mencatat {b} — beda satu angka, periksa kemungkinan salah baca."),
                    format!("Warning 10: {k} is {a} while another entry has {b} — one digit differs, check for a misreading."),
                ));
            }
        }
    }
    out
}

/// Every finding: the hard errors first, then the warnings.
pub fn check(form: &Form, ctx: &Context<'_>) -> Vec<Finding> {
    let mut out = hard_checks(form);
    out.extend(warnings(form, ctx));
    out
}

#[cfg(test)]
pub(crate) mod tests;
