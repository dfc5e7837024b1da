//! SCEP100 unused-suppression: raised by the engine for `sceplint:` comments that silence
//! nothing, name no rule, or cannot be read.

use super::{RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "SCEP100",
    name: "unused-suppression",
    severity: Severity::Warning,
    summary: "A sceplint suppression comment silences nothing or cannot be read",
    docs: include_str!("../../docs/rules/unused-suppression.md"),
};
