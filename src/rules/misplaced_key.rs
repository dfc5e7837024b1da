//! SCEP025 misplaced-key: a SCEP setting written at a level the device does not read it from,
//! such as `Challenge` in the payload's own dict instead of its `PayloadContent`.

use super::{Context, Finding, Label, Rule, RuleMeta, Severity};
use crate::model::{Applicability, Origin, Rewrite, ScepPayload};

pub struct MisplacedKey;

pub static META: RuleMeta = RuleMeta {
    code: "SCEP025",
    name: "misplaced-key",
    severity: Severity::Error,
    summary: "A SCEP setting is written where the device does not read it",
    docs: include_str!("../../docs/rules/misplaced-key.md"),
};

impl Rule for MisplacedKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_payload(&self, _cx: &Context<'_>, payload: &ScepPayload, out: &mut Vec<Finding>) {
        for key in &payload.misplaced {
            let finding = Finding::new(
                format!(
                    "`{}` is in {}, where the device ignores it; SCEP settings are read from {}",
                    key.name, key.found_in, key.belongs_in
                ),
                format!(
                    "move `{}` and its value into {} (if it is there already, delete this copy)",
                    key.name, key.belongs_in
                ),
                Label::new(&key.origin, "ignored here"),
            );
            let Some(entry) = key.entry.clone() else {
                out.push(finding);
                continue;
            };
            let delete = (
                Origin::new(Some(entry.clone()), key.origin.key_path.clone()),
                Rewrite::Delete,
            );
            let already_there = payload.raw_keys.iter().any(|raw| raw.name == key.name);
            // Two misplaced copies: which one was meant is for a human to say.
            let copies = payload
                .misplaced
                .iter()
                .filter(|other| other.name == key.name)
                .count();
            let finding = match &payload.settings_dict {
                // Which copy was meant is for a human to say.
                _ if already_there => finding.with_change(
                    vec![delete],
                    Applicability::Unsafe,
                    format!("Delete this ignored copy of {}", key.name),
                ),
                Some(_) if copies > 1 => finding,
                Some(dict) => finding.with_change(
                    vec![
                        delete,
                        (
                            Origin::new(Some(dict.clone()), key.origin.key_path.clone()),
                            Rewrite::Append { entry },
                        ),
                    ],
                    Applicability::Safe,
                    format!("Move {} into {}", key.name, key.belongs_in),
                ),
                None => finding,
            };
            out.push(finding);
        }
    }
}
