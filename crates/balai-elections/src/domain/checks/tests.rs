#![allow(clippy::unwrap_used)]

use super::*;
use crate::domain::form::tests::good_form;
use crate::domain::form::Row;

fn ctx() -> Context<'static> {
    Context {
        config: CheckConfig::default(),
        master_dpt: Some((100, 100)),
        previous: &[],
    }
}

fn rules(form: &Form) -> Vec<(u8, String)> {
    check(form, &ctx())
        .into_iter()
        .map(|f| (f.rule, f.code))
        .collect()
}

fn has(form: &Form, rule: u8, code: &str) -> bool {
    rules(form).iter().any(|(r, c)| *r == rule && c == code)
}

#[test]
fn good_form_passes_everything() {
    assert_eq!(check(&good_form(), &ctx()), vec![]);
}

#[test]
fn rule1_row_sum() {
    assert!(!has(&good_form(), 1, "row_sum"));
    let mut f = good_form();
    f.disabilitas_pemilih.total = 4;
    let found = hard_checks(&f);
    let r = found.iter().find(|x| x.rule == 1).unwrap();
    assert!(r.fields.contains(&"disabilitas_pemilih.total".to_string()));
    assert!(r.message_id.contains("Aturan 1"));
    assert!(r.message_en.contains("Rule 1"));
    assert!(r.is_error());
}

#[test]
fn rule2_list_sum() {
    assert!(!has(&good_form(), 2, "list_sum"));
    let mut f = good_form();
    f.pemilih_dptb = Row::new(2, 1);
    let found = hard_checks(&f);
    assert!(found
        .iter()
        .any(|x| x.rule == 2 && x.fields.contains(&"pemilih_total.l".to_string())));
}

#[test]
fn rule3_more_voters_than_registered() {
    assert!(!has(&good_form(), 3, "more_voters_than_registered"));
    let mut f = good_form();
    f.disabilitas_pengguna = Row::new(3, 1);
    assert!(has(&f, 3, "more_voters_than_registered"));
    let mut f = good_form();
    // More women voted from the DPT than are on it, even though the totals look fine.
    f.pengguna_dpt = Row {
        l: 60,
        p: 110,
        total: 170,
    };
    let found = hard_checks(&f);
    assert!(found
        .iter()
        .any(|x| x.rule == 3 && x.fields[0] == "pengguna_dpt.p"));
}

#[test]
fn rule4_ballot_sum() {
    assert!(!has(&good_form(), 4, "ballot_sum"));
    let mut f = good_form();
    f.surat_dikembalikan = 3;
    assert!(has(&f, 4, "ballot_sum"));
}

#[test]
fn rule5_ballots_used_vs_voters() {
    assert!(!has(&good_form(), 5, "ballots_used_vs_voters"));
    let mut f = good_form();
    f.surat_digunakan = 176;
    f.surat_tidak_digunakan = 27;
    assert!(has(&f, 5, "ballots_used_vs_voters"));
    assert!(!has(&f, 4, "ballot_sum"));
}

#[test]
fn rule6_vote_totals() {
    assert!(!has(&good_form(), 6, "vote_sum"));
    let mut f = good_form();
    f.suara_tidak_sah = 6;
    assert!(has(&f, 6, "vote_sum"));
    let mut f = good_form();
    f.suara_tidak_sah = 6;
    f.suara_total = 176;
    assert!(!has(&f, 6, "vote_sum"));
    assert!(has(&f, 6, "votes_vs_ballots_used"));
}

#[test]
fn rule7_paslon_sum() {
    assert!(!has(&good_form(), 7, "paslon_sum"));
    let mut f = good_form();
    f.votes.insert(2, 71);
    let found = hard_checks(&f);
    let r = found.iter().find(|x| x.rule == 7).unwrap();
    assert_eq!(r.fields, vec!["votes.1", "votes.2", "suara_sah"]);
}

#[test]
fn rule8_reserve_and_ballot_shortage() {
    assert!(!has(&good_form(), 8, "ballots_vs_reserve"));
    // 2.5% of 210 is 5.25: both 215 and 216 are accepted.
    assert_eq!(expected_ballots(210, &CheckConfig::default()), (215, 216));
    let mut f = good_form();
    f.surat_diterima = 210;
    f.surat_tidak_digunakan = 33;
    assert!(has(&f, 8, "ballots_vs_reserve"));
    assert!(hard_checks(&f).is_empty());
    let mut f = good_form();
    f.surat_diterima = 170;
    let found = hard_checks(&f);
    assert!(found
        .iter()
        .any(|x| x.rule == 8 && x.code == "voters_exceed_ballots" && x.is_error()));
}

#[test]
fn rule9_master_maximum_and_turnout() {
    let good = rules(&good_form());
    assert!(!good.iter().any(|(r, _)| *r == 9));
    let c = Context {
        master_dpt: Some((100, 101)),
        ..ctx()
    };
    assert!(warnings(&good_form(), &c)
        .iter()
        .any(|x| x.code == "dpt_differs_from_master"));
    let c = Context {
        config: CheckConfig {
            max_dpt_per_tps: 150,
            ..CheckConfig::default()
        },
        ..ctx()
    };
    assert!(warnings(&good_form(), &c)
        .iter()
        .any(|x| x.code == "dpt_above_maximum" && !x.is_error()));
    // 883 voters at a TPS with a DPT of 258 (2024): DPTb voters push turnout over 100%.
    let mut f = good_form();
    f.pengguna_dptb = Row::new(20, 20);
    f.pemilih_dptb = Row::new(20, 20);
    f.pengguna_dpt = Row::new(100, 100);
    f.pemilih_total = Row::new(122, 121);
    f.pengguna_total = Row::new(122, 121);
    assert!(has(&f, 9, "turnout_above_100"));
}

#[test]
fn rule10_suspicious_patterns() {
    let good = rules(&good_form());
    assert!(!good.iter().any(|(r, _)| *r == 10));
    let mut f = good_form();
    f.votes.insert(1, 170);
    f.votes.insert(2, 0);
    assert!(has(&f, 10, "single_paslon_takes_all"));
    let mut f = good_form();
    f.pengguna_dpt = Row::new(97, 98);
    f.pengguna_total = Row::new(100, 100);
    assert!(has(&f, 10, "turnout_exactly_100"));
    // 99 read as 44, 152 read as 652.
    let mut other = good_form();
    other.votes.insert(1, 99);
    other.suara_sah = 169;
    let mut mine = good_form();
    mine.votes.insert(1, 44);
    let prev = [other];
    let c = Context {
        previous: &prev,
        ..ctx()
    };
    let w = warnings(&mine, &c);
    assert!(w
        .iter()
        .any(|x| x.code == "digit_misread" && x.fields == vec!["votes.1"]));
    assert!(!w
        .iter()
        .any(|x| x.code == "digit_misread" && x.fields == vec!["suara_sah"]));
    let same = [good_form()];
    let c = Context {
        previous: &same,
        ..ctx()
    };
    assert!(warnings(&good_form(), &c).is_empty());
}
