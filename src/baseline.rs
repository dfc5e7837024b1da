//! Baselines, for adopting sceplint on a repository that already has findings:
//! `sceplint check --write-baseline FILE` records today's findings, and `--baseline FILE` then
//! reports only new ones.
//!
//! A finding is recorded by path, rule, profile and payload, with a count, and not by line, so
//! the baseline survives edits that move lines: a payload that had two SCEP002 findings may keep
//! two, and a third is new.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;

const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    pub code: String,
    /// The rule's name, for people reading the file; matching uses the code.
    pub rule: String,
    pub profile: Option<String>,
    pub payload: Option<String>,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

type Key = (String, String, Option<String>, Option<String>);

fn key(d: &Diagnostic) -> Key {
    (
        d.path.to_string(),
        d.code.to_owned(),
        d.profile.as_deref().map(str::to_owned),
        d.payload.as_deref().map(str::to_owned),
    )
}

impl Baseline {
    pub fn from_diagnostics<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> Self {
        let mut counts: BTreeMap<Key, (String, usize)> = BTreeMap::new();
        for d in diagnostics {
            counts
                .entry(key(d))
                .or_insert_with(|| (d.rule.to_owned(), 0))
                .1 += 1;
        }
        Baseline {
            version: VERSION,
            findings: counts
                .into_iter()
                .map(|((path, code, profile, payload), (rule, count))| Entry {
                    path,
                    code,
                    rule,
                    profile,
                    payload,
                    count,
                })
                .collect(),
        }
    }

    pub fn read(path: &Path) -> Result<Baseline, String> {
        let shown = crate::escape::control(&crate::walk::display(path)).into_owned();
        let bytes = crate::engine::input::read_regular(
            path,
            64 * 1024 * 1024,
            crate::engine::input::Links::Refuse,
        )
        .map_err(|message| format!("cannot read the baseline {shown}: {message}"))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| format!("{shown} is not a sceplint baseline: it is not UTF-8 text"))?;
        let baseline: Baseline = serde_json::from_str(&text)
            .map_err(|e| format!("{shown} is not a sceplint baseline: {e}"))?;
        if baseline.version != VERSION {
            return Err(format!(
                "{shown} is a version {} baseline; this sceplint reads version {VERSION}",
                baseline.version
            ));
        }
        Ok(baseline)
    }

    /// Writes the baseline through `out`, which hides the run's secrets in it too.
    pub fn write(&self, out: &crate::output::Output, path: &Path) -> Result<(), String> {
        use std::io::Write;
        let mut text = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        text.push('\n');
        out.create(
            path,
            crate::output::Policy {
                syntax: crate::output::Syntax::Json,
                ansi: false,
            },
        )
        .and_then(|mut file| {
            file.write_all(text.as_bytes())?;
            file.flush()
        })
        .map_err(|e| {
            format!(
                "cannot write the baseline {}: {}",
                crate::escape::control(&crate::walk::display(path)),
                crate::io_message(&e)
            )
        })
    }

    /// Keeps only the findings the baseline does not account for; returns how many it did.
    pub fn filter(&self, diagnostics: &mut Vec<Diagnostic>) -> usize {
        let mut remaining: BTreeMap<Key, usize> = self
            .findings
            .iter()
            .map(|e| {
                (
                    (
                        e.path.clone(),
                        e.code.clone(),
                        e.profile.clone(),
                        e.payload.clone(),
                    ),
                    e.count,
                )
            })
            .collect();
        let before = diagnostics.len();
        diagnostics.retain(|d| match remaining.get_mut(&key(d)) {
            Some(count) if *count > 0 => {
                *count -= 1;
                false
            }
            _ => true,
        });
        before - diagnostics.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Severity;

    fn diagnostic(path: &str, code: &'static str, line: usize) -> Diagnostic {
        Diagnostic {
            code,
            rule: "rule",
            severity: Severity::Error,
            path: path.into(),
            line: Some(line),
            column: Some(1),
            end_line: None,
            end_column: None,
            key_path: None,
            message: "m".into(),
            help: "h".into(),
            profile: Some("p".into()),
            payload: Some("q".into()),
            vendor: Some("generic"),
            platform: Some("apple"),
            frame: None,
            fix: None,
            fails: true,
        }
    }

    #[test]
    fn survives_moved_lines_and_reports_only_new_findings() {
        let today = [
            diagnostic("a.xml", "SCEP003", 10),
            diagnostic("a.xml", "SCEP002", 12),
        ];
        let baseline = Baseline::from_diagnostics(&today);
        let mut tomorrow = vec![
            diagnostic("a.xml", "SCEP003", 40),
            diagnostic("a.xml", "SCEP002", 42),
            diagnostic("a.xml", "SCEP002", 43),
            diagnostic("b.xml", "SCEP003", 1),
        ];
        assert_eq!(baseline.filter(&mut tomorrow), 2);
        let left: Vec<_> = tomorrow.iter().map(|d| (&*d.path, d.code)).collect();
        assert_eq!(left, [("a.xml", "SCEP002"), ("b.xml", "SCEP003")]);
    }
}
