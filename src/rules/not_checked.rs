//! SCEP026 not-checked: a file that mentions SCEP but is in a shape sceplint cannot read is
//! reported, never passed in silence. Raised while reading a file, not by a check on the model.

use super::{RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "SCEP026",
    name: "not-checked",
    severity: Severity::Warning,
    summary: "The file mentions SCEP but is in a shape sceplint cannot read, so it was not checked",
    docs: include_str!("../../docs/rules/not-checked.md"),
};

pub const HELP: &str = "if this file is a SCEP profile or an MDM export, lint the profile itself (the `.mobileconfig` or the SyncML) or an export in a shape sceplint reads (docs/formats.md); if it is not a profile, list it in a `.ignore` file, or turn this rule off for it with `ignore = [\"not-checked\"]` in an `[[overrides]]` entry";
