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

pub const HELP: &str = "if this file is a SCEP profile or an MDM export, lint the profile itself (the `.mobileconfig` or the SyncML) or an export in a shape sceplint reads (docs/formats.md), or tell sceplint its MDM with `vendor` in an `[[overrides]]` entry; if it is not a profile, exclude it (`exclude` in sceplint.toml)";
