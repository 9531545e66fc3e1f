//! The hard rules 1–7 and the error half of rule 8, one function each, and the helpers that
//! build a finding.

use super::{Finding, Severity};
use crate::domain::form::{Col, Form, ROWS};

pub(super) fn f(
    rule: u8,
    severity: Severity,
    code: &str,
    fields: &[&str],
    id: String,
    en: String,
) -> Finding {
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

pub(super) fn warn(rule: u8, code: &str, fields: &[&str], id: String, en: String) -> Finding {
    f(rule, Severity::Warning, code, fields, id, en)
}

const SEX_ROWS: [&str; 10] = ROWS;
const LISTS: [&str; 4] = ["dpt", "dpph", "dptb", "total"];

/// Rule 1. L + P = total on every row.
pub(super) fn row_sums(form: &Form, out: &mut Vec<Finding>) {
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
}

/// Rule 2. pemilih_total = dpt + dpph + dptb; likewise pengguna_total.
pub(super) fn list_sums(form: &Form, out: &mut Vec<Finding>) {
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
}

/// Rule 3. pengguna ≤ pemilih for each list and each sex; disabled voters who voted ≤ registered.
pub(super) fn voters_within_registered(form: &Form, out: &mut Vec<Finding>) {
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
}

/// Rule 4. surat_diterima = digunakan + dikembalikan + tidak_digunakan.
pub(super) fn ballot_sum(form: &Form, out: &mut Vec<Finding>) {
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
}

/// Rule 5. surat_digunakan = pengguna_total.
pub(super) fn ballots_used_are_voters(form: &Form, out: &mut Vec<Finding>) {
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
}

/// Rule 6. suara_sah + suara_tidak_sah = total = surat_digunakan.
pub(super) fn vote_sums(form: &Form, out: &mut Vec<Finding>) {
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
}

/// Rule 7. sum of paslon votes = suara_sah.
pub(super) fn paslon_sum(form: &Form, out: &mut Vec<Finding>) {
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
}

/// Rule 8 (error half). More voters than ballots received.
pub(super) fn voters_within_ballots(form: &Form, out: &mut Vec<Finding>) {
    if form.pengguna_total.total > form.surat_diterima {
        out.push(err(
            8,
            "voters_exceed_ballots",
            &["pengguna_total.total", "surat_diterima"],
            format!("Aturan 8: pengguna hak pilih ({}) lebih banyak daripada surat suara yang diterima ({}).", form.pengguna_total.total, form.surat_diterima),
            format!("Rule 8: more voters ({}) than ballots received ({}).", form.pengguna_total.total, form.surat_diterima),
        ));
    }
}

/// Hard bounds (rule 9's ceiling): a DPT above the legal maximum of voters per TPS, or any
/// number above ten times it, is no TPS's form (a misread or made-up figure that would
/// otherwise swamp the published totals).
pub(super) fn within_bounds(form: &Form, out: &mut Vec<Finding>) {
    use crate::domain::election::{LEGAL_MAX_DPT_PER_TPS as MAX, MAX_FORM_COUNT as CEIL};
    let dpt = form.pemilih_dpt.total;
    if dpt > MAX {
        out.push(err(
            9,
            "dpt_above_legal_maximum",
            &["pemilih_dpt.total"],
            format!("DPT {dpt} melebihi batas hukum {MAX} pemilih per TPS."),
            format!("A DPT of {dpt} exceeds the legal maximum of {MAX} voters per TPS."),
        ));
    }
    let mut numbers: Vec<(String, u32)> = Vec::new();
    for r in ROWS {
        if let Some(row) = form.row(r) {
            for (col, v) in [("l", row.l), ("p", row.p), ("total", row.total)] {
                numbers.push((format!("{r}.{col}"), v));
            }
        }
    }
    for (name, v) in [
        ("surat_diterima", form.surat_diterima),
        ("surat_dikembalikan", form.surat_dikembalikan),
        ("surat_tidak_digunakan", form.surat_tidak_digunakan),
        ("surat_digunakan", form.surat_digunakan),
        ("suara_sah", form.suara_sah),
        ("suara_tidak_sah", form.suara_tidak_sah),
        ("suara_total", form.suara_total),
    ] {
        numbers.push((name.to_string(), v));
    }
    for (b, v) in &form.votes {
        numbers.push((format!("votes.{b}"), *v));
    }
    let over: Vec<&str> = numbers
        .iter()
        .filter(|(_, v)| *v > CEIL)
        .map(|(n, _)| n.as_str())
        .collect();
    if !over.is_empty() {
        out.push(err(
            9,
            "count_above_ceiling",
            &over,
            format!(
                "Angka di atas {CEIL} (10 × batas {MAX} pemilih per TPS) tidak mungkin: {}.",
                over.join(", ")
            ),
            format!(
                "Numbers above {CEIL} (10 × the maximum of {MAX} voters per TPS) are impossible: {}.",
                over.join(", ")
            ),
        ));
    }
}
