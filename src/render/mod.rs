//! Reports: one module per output format, all fed the same sorted [`Report`]. Adding a format
//! touches its own file and the [`Format`] list.

pub mod concise;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::engine::{FileReport, FileStatus};
use crate::model::Applicability;
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
    /// Findings at or above the failure threshold.
    pub failing: usize,
    /// Findings silenced by `sceplint:` comments.
    pub suppressed: usize,
    /// Findings a `--baseline` accounted for.
    pub baselined: usize,
    /// Files named on the command line that hold no SCEP profile.
    pub files_without_scep: Vec<String>,
    /// Files read that mention SCEP but were not checked: unreadable, or in a shape no reader
    /// knows.
    pub not_checked: usize,
    /// Files a directory walk found and left out because they mention nothing of SCEP.
    pub skipped: usize,
    /// Findings `--fix` would fix, and the further ones `--unsafe-fixes` would.
    pub fixable: usize,
    pub unsafe_fixable: usize,
}

/// What a report says of each file, beyond its findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSummary {
    pub path: String,
    pub status: FileStatus,
    pub payloads: usize,
    /// Each profile and the rules that ran on it.
    pub checked: Vec<(String, crate::rules::RuleSet)>,
}

/// Everything a report needs, in output order.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub files: Vec<FileSummary>,
    pub summary: Summary,
    /// What the text formats leave out or add (`--quiet`, `--statistics`).
    pub text: TextOptions,
}

/// Choices for the text reports (human, concise, github).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextOptions {
    /// Findings only: no summary line, no notes.
    pub quiet: bool,
    /// Counts per rule instead of the findings themselves.
    pub statistics: bool,
}

/// `--statistics`: each rule's count of findings, most frequent first, then by code, with how
/// many of them fail the run.
pub fn write_statistics(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut counts: Vec<(&'static str, &'static str, usize, usize)> = Vec::new();
    for d in &report.diagnostics {
        match counts.iter_mut().find(|(code, ..)| *code == d.code) {
            Some((_, _, n, failing)) => {
                *n += 1;
                *failing += usize::from(d.fails);
            }
            None => counts.push((d.code, d.rule, 1, usize::from(d.fails))),
        }
    }
    counts.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));
    let width = counts
        .iter()
        .map(|c| c.2.to_string().len())
        .max()
        .unwrap_or(1);
    for (code, rule, n, failing) in counts {
        let fails = if failing > 0 { " (fails the run)" } else { "" };
        writeln!(out, "{n:>width$}  {code}  {rule}{fails}")?;
    }
    Ok(())
}

/// The summary and notes at the end of a text report, unless `--quiet`.
pub fn write_summary(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    if report.text.quiet {
        return Ok(());
    }
    writeln!(out, "{}", summary_line(&report.summary))?;
    if let Some(line) = fixable_line(&report.summary) {
        writeln!(out, "{line}")?;
    }
    for path in &report.summary.files_without_scep {
        writeln!(out, "note: {path} holds no SCEP profile")?;
    }
    Ok(())
}

impl Report {
    /// Sorts the findings (by path, then line, then code) and counts them. `baselined` is how
    /// many findings a baseline removed before this.
    pub fn new(files: Vec<FileReport>, baselined: usize) -> Self {
        let mut report = Report::default();
        report.summary.baselined = baselined;
        for file in files {
            report.summary.files += 1;
            report.summary.profiles += file.profiles;
            report.summary.suppressed += file.suppressed;
            match file.status {
                FileStatus::NoScep => report.summary.files_without_scep.push(file.path.clone()),
                FileStatus::Unreadable | FileStatus::NotUnderstood => {
                    report.summary.not_checked += 1;
                }
                FileStatus::Checked | FileStatus::Deploys => {}
            }
            let fail_on = file.fail_on;
            report
                .diagnostics
                .extend(file.diagnostics.into_iter().map(|mut d| {
                    d.fails = d.severity >= fail_on;
                    d
                }));
            report.files.push(FileSummary {
                path: file.path,
                status: file.status,
                payloads: file.payloads,
                checked: file.checked,
            });
        }
        report
            .diagnostics
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        report.files.sort_by(|a, b| a.path.cmp(&b.path));
        report.summary.files_without_scep.sort();
        for d in &report.diagnostics {
            match d.severity {
                Severity::Error => report.summary.errors += 1,
                Severity::Warning => report.summary.warnings += 1,
                Severity::Info => report.summary.infos += 1,
            }
            report.summary.failing += usize::from(d.fails);
            match d.fix.as_deref() {
                Some(fix) if fix.edits.is_empty() => {}
                Some(fix) if fix.applicability == Applicability::Safe => {
                    report.summary.fixable += 1
                }
                Some(fix) if fix.applicability == Applicability::Unsafe => {
                    report.summary.unsafe_fixable += 1;
                }
                _ => {}
            }
        }
        report
    }

