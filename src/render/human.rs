//! The default report: miette's graphical diagnostics, with a code frame and a label on the
//! offending value, then a help line. Colour only when asked for (a terminal, no `NO_COLOR`).

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::{self, Write};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use rayon::prelude::*;

use super::{Report, Style};
use crate::diagnostic::Diagnostic;
use crate::frame::Named;
use crate::rules::Severity;

/// One diagnostic as miette sees it, its title and help already wrapped.
struct Shown<'a> {
    diagnostic: &'a Diagnostic,
    title: &'a str,
    help: &'a str,
    frame: Option<Named<'a>>,
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title)
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title)
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
        Some(Box::new(self.help))
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
    let wrapping = Wrapping::new(style.width);
    let handler = handler(style).with_wrap_lines(false);
    for chunk in report.diagnostics.chunks(CHUNK) {
        let titles: Vec<String> = chunk
            .iter()
            .map(|d| title(d, report.names_payloads(&d.path)))
            .collect();
        let wrapped = wrapping.wrap_all(
            titles
                .iter()
                .map(|t| (t.as_str(), wrapping.title))
                .chain(chunk.iter().map(|d| (&*d.help, wrapping.help))),
        );
        let render = |(diagnostic, title): (&Diagnostic, &String)| -> io::Result<String> {
            let shown = Shown {
                diagnostic,
                title: wrapped
                    .get(&(title.as_str(), wrapping.title))
                    .map_or(title, |w| w),
                help: wrapped
                    .get(&(&*diagnostic.help, wrapping.help))
                    .map_or(&diagnostic.help, |w| w),
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
        let rendered: Vec<io::Result<String>> = chunk.par_iter().zip(&titles).map(render).collect();
        for text in rendered {
            out.write_all(text?.as_bytes())?;
        }
    }
    write_summary(report, out)
}

/// Wraps titles and help lines as miette would (the same widths, separators and splitter), but
/// each distinct text once: textwrap costs more than the rest of a report, and a run repeats
/// the same messages and help thousands of times.
struct Wrapping {
    /// Columns for a title, after miette's `  × ` and `  │ ` indents.
    title: usize,
    /// Columns for help, after `  help: ` and its eight-space continuation.
    help: usize,
}

impl Wrapping {
    fn new(width: usize) -> Self {
        let usable = width.saturating_sub(2);
        Wrapping {
            title: usable.saturating_sub(4).max(1),
            help: usable.saturating_sub(8).max(1),
        }
    }

    fn wrap_all<'a>(
        &self,
        texts: impl Iterator<Item = (&'a str, usize)>,
    ) -> HashMap<(&'a str, usize), String> {
        let distinct: HashSet<(&str, usize)> = texts
            .filter(|(text, width)| text.lines().any(|line| line.len() > *width))
            .collect();
        distinct
            .into_par_iter()
            .map(|(text, width)| {
                let options = textwrap::Options::new(width)
                    .word_separator(textwrap::WordSeparator::AsciiSpace)
                    .word_splitter(textwrap::WordSplitter::NoHyphenation);
                ((text, width), textwrap::fill(text, options))
            })
            .collect()
    }
}

fn write_summary(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    super::write_summary(report, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Settings, check_bytes};

    /// The report wraps titles and help itself (once per distinct text); it must read exactly
    /// as miette's own wrapping would, at any width.
    #[test]
    fn wrapping_once_per_text_matches_miettes_wrapping() {
        let settings = Settings {
            frames: true,
            ..Settings::default()
        };
        let bytes = include_bytes!("../../fixtures/key-size/jamf-fail.xml");
        let report = Report::new(vec![check_bytes("jamf.xml", bytes, &settings)], 0);
        assert!(report.diagnostics.len() > 1);
        for width in [40, 60, 100] {
            let style = Style {
                color: false,
                width,
            };
            let mut ours = Vec::new();
            write(&report, style, &mut ours).unwrap();

            let mut miettes = String::new();
            for diagnostic in &report.diagnostics {
                let title = title(diagnostic, false);
                let shown = Shown {
                    diagnostic,
                    title: &title,
                    help: &diagnostic.help,
                    frame: diagnostic.frame.as_ref().map(|f| f.named(&diagnostic.path)),
                };
                handler(style).render_report(&mut miettes, &shown).unwrap();
                miettes.push('\n');
            }
            let ours = String::from_utf8(ours).unwrap();
            assert!(
                ours.starts_with(&miettes),
                "width {width}:\n{ours}\n---\n{miettes}"
            );
        }
    }
}
