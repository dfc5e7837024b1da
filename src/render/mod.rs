//! Reports: one module per output format, all fed the same sorted [`Report`].

pub mod human;
pub mod json;

use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::engine::{FileReport, FileStatus};
use crate::rules::Severity;

/// Counts for the end of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Files read and reported on (files a walk skipped as holding no SCEP profile are not
    /// counted).
    pub files: usize,
    pub profiles: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Files named on the command line that hold no SCEP profile.
    pub files_without_scep: Vec<String>,
}

/// Everything a report needs, in output order.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Summary,
    /// Per file: how many SCEP payloads it holds, to decide whether findings name theirs.
    pub multi_payload_files: Vec<String>,
}

impl Report {
    pub fn new(files: Vec<FileReport>) -> Self {
        let mut report = Report::default();
        for file in files {
            report.summary.files += 1;
            report.summary.profiles += file.profiles;
            if file.status == FileStatus::NoScep {
                report.summary.files_without_scep.push(file.path.clone());
            }
            if file.payloads > 1 {
                report.multi_payload_files.push(file.path.clone());
            }
            report.diagnostics.extend(file.diagnostics);
        }
        report
            .diagnostics
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        report.summary.files_without_scep.sort();
        report.multi_payload_files.sort();
        for d in &report.diagnostics {
            match d.severity {
                Severity::Error => report.summary.errors += 1,
                Severity::Warning => report.summary.warnings += 1,
                Severity::Info => report.summary.infos += 1,
            }
        }
        report
    }

    pub fn names_payloads(&self, path: &str) -> bool {
        self.multi_payload_files
            .binary_search_by(|p| p.as_str().cmp(path))
            .is_ok()
    }

    pub fn highest_severity(&self) -> Option<Severity> {
        self.diagnostics.iter().map(|d| d.severity).max()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Code frames, labels and help, for people (miette's graphical report).
    Human,
    /// A stable JSON document for tools.
    Json,
}

/// How the human report looks on this terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

pub fn write(format: Format, report: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Human => human::write(report, style, out),
        Format::Json => json::write(report, out),
    }
}
