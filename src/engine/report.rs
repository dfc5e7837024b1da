//! What checking one file leaves for the report: its findings and counts, with its text gone.

use serde::Serialize;

use super::cross_file::Identifier;
use super::place::file_level;
use super::settings::Settings;
use crate::diagnostic::Diagnostic;
use crate::rules;
use crate::secrets::{self, Found};
use crate::severity::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    /// Holds at least one SCEP profile, which was checked.
    Checked,
    /// Read fine, but holds no SCEP profile.
    NoScep,
    /// Could not be read or parsed (a SCEP000 finding says why).
    Unreadable,
    /// Read, and mentions SCEP, but in a shape no reader knows (a SCEP026 finding says so).
    NotUnderstood,
    /// Deploys profiles kept in other files (a Terraform `file()`, a Fleet GitOps `path:`),
    /// which are checked on their own.
    Deploys,
}

/// A profile a file deploys by path, found on disk, and what the file says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployed {
    pub path: std::path::PathBuf,
    pub deployment: crate::model::Deployment,
}

#[derive(Debug, Clone)]
pub struct FileReport {
    pub path: String,
    pub status: FileStatus,
    pub profiles: usize,
    /// SCEP payloads across the profiles (findings name their payload when there are several).
    pub payloads: usize,
    pub diagnostics: Vec<Diagnostic>,
    /// The lowest severity that fails the run, for this file.
    pub fail_on: Severity,
    /// Each profile checked (by label) and the rules that ran on it, for reports that list
    /// passing checks too (JUnit).
    pub checked: Vec<(String, rules::RuleSet)>,
    /// Findings silenced by `sceplint:` comments.
    pub suppressed: usize,
    /// The identifiers this file's profiles hold, for the check across files (SCEP022).
    pub identifiers: Vec<Identifier>,
    /// The secrets found in the file that are long enough to search for everywhere: the run
    /// hides them in everything it writes, whichever file's finding shows them.
    pub secrets: Vec<String>,
    /// The secrets too short to search for everywhere, for what shows the file's own text
    /// (`--diff`).
    pub short_secrets: Vec<String>,
    /// sceplint itself failed on this file (a bug): the run reports it and exits 2.
    pub internal_error: bool,
    /// Profiles this file deploys by path, to be checked in its context.
    pub deploys: Vec<Deployed>,
}

impl FileReport {
    pub(super) fn empty(path: &str, status: FileStatus, settings: &Settings) -> Self {
        FileReport {
            path: path.to_owned(),
            status,
            profiles: 0,
            payloads: 0,
            diagnostics: Vec::new(),
            fail_on: settings.fail_on,
            checked: Vec::new(),
            suppressed: 0,
            identifiers: Vec::new(),
            secrets: Vec::new(),
            short_secrets: Vec::new(),
            internal_error: false,
            deploys: Vec::new(),
        }
    }

    pub(super) fn with_secrets(mut self, found: &Found) -> Self {
        self.secrets = found.searchable().into_iter().map(str::to_owned).collect();
        self.short_secrets = found.short().into_iter().map(str::to_owned).collect();
        self
    }

    /// A file whose check panicked: a bug in sceplint, reported without the panic's message
    /// (which could quote the file).
    pub fn internal_error(path: &str, settings: &Settings) -> Self {
        let mut report = FileReport::empty(path, FileStatus::Unreadable, settings);
        report.internal_error = true;
        report.diagnostics.extend(file_level(
            path,
            &rules::PARSE_ERROR,
            "internal error: sceplint failed while checking this file, so it was not checked (a bug in sceplint)".to_owned(),
            rules::INTERNAL_ERROR_HELP,
            settings,
        ));
        report
    }

    /// A file that could not be read at all.
    pub fn unreadable(path: &str, message: String, settings: &Settings) -> Self {
        let mut report = FileReport::empty(path, FileStatus::Unreadable, settings);
        report.diagnostics.extend(file_level(
            path,
            &rules::PARSE_ERROR,
            message,
            rules::READ_HELP,
            settings,
        ));
        report
    }

    /// Masks the run's secrets and escapes control characters in everything the report shows
    /// of this file (see [`Diagnostic::scrub`]).
    pub fn scrub(&mut self, scrubber: &mut secrets::redactor::Scrubber<'_>) {
        let FileReport {
            path,
            status: _,
            profiles: _,
            payloads: _,
            diagnostics,
            fail_on: _,
            checked,
            suppressed: _,
            identifiers: _,
            secrets: _,
            short_secrets: _,
            internal_error: _,
            deploys: _,
        } = self;
        scrubber.string(path);
        for (label, _) in checked {
            scrubber.string(label);
        }
        for diagnostic in diagnostics {
            diagnostic.scrub(scrubber);
        }
    }

    /// Whether nothing the report shows of this file needs escaping (the common case, which
    /// lets a run without secrets skip scrubbing).
    pub fn is_printable(&self) -> bool {
        let plain = |text: &str| !text.chars().any(crate::escape::is_unsafe);
        plain(&self.path)
            && self.checked.iter().all(|(label, _)| plain(label))
            && self.diagnostics.iter().all(|d| {
                [
                    Some(&d.path),
                    d.key_path.as_ref(),
                    Some(&d.message),
                    Some(&d.help),
                ]
                .into_iter()
                .flatten()
                .chain(d.profile.as_ref())
                .chain(d.payload.as_ref())
                .all(|t| plain(t))
            })
    }

    /// Whether a finding here fails the run.
    pub fn fails(&self, diagnostic: &Diagnostic) -> bool {
        diagnostic.severity >= self.fail_on
    }
}
