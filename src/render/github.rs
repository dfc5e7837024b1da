//! `--format github`: GitHub Actions workflow commands, which GitHub turns into annotations on
//! the pull request: `::error file=F,line=L,col=C,endLine=..,endColumn=..,title=T::MESSAGE`.
//! Errors are `::error`, warnings `::warning`, infos `::notice`. GitHub shows at most ten
//! errors and ten warnings per step; the rest stay in the log.

use std::io::{self, Write};

use super::Report;
use crate::rules::Severity;

/// Escapes a command's message: `%`, carriage return and newline.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command's property value: as data, plus `:` and `,`, which separate properties.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

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
    writeln!(out, "{}", super::summary_line(&report.summary))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_github_requires() {
        let message = "50% of 64: a, b\r\nnext";
        assert_eq!(escape_data(message), "50%25 of 64: a, b%0D%0Anext");
        assert_eq!(escape_property(message), "50%25 of 64%3A a%2C b%0D%0Anext");
        assert_eq!(escape_property("C:\\dir,x"), "C%3A\\dir%2Cx");
    }
}
