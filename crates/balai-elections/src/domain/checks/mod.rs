//! The consistency rules of DOMAIN.md §3 for one C.Hasil-KWK form.
//!
//! Rules 1–7 are hard errors: the numbers on the form contradict each other. Rule 8's
//! "more voters than ballots received" is also an error. The rest of 8–10 are warnings:
//! plausible but suspicious, stored with the form, shown and counted, never dropped.
//! Every finding names its rule, the field(s) and says what is wrong in Bahasa Indonesia and
//! English.

use serde::{Deserialize, Serialize};

use super::form::{digit_misread, Col, Form};

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

impl Finding {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
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

fn f(rule: u8, severity: Severity, code: &str, fields: &[&str], id: String, en: String) -> Finding {
    Finding {
        rule,
        severity,
        code: code.to_string(),
        fields: fields.iter().map(|s| s.to_string()).collect(),
        message_id: id,
        message_en: en,
    }
}

fn err(rule: u8, code: &str, fields: &[&str], id: String, en: String) -> Finding {
    f(rule, Severity::Error, code, fields, id, en)
}

fn warn(rule: u8, code: &str, fields: &[&str], id: String, en: String) -> Finding {
    f(rule, Severity::Warning, code, fields, id, en)
}

const SEX_ROWS: [&str; 10] = super::form::ROWS;
const LISTS: [&str; 4] = ["dpt", "dpph", "dptb", "total"];

/// Rules 1–7 and the error half of rule 8.
pub fn hard_checks(form: &Form) -> Vec<Finding> {
    let mut out = Vec::new();
    // 1. L + P = total on every row.
    for r in SEX_ROWS {
        let Some(row) = form.row(r) else { continue };
        let sum = u64::from(row.l) + u64::from(row.p);
        if sum != u64::from(row.total) {
            let (fl, fp, ft) = (format!("{r}.l"), format!("{r}.p"), format!("{r}.total"));
            out.push(err(
                1,
                "row_sum",
                &[&fl, &fp, &ft],
                format!("Aturan 1: pada baris {r}, L ({}) + P ({}) = {sum}, tetapi jumlahnya tertulis {}.", row.l, row.p, row.total),
                format!("Rule 1: on row {r}, L ({}) + P ({}) = {sum}, but the total says {}.", row.l, row.p, row.total),
            ));
        }
    }
    // 2. pemilih_total = dpt + dpph + dptb; likewise pengguna_total.
    // The rows of a side in the order of LISTS, named without formatting a key per form.
    for (side, rows) in [("pemilih", &SEX_ROWS[0..4]), ("pengguna", &SEX_ROWS[4..8])] {
        for c in Col::ALL {
            let get = |i: usize| form.row(rows[i]).map(|r| u64::from(r.get(c))).unwrap_or(0);
            let sum = get(0) + get(1) + get(2);
            if sum != get(3) {
                let k = c.key();
                let names = [
                    format!("{side}_dpt.{k}"),
                    format!("{side}_dpph.{k}"),
                    format!("{side}_dptb.{k}"),
                    format!("{side}_total.{k}"),
                ];
                let refs: Vec<&str> = names.iter().map(String::as_str).collect();
                out.push(err(
                    2,
                    "list_sum",
                    &refs,
                    format!("Aturan 2: {side} DPT + DPPh + DPTb ({k}) = {sum}, tetapi {side}_total.{k} tertulis {}.", get(3)),
                    format!("Rule 2: {side} DPT + DPPh + DPTb ({k}) = {sum}, but {side}_total.{k} says {}.", get(3)),
                ));
            }
        }
    }
    // 3. pengguna ≤ pemilih for each list and each sex; disabled voters who voted ≤ registered.
    // (pemilih_<list>, pengguna_<list>) for each of LISTS, then the disabled voters' rows.
    let pairs = (0..LISTS.len())
        .map(|i| (SEX_ROWS[i], SEX_ROWS[LISTS.len() + i]))
        .chain([(SEX_ROWS[8], SEX_ROWS[9])]);
    for (reg, used) in pairs {
        let (Some(a), Some(b)) = (form.row(reg), form.row(used)) else {
            continue;
        };
        for c in Col::ALL {
            if b.get(c) > a.get(c) {
                let k = c.key();
                let (fu, fr) = (format!("{used}.{k}"), format!("{reg}.{k}"));
                out.push(err(
                    3,
                    "more_voters_than_registered",
                    &[&fu, &fr],
                    format!(
                        "Aturan 3: {fu} ({}) lebih besar daripada {fr} ({}).",
                        b.get(c),
                        a.get(c)
                    ),
                    format!(
                        "Rule 3: {fu} ({}) is larger than {fr} ({}).",
                        b.get(c),
                        a.get(c)
                    ),
                ));
            }
        }
    }
    // 4. surat_diterima = digunakan + dikembalikan + tidak_digunakan.
    let ballots = u64::from(form.surat_digunakan)
        + u64::from(form.surat_dikembalikan)
        + u64::from(form.surat_tidak_digunakan);
    if ballots != u64::from(form.surat_diterima) {
        out.push(err(
            4,
            "ballot_sum",
            &["surat_diterima", "surat_digunakan", "surat_dikembalikan", "surat_tidak_digunakan"],
            format!("Aturan 4: surat suara digunakan + dikembalikan + tidak digunakan = {ballots}, tetapi surat_diterima tertulis {}.", form.surat_diterima),
            format!("Rule 4: ballots used + returned + unused = {ballots}, but surat_diterima says {}.", form.surat_diterima),
        ));
    }
    // 5. surat_digunakan = pengguna_total.
    if form.surat_digunakan != form.pengguna_total.total {
        out.push(err(
            5,
            "ballots_used_vs_voters",
            &["surat_digunakan", "pengguna_total.total"],
            format!(
                "Aturan 5: surat_digunakan ({}) tidak sama dengan jumlah pengguna hak pilih ({}).",
                form.surat_digunakan, form.pengguna_total.total
            ),
            format!(
                "Rule 5: surat_digunakan ({}) differs from the number of voters ({}).",
                form.surat_digunakan, form.pengguna_total.total
            ),
        ));
    }
    // 6. suara_sah + suara_tidak_sah = total = surat_digunakan.
    let ab = u64::from(form.suara_sah) + u64::from(form.suara_tidak_sah);
    if ab != u64::from(form.suara_total) {
        out.push(err(
            6,
            "vote_sum",
            &["suara_sah", "suara_tidak_sah", "suara_total"],
            format!(
                "Aturan 6: suara sah + tidak sah = {ab}, tetapi suara_total tertulis {}.",
                form.suara_total
            ),
            format!(
                "Rule 6: valid + invalid votes = {ab}, but suara_total says {}.",
                form.suara_total
            ),
        ));
    }
    if form.suara_total != form.surat_digunakan {
        out.push(err(
            6,
            "votes_vs_ballots_used",
            &["suara_total", "surat_digunakan"],
            format!(
                "Aturan 6: suara_total ({}) tidak sama dengan surat_digunakan ({}).",
                form.suara_total, form.surat_digunakan
            ),
            format!(
                "Rule 6: suara_total ({}) differs from surat_digunakan ({}).",
                form.suara_total, form.surat_digunakan
            ),
        ));
    }
    // 7. sum of paslon votes = suara_sah.
    let votes = form.votes_sum();
    if votes != u64::from(form.suara_sah) {
        let mut fields: Vec<String> = form.votes.keys().map(|b| format!("votes.{b}")).collect();
        fields.push("suara_sah".into());
        let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
        out.push(err(
            7,
            "paslon_sum",
            &refs,
            format!(
                "Aturan 7: jumlah suara semua paslon = {votes}, tetapi suara_sah tertulis {}.",
                form.suara_sah
            ),
            format!(
                "Rule 7: the paslon votes add up to {votes}, but suara_sah says {}.",
                form.suara_sah
            ),
        ));
    }
    // 8 (error half). More voters than ballots received.
    if form.pengguna_total.total > form.surat_diterima {
        out.push(err(
            8,
            "voters_exceed_ballots",
            &["pengguna_total.total", "surat_diterima"],
            format!("Aturan 8: pengguna hak pilih ({}) lebih banyak daripada surat suara yang diterima ({}).", form.pengguna_total.total, form.surat_diterima),
            format!("Rule 8: more voters ({}) than ballots received ({}).", form.pengguna_total.total, form.surat_diterima),
        ));
    }
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
