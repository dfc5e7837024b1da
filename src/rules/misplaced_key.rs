//! SCEP025 misplaced-key: a SCEP setting written at a level the device does not read it from,
//! such as `Challenge` in the payload's own dict instead of its `PayloadContent`.

use super::{Context, Finding, Label, Rule, RuleMeta, Severity};
use crate::model::ScepPayload;

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
            out.push(Finding::new(
                format!(
                    "`{}` is in {}, where the device ignores it; SCEP settings are read from {}",
                    key.name, key.found_in, key.belongs_in
                ),
                format!(
                    "move `{}` and its value into {} (if it is there already, delete this copy)",
                    key.name, key.belongs_in
                ),
                Label::new(&key.origin, "ignored here"),
            ));
        }
    }
}
