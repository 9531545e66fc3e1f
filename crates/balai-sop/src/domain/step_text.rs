//! Steps as an official types them in a form without JavaScript: one step per line,
//! `actor | action | time limit | output` (the last two may be left out). Pure.

use super::steps::{Step, StepError};

/// The steps a text gives, blank lines skipped; a line without an actor and an action is
/// refused by its step number.
pub fn parse(text: &str) -> Result<Vec<Step>, StepError> {
    let mut steps = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let mut parts = line.split('|').map(str::trim);
        let actor = parts.next().unwrap_or_default().to_string();
        let action = parts.next().unwrap_or_default().to_string();
        let time_limit = parts.next().unwrap_or_default().to_string();
        // Whatever follows the third bar is the output, bars included.
        let output = parts.collect::<Vec<_>>().join(" | ");
        if actor.is_empty() || action.is_empty() {
            return Err(StepError::StepIncomplete {
                number: steps.len() + 1,
            });
        }
        steps.push(Step {
            actor,
            action,
            time_limit,
            output,
        });
    }
    Ok(steps)
}

/// The text of some steps, for a form to start from.
pub fn render(steps: &[Step]) -> String {
    steps
        .iter()
        .map(|s| {
            let mut parts = vec![s.actor.as_str(), s.action.as_str()];
            if !s.time_limit.is_empty() || !s.output.is_empty() {
                parts.push(&s.time_limit);
            }
            if !s.output.is_empty() {
                parts.push(&s.output);
            }
            parts.join(" | ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_steps_and_back() {
        let text = "PPK | Periksa logistik | 1 hari | Berita acara\n\n  PPS|Serahkan ke KPPS\n";
        let steps = parse(text).unwrap();
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[0].output, "Berita acara");
        assert_eq!(steps[1].actor, "PPS");
        assert_eq!(steps[1].time_limit, "");
        assert_eq!(parse(&render(&steps)).unwrap(), steps);
        assert_eq!(
            parse("PPK | Periksa\nhanya pelaksana"),
            Err(StepError::StepIncomplete { number: 2 })
        );
        assert_eq!(parse("   \n").unwrap(), Vec::<Step>::new());
    }
}