    /// Whether findings in `path` should say which payload they are about.
    pub fn names_payloads(&self, path: &str) -> bool {
        self.files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .is_ok_and(|i| self.files[i].payloads > 1)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Code frames, labels and help, for people (miette's graphical report).
    Human,
    /// One line per finding: `path:line:col: severity[CODE] message`, for editors and grep.
    Concise,
    /// A stable JSON document for tools.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands, which annotate pull requests.
    Github,
    /// JUnit XML: a test case per profile and rule checked (Jenkins, GitLab).
    Junit,
    /// GitLab Code Quality JSON.
    Gitlab,
}

impl Format {
    /// The output policy for this format: its syntax, and colour for the human report.
    pub fn policy(self, color: bool) -> crate::output::Policy {
        use crate::output::Syntax;
        crate::output::Policy {
            syntax: match self {
                Format::Human | Format::Concise => Syntax::Text,
                Format::Json | Format::Sarif | Format::Gitlab => Syntax::Json,
                Format::Junit => Syntax::Xml,
                Format::Github => Syntax::Commands,
            },
            ansi: color && self == Format::Human,
        }
    }
}

/// How the human report looks on this terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

pub fn write(format: Format, report: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    if report.text.statistics && matches!(format, Format::Human | Format::Concise) {
        write_statistics(report, out)?;
        return write_summary(report, out);
    }
    match format {
        Format::Human => human::write(report, style, out),
        Format::Concise => concise::write(report, out),
        Format::Json => json::write(report, out),
        Format::Sarif => sarif::write(report, out),
        Format::Github => github::write(report, out),
        Format::Junit => junit::write(report, out),
        Format::Gitlab => gitlab::write(report, out),
    }
}

/// A stable 64-bit FNV-1a hash as 16 hex digits, for fingerprints that must not change between
/// runs, platforms or Rust versions (std's hashers promise none of that).
pub fn fingerprint(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0xff)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// The identity of a finding that survives edits moving it to another line.
pub fn finding_identity(d: &Diagnostic) -> String {
    fingerprint(&[
        &d.path,
        d.code,
        d.profile.as_deref().unwrap_or(""),
        d.payload.as_deref().unwrap_or(""),
        d.key_path.as_deref().unwrap_or(""),
    ])
}

/// A one-line summary of the run, for the end of text reports.
/// What `--fix` would fix, when it would fix anything (after the summary, as ruff says it).
pub fn fixable_line(summary: &Summary) -> Option<String> {
    let these = |n: usize| {
        if n == 1 {
            "Fix 1 of these".to_owned()
        } else {
            format!("Fix {n} of these")
        }
    };
    match (summary.fixable, summary.unsafe_fixable) {
        (0, 0) => None,
        (0, hidden) => Some(format!(
            "{} with `sceplint check --fix --unsafe-fixes`.",
            these(hidden)
        )),
        (safe, 0) => Some(format!("{} with `sceplint check --fix`.", these(safe))),
        (safe, hidden) => Some(format!(
            "{} with `sceplint check --fix` ({hidden} more with `--unsafe-fixes`).",
            these(safe)
        )),
    }
}

pub fn summary_line(summary: &Summary) -> String {
    let plural = |count: usize, word: &str| {
        if count == 1 {
            format!("1 {word}")
        } else {
            format!("{count} {word}s")
        }
    };
    let mut checked = format!(
        "{} read, {} checked",
        plural(summary.files, "file"),
        plural(summary.profiles, "SCEP profile")
    );
    if summary.not_checked > 0 {
        checked.push_str(&format!(
            ", {} not checked",
            plural(summary.not_checked, "file")
        ));
    }
    if summary.skipped > 0 {
        checked.push_str(&format!(", {} skipped as unrelated", summary.skipped));
    }
    if summary.suppressed > 0 {
        checked.push_str(&format!(", {} suppressed", summary.suppressed));
    }
    if summary.baselined > 0 {
        checked.push_str(&format!(", {} in the baseline", summary.baselined));
    }
    let counts: Vec<String> = [
        (summary.errors, "error"),
        (summary.warnings, "warning"),
        (summary.infos, "info"),
    ]
    .into_iter()
    .filter(|(count, _)| *count > 0)
    .map(|(count, word)| plural(count, word))
    .collect();
    if counts.is_empty() {
        format!("No problems found ({checked}).")
    } else {
        format!("Found {} ({checked}).", counts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable() {
        // Fixed values: a change here changes every fingerprint users have stored.
        assert_eq!(fingerprint(&[]), "cbf29ce484222325");
        assert_eq!(fingerprint(&["a", "b"]), fingerprint(&["a", "b"]));
        assert_ne!(fingerprint(&["ab", ""]), fingerprint(&["a", "b"]));
    }
}
