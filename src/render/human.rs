//! The default report: miette's graphical diagnostics, with a code frame and a label on the
//! offending value, then a help line. Colour only when asked for (a terminal, no `NO_COLOR`).

use std::fmt;
use std::io::{self, Write};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

use super::{Report, Style};
use crate::diagnostic::Diagnostic;
use crate::rules::Severity;

/// One diagnostic as miette sees it.
struct Shown<'a> {
    diagnostic: &'a Diagnostic,
    title: String,
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl std::error::Error for Shown<'_> {}

impl miette::Diagnostic for Shown<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.diagnostic.help))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.diagnostic.frame.as_ref().map(|f| f as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let frame = self.diagnostic.frame.as_ref()?;
        Some(Box::new(frame.labels.iter().map(|label| {
            LabeledSpan::new_primary_with_span(Some(label.text.clone()), label.range.clone())
        })))
    }
}

fn title(diagnostic: &Diagnostic, name_payload: bool) -> String {
    let mut title = format!(
        "{} {}: {}",
        diagnostic.code, diagnostic.rule, diagnostic.message
    );
    if name_payload {
        match (&diagnostic.payload, &diagnostic.profile) {
            (Some(payload), _) => title.push_str(&format!(" [payload {payload}]")),
            (None, Some(profile)) => title.push_str(&format!(" [profile {profile}]")),
            (None, None) => {}
        }
    }
    if diagnostic.frame.is_none() {
        title.push_str(&format!("\nat {}", diagnostic.path));
        match (&diagnostic.key_path, diagnostic.line) {
            (Some(key_path), None) => title.push_str(&format!(" → {key_path}")),
            (_, Some(line)) => {
                title.push_str(&format!(":{line}:{}", diagnostic.column.unwrap_or(1)))
            }
            _ => {}
        }
    }
    title
}

pub fn handler(style: Style) -> GraphicalReportHandler {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
}

pub fn write(report: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let handler = handler(style);
    let mut rendered = String::new();
    for diagnostic in &report.diagnostics {
        rendered.clear();
        let shown = Shown {
            diagnostic,
            title: title(diagnostic, report.names_payloads(&diagnostic.path)),
        };
        handler
            .render_report(&mut rendered, &shown)
            .map_err(|_| io::Error::other("could not render a diagnostic"))?;
        out.write_all(rendered.as_bytes())?;
        writeln!(out)?;
    }
    write_summary(report, out)
}

fn write_summary(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", super::summary_line(&report.summary))?;
    for path in &report.summary.files_without_scep {
        writeln!(out, "note: {path} holds no SCEP profile")?;
    }
    Ok(())
}
