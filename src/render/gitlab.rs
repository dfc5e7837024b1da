//! `--format gitlab`: GitLab Code Quality JSON (an array of issues with `description`,
//! `check_name`, `fingerprint`, `severity` and `location`). Fingerprints are stable across
//! runs and line moves, and unique within a report.

use std::collections::HashMap;
use std::io::{self, Write};

use serde_json::json;

use super::Report;
use crate::rules::Severity;

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let issues: Vec<serde_json::Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let identity = super::finding_identity(d);
            let occurrence = seen.entry(identity.clone()).or_insert(0);
            *occurrence += 1;
            let fingerprint = super::fingerprint(&[&identity, &occurrence.to_string()]);
            let severity = match d.severity {
                Severity::Error => "major",
                Severity::Warning => "minor",
                Severity::Info => "info",
            };
            let description = format!("{} {}: {}", d.code, d.rule, d.message_with_place());
            json!({
                "type": "issue",
                "description": description,
                "check_name": d.code,
                "content": { "body": d.help },
                "categories": ["Security"],
                "fingerprint": fingerprint,
                "severity": severity,
                "location": {
                    "path": d.path,
                    "lines": { "begin": d.line.unwrap_or(1), "end": d.end_line.or(d.line).unwrap_or(1) },
                },
            })
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}
