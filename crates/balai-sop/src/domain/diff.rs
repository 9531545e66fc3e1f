//! A step-by-step comparison of two procedures, for the side-by-side view: the longest common
//! run of identical steps is kept in line, and a step removed next to one added is shown as a
//! change of that step. Pure: no IO.

use serde::Serialize;

use super::steps::Step;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Same,
    Changed,
    Removed,
    Added,
}

/// One line of the side-by-side view: a step of the left version, of the right one, or both,
/// each with its number (from 1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DiffRow {
    pub change: Change,
    pub left: Option<(usize, Step)>,
    pub right: Option<(usize, Step)>,
}

/// Compare `left` with `right`.
pub fn diff(left: &[Step], right: &[Step]) -> Vec<DiffRow> {
    let (n, m) = (left.len(), right.len());
    // lcs[i][j]: the longest common subsequence of left[i..] and right[j..].
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if left[i] == right[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut rows = Vec::new();
    let (mut i, mut j) = (0, 0);
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    while i < n || j < m {
        if i < n && j < m && left[i] == right[j] {
            flush(&mut rows, &mut removed, &mut added);
            rows.push(DiffRow {
                change: Change::Same,
                left: Some((i + 1, left[i].clone())),
                right: Some((j + 1, right[j].clone())),
            });
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            added.push((j + 1, right[j].clone()));
            j += 1;
        } else {
            removed.push((i + 1, left[i].clone()));
            i += 1;
        }
    }
    flush(&mut rows, &mut removed, &mut added);
    rows
}

/// Pair a run of removed steps with the run of added ones beside it: changes first, then what
/// is left over on either side.
fn flush(
    rows: &mut Vec<DiffRow>,
    removed: &mut Vec<(usize, Step)>,
    added: &mut Vec<(usize, Step)>,
) {
    let mut r = removed.drain(..);
    let mut a = added.drain(..);
    loop {
        match (r.next(), a.next()) {
            (Some(l), Some(rt)) => rows.push(DiffRow {
                change: Change::Changed,
                left: Some(l),
                right: Some(rt),
            }),
            (Some(l), None) => rows.push(DiffRow {
                change: Change::Removed,
                left: Some(l),
                right: None,
            }),
            (None, Some(rt)) => rows.push(DiffRow {
                change: Change::Added,
                left: None,
                right: Some(rt),
            }),
            (None, None) => break,
        }
    }
}

/// How many rows of each kind of change (same, changed, removed, added).
pub fn counts(rows: &[DiffRow]) -> [usize; 4] {
    let mut out = [0; 4];
    for r in rows {
        out[match r.change {
            Change::Same => 0,
            Change::Changed => 1,
            Change::Removed => 2,
            Change::Added => 3,
        }] += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::steps::step;

    fn s(a: &str) -> Step {
        step("PPS", a)
    }

    fn shape(rows: &[DiffRow]) -> Vec<(Change, Option<usize>, Option<usize>)> {
        rows.iter()
            .map(|r| {
                (
                    r.change,
                    r.left.as_ref().map(|x| x.0),
                    r.right.as_ref().map(|x| x.0),
                )
            })
            .collect()
    }

    #[test]
    fn identical_procedures_are_all_same() {
        let a = [s("a"), s("b")];
        assert_eq!(counts(&diff(&a, &a)), [2, 0, 0, 0]);
        assert!(diff(&[], &[]).is_empty());
    }

    #[test]
    fn a_changed_step_is_paired_and_insertions_keep_the_rest_in_line() {
        let left = [s("a"), s("b"), s("c"), s("d")];
        let right = [s("a"), s("B"), s("c"), s("x"), s("d"), s("e")];
        assert_eq!(
            shape(&diff(&left, &right)),
            [
                (Change::Same, Some(1), Some(1)),
                (Change::Changed, Some(2), Some(2)),
                (Change::Same, Some(3), Some(3)),
                (Change::Added, None, Some(4)),
                (Change::Same, Some(4), Some(5)),
                (Change::Added, None, Some(6)),
            ]
        );
    }

    #[test]
    fn removals_and_a_wholly_new_procedure() {
        let left = [s("a"), s("b"), s("c")];
        assert_eq!(
            shape(&diff(&left, &[s("c")])),
            [
                (Change::Removed, Some(1), None),
                (Change::Removed, Some(2), None),
                (Change::Same, Some(3), Some(1)),
            ]
        );
        assert_eq!(counts(&diff(&left, &[s("x")])), [0, 1, 2, 0]);
        assert_eq!(counts(&diff(&[], &[s("x")])), [0, 0, 0, 1]);
        // A step that differs only in its time limit is a change, not the same step.
        let mut b2 = s("b");
        b2.time_limit = "2 hari".into();
        assert_eq!(counts(&diff(&[s("b")], &[b2])), [0, 1, 0, 0]);
    }
}
