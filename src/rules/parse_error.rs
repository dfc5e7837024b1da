//! SCEP000 parse-error: raised while loading a file, not by a check on the model.

use super::{RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "SCEP000",
    name: "parse-error",
    severity: Severity::Error,
    summary: "The file cannot be read or parsed as a profile or export",
    docs: include_str!("../../docs/rules/parse-error.md"),
};

pub const HELP: &str = "fix the file where it is marked; if an MDM exported it, export it again (a truncated download or a hand edit is the usual cause)";

/// For a file that could not be read at all (missing, a directory, no permission, a FIFO):
/// nothing about exports, the bytes were never seen.
pub const READ_HELP: &str = "check the path, and that the file is a regular file sceplint may read";

pub const ENCRYPTED_HELP: &str = "lint the profile before it is encrypted for delivery: export it from the MDM unencrypted, or lint the source it was built from";

pub const INTERNAL_ERROR_HELP: &str = "this is a bug in sceplint, not in the file; the other files were checked. Please report it, with the file if you can share it (remove any secret first)";
