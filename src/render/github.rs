//! `--format github`: GitHub Actions workflow commands, which GitHub turns into annotations on
//! the pull request: `::error file=F,line=L,col=C,endLine=..,endColumn=..,title=T::MESSAGE`.
//! Errors are `::error`, warnings `::warning`, infos `::notice`. GitHub shows at most ten
//! errors and ten warnings per step; the rest stay in the log.

use std::io::{self, Write};

use super::Report;
use crate::rules::Severity;

pub use crate::escape::{github_data as escape_data, github_property as escape_property};

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for d in &report.diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut properties = vec![format!("file={}", escape_property(&d.path))];
        if let (Some(line), Some(column)) = (d.line, d.column) {
            properties.push(format!("line={line}"));
            properties.push(format!("col={column}"));
            if let (Some(end_line), Some(end_column)) = (d.end_line, d.end_column) {
                properties.push(format!("endLine={end_line}"));
                properties.push(format!("endColumn={end_column}"));
            }
        }
        properties.push(format!(
            "title={}",
            escape_property(&format!("{} {}", d.code, d.rule))
        ));
        let message = format!("{}\n\nhelp: {}", d.message_with_place(), d.help);
        writeln!(
            out,
            "::{command} {}::{}",
            properties.join(","),
            escape_data(&message)
        )?;
    }
    super::write_summary(report, out)
}
