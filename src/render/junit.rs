//! `--format junit`: JUnit XML for Jenkins, GitLab and other CI test views. Each file is a test
//! suite; each profile and rule checked is a test case, failed by the findings that fail the run
//! (warnings and infos below the threshold are listed in the case's output). A file that cannot
//! be read is a failed `SCEP000` case.

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::escape::xml_text as escape;

use super::Report;
use crate::diagnostic::Diagnostic;
use crate::rules;

struct Case<'a> {
    classname: String,
    name: String,
    findings: Vec<&'a Diagnostic>,
}

fn describe(d: &Diagnostic) -> String {
    let place = match (d.line, d.column, &d.key_path) {
        (Some(line), Some(column), _) => format!("{}:{line}:{column}", d.path),
        (_, _, Some(key_path)) => format!("{} ({key_path})", d.path),
        _ => d.path.to_string(),
    };
    format!(
        "{place}: {}[{}] {}\nhelp: {}",
        d.severity.as_str(),
        d.code,
        d.message,
        d.help
    )
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut by_file: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for d in &report.diagnostics {
        by_file.entry(&*d.path).or_default().push(d);
    }
    let mut suites = Vec::new();
    for file in &report.files {
        let findings = by_file.remove(file.path.as_str()).unwrap_or_default();
        let mut cases: Vec<Case<'_>> = Vec::new();
        for (profile, codes) in &file.checked {
            for code in codes.codes() {
                let meta = rules::find_meta(code).map_or("", |m| m.name);
                cases.push(Case {
                    classname: format!("{}.{profile}", file.path),
                    name: format!("{code} {meta}"),
                    findings: findings
                        .iter()
                        .copied()
                        .filter(|d| {
                            d.code == code && d.profile.as_deref() == Some(profile.as_str())
                        })
                        .collect(),
                });
            }
        }
        // Findings that belong to no profile and rule checked: parse errors, suppressions.
        for d in findings.iter().copied() {
            let claimed = cases
                .iter()
                .any(|c| c.findings.iter().any(|f| std::ptr::eq(*f, d)));
            if !claimed {
                match cases
                    .iter_mut()
                    .find(|c| c.name.starts_with(d.code) && c.classname == file.path)
                {
                    Some(case) => case.findings.push(d),
                    None => cases.push(Case {
                        classname: file.path.clone(),
                        name: format!("{} {}", d.code, d.rule),
                        findings: vec![d],
                    }),
                }
            }
        }
        if !cases.is_empty() {
            suites.push((file.path.as_str(), cases));
        }
    }

    let total: usize = suites.iter().map(|(_, c)| c.len()).sum();
    let failed = |cases: &[Case<'_>]| {
        cases
            .iter()
            .filter(|c| c.findings.iter().any(|d| d.fails))
            .count()
    };
    let failures: usize = suites.iter().map(|(_, c)| failed(c)).sum();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="sceplint" tests="{total}" failures="{failures}" errors="0">"#
    )?;
    for (path, cases) in &suites {
        writeln!(
            out,
            r#"  <testsuite name="{}" tests="{}" failures="{}" errors="0" skipped="0">"#,
            escape(path),
            cases.len(),
            failed(cases)
        )?;
        for case in cases {
            write!(
                out,
                r#"    <testcase classname="{}" name="{}" file="{}""#,
                escape(&case.classname),
                escape(&case.name),
                escape(path)
            )?;
            let failing: Vec<&&Diagnostic> = case.findings.iter().filter(|d| d.fails).collect();
            let other: Vec<&&Diagnostic> = case.findings.iter().filter(|d| !d.fails).collect();
            if failing.is_empty() && other.is_empty() {
                writeln!(out, "/>")?;
                continue;
            }
            writeln!(out, ">")?;
            if let Some(first) = failing.first() {
                let text: Vec<String> = failing.iter().map(|d| describe(d)).collect();
                writeln!(
                    out,
                    r#"      <failure message="{}" type="{}">{}</failure>"#,
                    escape(&first.message),
                    first.code,
                    escape(&text.join("\n\n"))
                )?;
            }
            if !other.is_empty() {
                let text: Vec<String> = other.iter().map(|d| describe(d)).collect();
                writeln!(
                    out,
                    "      <system-out>{}</system-out>",
                    escape(&text.join("\n\n"))
                )?;
            }
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}
