//! An SOP's steps, a regency's overrides of its province's steps, the effective procedure that
//! results, and the checks on what an official sends. Pure: no IO.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Most steps one procedure may have.
pub const MAX_STEPS: usize = 100;
/// Longest text of one field of a step, a reason or a note.
pub const MAX_TEXT: usize = 500;

/// One step of a procedure: who does what, within which time, producing what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Step {
    /// Who acts, e.g. `PPS` or `Sekretariat KPU Kabupaten/Kota`.
    #[schema(min_length = 1, max_length = 500, pattern = r"\S")]
    pub actor: String,
    #[schema(min_length = 1, max_length = 500, pattern = r"\S")]
    pub action: String,
    /// e.g. `1 hari kerja`; empty when the step has none.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub time_limit: String,
    /// What the step produces (a form, a record); may be empty.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub output: String,
}

/// How an adoption changes its parent's procedure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OverrideKind {
    /// Replace parent step `step` (numbered from 1).
    Replace,
    /// Add a step after parent step `step` (0: before the first).
    Add,
}

/// A regency's change to its province's procedure, always with a reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Override {
    pub kind: OverrideKind,
    /// The parent step it replaces, or the one it follows (0: before the first).
    pub step: u32,
    pub replacement: Step,
    #[schema(min_length = 1, max_length = 500, pattern = r"\S")]
    pub reason: String,
}

/// Where a step of the effective procedure comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum Source {
    /// The SOP's own step (an SOP that adopts nothing).
    Own,
    /// The parent's step `number`, unchanged.
    Parent { number: u32 },
    /// The parent's step `number`, replaced by the adoption.
    Replaced { number: u32, reason: String },
    /// A step the adoption added after parent step `after`.
    Added { after: u32, reason: String },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct EffectiveStep {
    #[serde(flatten)]
    pub step: Step,
    pub source: Source,
}

/// A procedure as it applies: the steps in order, and the overrides that no longer fit the
/// parent version (their step is gone), by their index in the list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Effective {
    pub steps: Vec<EffectiveStep>,
    pub orphaned: Vec<usize>,
}

/// An SOP's own steps as an effective procedure.
pub fn own(steps: &[Step]) -> Effective {
    Effective {
        steps: steps
            .iter()
            .map(|s| EffectiveStep {
                step: s.clone(),
                source: Source::Own,
            })
            .collect(),
        orphaned: Vec::new(),
    }
}

/// The parent's steps with the adoption's overrides applied: replacements in place, added steps
/// after the parent step they name (several after one step keep their order in the list).
/// An override whose step the parent no longer has is left out and reported as orphaned.
pub fn effective(parent: &[Step], overrides: &[Override]) -> Effective {
    let n = parent.len();
    let fits = |o: &Override| match o.kind {
        OverrideKind::Replace => o.step >= 1 && (o.step as usize) <= n,
        OverrideKind::Add => (o.step as usize) <= n,
    };
    let orphaned: Vec<usize> = overrides
        .iter()
        .enumerate()
        .filter(|(_, o)| !fits(o))
        .map(|(i, _)| i)
        .collect();
    let added_after = |k: u32| {
        overrides
            .iter()
            .filter(move |o| o.kind == OverrideKind::Add && o.step == k && fits(o))
            .map(move |o| EffectiveStep {
                step: o.replacement.clone(),
                source: Source::Added {
                    after: k,
                    reason: o.reason.clone(),
                },
            })
    };
    let mut steps: Vec<EffectiveStep> = added_after(0).collect();
    for (i, s) in parent.iter().enumerate() {
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let replaced = overrides
            .iter()
            .rev()
            .find(|o| o.kind == OverrideKind::Replace && o.step == number);
        steps.push(match replaced {
            Some(o) => EffectiveStep {
                step: o.replacement.clone(),
                source: Source::Replaced {
                    number,
                    reason: o.reason.clone(),
                },
            },
            None => EffectiveStep {
                step: s.clone(),
                source: Source::Parent { number },
            },
        });
        steps.extend(added_after(number));
    }
    Effective { steps, orphaned }
}

/// What is wrong with steps or overrides an official sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StepError {
    #[error("Prosedur harus memiliki paling sedikit satu langkah.")]
    NoSteps,
    #[error("Prosedur paling banyak {MAX_STEPS} langkah.")]
    TooManySteps,
    /// `number` counts from 1; `field` is `actor` or `action`.
    #[error("Langkah {number}: pelaksana dan kegiatan wajib diisi.")]
    StepIncomplete { number: usize },
    #[error("Langkah {number}: isian paling panjang {MAX_TEXT} karakter.")]
    StepTooLong { number: usize },
    #[error("Perubahan {number}: alasan wajib diisi (paling panjang {MAX_TEXT} karakter).")]
    ReasonRequired { number: usize },
    #[error("Perubahan {number}: langkah {step} tidak ada pada versi induk.")]
    NoSuchParentStep { number: usize, step: u32 },
    #[error("Perubahan {number}: langkah {step} sudah diganti oleh perubahan lain.")]
    ReplacedTwice { number: usize, step: u32 },
}

