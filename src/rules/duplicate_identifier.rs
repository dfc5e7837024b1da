//! SCEP022 duplicate-identifier: across all the files of one run, no two profiles share a
//! `PayloadUUID` or `PayloadIdentifier`, and no two SCEP payloads a `PayloadUUID`. A device that
//! installs a profile replaces any installed profile (or payload) with the same identifier, so
//! two such profiles silently overwrite each other.
//!
//! The check compares files, so the engine runs it once every file is read
//! ([`crate::engine::cross_file`]); this is its identity and documentation.

use super::{RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "SCEP022",
    name: "duplicate-identifier",
    severity: Severity::Error,
    summary: "No two profiles of a run share a PayloadUUID or PayloadIdentifier, nor two SCEP payloads a PayloadUUID",
    docs: include_str!("../../docs/rules/duplicate-identifier.md"),
};
