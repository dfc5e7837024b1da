//! `--format concise`: one line per finding, `path:line:col: severity[CODE] message`, for
//! editors' problem matchers and grep. Binary and signed inputs have no line: their findings
//! read `path: severity[CODE] message (at key.path)`.

use std::io::{self, Write};

use super::Report;

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for d in &report.diagnostics {
        match (d.line, d.column) {
            (Some(line), Some(column)) => write!(out, "{}:{line}:{column}: ", d.path)?,
            // Binary and signed files have no lines: `1:1`, so problem matchers still read
            // the line; the key path is in the message.
            _ => write!(out, "{}:1:1: ", d.path)?,
        }
        writeln!(
            out,
            "{}[{}] {}",
            d.severity.as_str(),
            d.code,
            d.message_with_place()
        )?;
    }
    super::write_summary(report, out)
}
