//! `--format json`: the contract for tools. An object with `diagnostics` (each with `code`,
//! `rule`, `severity`, `path`, `line`, `column`, `end_line`, `end_column`, `key_path`,
//! `message`, `help`, `profile`, `payload`, `vendor`, `platform`, and `fix` with its
//! `applicability` and `title` where there is one) and `summary`. Fields are only ever added.

use std::io::{self, Write};

use serde::Serialize;

use super::{Report, Summary};
use crate::diagnostic::Diagnostic;

#[derive(Serialize)]
struct Document<'a> {
    diagnostics: &'a [Diagnostic],
    summary: &'a Summary,
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let document = Document {
        diagnostics: &report.diagnostics,
        summary: &report.summary,
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}