impl StepError {
    pub fn message_en(&self) -> String {
        match self {
            StepError::NoSteps => "A procedure needs at least one step.".into(),
            StepError::TooManySteps => format!("A procedure has at most {MAX_STEPS} steps."),
            StepError::StepIncomplete { number } => {
                format!("Step {number}: the actor and the action are required.")
            }
            StepError::StepTooLong { number } => {
                format!("Step {number}: a field is at most {MAX_TEXT} characters.")
            }
            StepError::ReasonRequired { number } => {
                format!("Override {number}: a reason is required (at most {MAX_TEXT} characters).")
            }
            StepError::NoSuchParentStep { number, step } => {
                format!("Override {number}: the parent version has no step {step}.")
            }
            StepError::ReplacedTwice { number, step } => {
                format!("Override {number}: step {step} is already replaced by another override.")
            }
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            StepError::NoSteps => "steps_empty",
            StepError::TooManySteps => "too_many_steps",
            StepError::StepIncomplete { .. } | StepError::StepTooLong { .. } => "bad_step",
            StepError::ReasonRequired { .. } => "reason_required",
            StepError::NoSuchParentStep { .. } | StepError::ReplacedTwice { .. } => "bad_override",
        }
    }
}

fn check_step(number: usize, s: &Step) -> Result<(), StepError> {
    if s.actor.trim().is_empty() || s.action.trim().is_empty() {
        return Err(StepError::StepIncomplete { number });
    }
    let long = [&s.actor, &s.action, &s.time_limit, &s.output]
        .iter()
        .any(|t| t.chars().count() > MAX_TEXT);
    if long {
        return Err(StepError::StepTooLong { number });
    }
    Ok(())
}

/// Steps trimmed and checked: at least one, at most [`MAX_STEPS`], each with an actor and an
/// action.
pub fn check_steps(steps: &[Step]) -> Result<Vec<Step>, StepError> {
    if steps.is_empty() {
        return Err(StepError::NoSteps);
    }
    if steps.len() > MAX_STEPS {
        return Err(StepError::TooManySteps);
    }
    // Lengths as sent: the API document states them of the text before trimming.
    for (i, s) in steps.iter().enumerate() {
        check_step(i + 1, s)?;
    }
    Ok(steps.iter().map(trim_step).collect())
}

fn trim_step(s: &Step) -> Step {
    Step {
        actor: s.actor.trim().to_string(),
        action: s.action.trim().to_string(),
        time_limit: s.time_limit.trim().to_string(),
        output: s.output.trim().to_string(),
    }
}

/// Overrides trimmed and checked against the parent version they apply to (`parent_len`
/// steps): each with a reason, naming a step the parent has, no step replaced twice.
pub fn check_overrides(
    parent_len: usize,
    overrides: &[Override],
) -> Result<Vec<Override>, StepError> {
    if overrides.len() > MAX_STEPS {
        return Err(StepError::TooManySteps);
    }
    let mut replaced = Vec::new();
    let mut out = Vec::new();
    for (i, o) in overrides.iter().enumerate() {
        let number = i + 1;
        let reason = o.reason.trim();
        if reason.is_empty() || o.reason.chars().count() > MAX_TEXT {
            return Err(StepError::ReasonRequired { number });
        }
        let fits = match o.kind {
            OverrideKind::Replace => o.step >= 1 && (o.step as usize) <= parent_len,
            OverrideKind::Add => (o.step as usize) <= parent_len,
        };
        if !fits {
            return Err(StepError::NoSuchParentStep {
                number,
                step: o.step,
            });
        }
        if o.kind == OverrideKind::Replace {
            if replaced.contains(&o.step) {
                return Err(StepError::ReplacedTwice {
                    number,
                    step: o.step,
                });
            }
            replaced.push(o.step);
        }
        check_step(number, &o.replacement)?;
        let replacement = trim_step(&o.replacement);
        out.push(Override {
            kind: o.kind,
            step: o.step,
            replacement,
            reason: reason.to_string(),
        });
    }
    Ok(out)
}

