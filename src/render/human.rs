//! The default report: miette's graphical diagnostics, with a code frame and a label on the
//! offending value, then a help line. Colour only when asked for (a terminal, no `NO_COLOR`).

use std::fmt;
use std::io::{self, Write};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use rayon::prelude::*;

use super::{Report, Style};
use crate::diagnostic::Diagnostic;
use crate::frame::Named;
use crate::rules::Severity;

/// One diagnostic as miette sees it.
struct Shown<'a> {
    diagnostic: &'a Diagnostic,
    title: String,
    frame: Option<Named<'a>>,
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
        self.frame.as_ref().map(|f| f as &dyn SourceCode)
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
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
}

/// Diagnostics rendered at once: enough to keep every core busy, few enough that the rendered
/// text of a large run is never held whole.
const CHUNK: usize = 512;

pub fn write(report: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let handler = handler(style);
    let render = |diagnostic: &Diagnostic| -> io::Result<String> {
        let shown = Shown {
            diagnostic,
            title: title(diagnostic, report.names_payloads(&diagnostic.path)),
            frame: diagnostic
                .frame
                .as_ref()
                .map(|frame| frame.named(&diagnostic.path)),
        };
        let mut rendered = String::new();
        handler
            .render_report(&mut rendered, &shown)
            .map_err(|_| io::Error::other("could not render a diagnostic"))?;
        rendered.push('\n');
        Ok(rendered)
    };
    for chunk in report.diagnostics.chunks(CHUNK) {
        let rendered: Vec<io::Result<String>> = chunk.par_iter().map(render).collect();
        for text in rendered {
            out.write_all(text?.as_bytes())?;
        }
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