#[cfg(test)]
pub(crate) fn step(actor: &str, action: &str) -> Step {
    Step {
        actor: actor.into(),
        action: action.into(),
        time_limit: String::new(),
        output: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parent() -> Vec<Step> {
        vec![
            step("PPS", "Terima formulir"),
            step("PPK", "Periksa formulir"),
            step("KPU", "Tetapkan"),
        ]
    }

    fn ov(kind: OverrideKind, at: u32, action: &str) -> Override {
        Override {
            kind,
            step: at,
            replacement: step("PPK", action),
            reason: "Wilayah kepulauan".into(),
        }
    }

    fn actions(e: &Effective) -> Vec<&str> {
        e.steps.iter().map(|s| s.step.action.as_str()).collect()
    }

    #[test]
    fn without_overrides_the_parent_applies_as_it_is() {
        let e = effective(&parent(), &[]);
        assert_eq!(
            actions(&e),
            ["Terima formulir", "Periksa formulir", "Tetapkan"]
        );
        assert_eq!(e.steps[1].source, Source::Parent { number: 2 });
        assert!(e.orphaned.is_empty());
    }

    #[test]
    fn replacements_stay_in_place_and_additions_follow_their_step() {
        let e = effective(
            &parent(),
            &[
                ov(OverrideKind::Add, 3, "Arsipkan"),
                ov(OverrideKind::Replace, 2, "Periksa dengan kapal"),
                ov(OverrideKind::Add, 0, "Umumkan jadwal"),
                ov(OverrideKind::Add, 1, "Catat"),
                ov(OverrideKind::Add, 1, "Foto"),
            ],
        );
        assert_eq!(
            actions(&e),
            [
                "Umumkan jadwal",
                "Terima formulir",
                "Catat",
                "Foto",
                "Periksa dengan kapal",
                "Tetapkan",
                "Arsipkan"
            ]
        );
        assert_eq!(
            e.steps[4].source,
            Source::Replaced {
                number: 2,
                reason: "Wilayah kepulauan".into()
            }
        );
        assert_eq!(
            e.steps[6].source,
            Source::Added {
                after: 3,
                reason: "Wilayah kepulauan".into()
            }
        );
    }

    #[test]
    fn overrides_of_steps_the_parent_lost_are_orphaned() {
        let short = &parent()[..2];
        let e = effective(
            short,
            &[
                ov(OverrideKind::Replace, 3, "x"),
                ov(OverrideKind::Add, 2, "y"),
                ov(OverrideKind::Add, 3, "z"),
            ],
        );
        assert_eq!(actions(&e), ["Terima formulir", "Periksa formulir", "y"]);
        assert_eq!(e.orphaned, [0, 2]);
    }

    #[test]
    fn steps_are_checked_and_trimmed() {
        assert_eq!(check_steps(&[]), Err(StepError::NoSteps));
        assert_eq!(
            check_steps(&[step("PPS", "a"), step(" ", "b")]),
            Err(StepError::StepIncomplete { number: 2 })
        );
        let long = "x".repeat(MAX_TEXT + 1);
        assert_eq!(
            check_steps(&[step("PPS", &long)]),
            Err(StepError::StepTooLong { number: 1 })
        );
        let many = vec![step("a", "b"); MAX_STEPS + 1];
        assert_eq!(check_steps(&many), Err(StepError::TooManySteps));
        let ok = check_steps(&[step(" PPS ", " Terima ")]).unwrap_or_default();
        assert_eq!(ok, [step("PPS", "Terima")]);
    }

    #[test]
    fn overrides_need_a_reason_and_a_parent_step_and_replace_once() {
        let mut no_reason = ov(OverrideKind::Replace, 1, "x");
        no_reason.reason = "  ".into();
        assert_eq!(
            check_overrides(3, &[no_reason]),
            Err(StepError::ReasonRequired { number: 1 })
        );
        assert_eq!(
            check_overrides(3, &[ov(OverrideKind::Replace, 4, "x")]),
            Err(StepError::NoSuchParentStep { number: 1, step: 4 })
        );
        assert_eq!(
            check_overrides(3, &[ov(OverrideKind::Replace, 0, "x")]),
            Err(StepError::NoSuchParentStep { number: 1, step: 0 })
        );
        assert_eq!(
            check_overrides(
                3,
                &[
                    ov(OverrideKind::Replace, 2, "x"),
                    ov(OverrideKind::Replace, 2, "y")
                ]
            ),
            Err(StepError::ReplacedTwice { number: 2, step: 2 })
        );
        assert!(check_overrides(
            3,
            &[ov(OverrideKind::Add, 0, "x"), ov(OverrideKind::Add, 3, "y")]
        )
        .is_ok());
        assert_eq!(StepError::NoSteps.code(), "steps_empty");
    }
}
