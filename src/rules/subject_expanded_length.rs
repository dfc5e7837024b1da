//! SCEP008 subject-expanded-length: each common name still fits X.509's 64 characters once the
//! MDM expands its variables to realistic worst-case lengths and appends its identifier.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Context, Finding, Label, Rule, RuleMeta, Severity};
use crate::model::{Redistribution, ScepPayload};
use crate::variables;

pub struct SubjectExpandedLength;

pub static META: RuleMeta = RuleMeta {
    code: "SCEP008",
    name: "subject-expanded-length",
    severity: Severity::Warning,
    summary: "Each common name fits in 64 characters once the MDM expands its variables",
    docs: include_str!("../../docs/rules/subject-expanded-length.md"),
};

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct SubjectExpandedLengthOptions {
    /// The longest common name (X.509's ub-common-name is 64).
    pub max_length: usize,
    /// Worst-case lengths by token, replacing the built-in table's (`"$COMPUTERNAME" = 15`).
    pub lengths: BTreeMap<String, usize>,
    /// Length assumed for a variable sceplint has no figure for.
    pub unknown_length: usize,
}

impl Default for SubjectExpandedLengthOptions {
    fn default() -> Self {
        SubjectExpandedLengthOptions {
            max_length: 64,
            lengths: BTreeMap::new(),
            unknown_length: 64,
        }
    }
}

impl Rule for SubjectExpandedLength {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_payload(&self, cx: &Context<'_>, payload: &ScepPayload, out: &mut Vec<Finding>) {
        let Some(subject) = &payload.subject.value else {
            return;
        };
        let options = &cx.options.subject_expanded_length;
        let redistribution_off = cx.profile.redistribution.value == Redistribution::Days(0);
        let names: Vec<_> = subject.common_names().collect();
        for (n, cn) in names.iter().enumerate() {
            let found = variables::find(&cn.value);
            // The MDM appends its identifier at the end of the Subject: to the last name.
            let suffix = cx
                .profile
                .subject_field
                .map(|f| f.appended)
                .filter(|token| {
                    n + 1 == names.len() && !redistribution_off && !cn.value.contains(token)
                });
            if found.is_empty() && suffix.is_none() {
                continue; // A literal name as it stands is subject-length's (SCEP002).
            }
            let mut total = 0usize;
            let mut last = 0usize;
            let mut parts: Vec<(String, usize)> = Vec::new();
            for variable in &found {
                total += cn.value[last..variable.range.start].chars().count();
                last = variable.range.end;
                let canonical = variable.canonical();
                let length = worst_case(options, cx, &canonical);
                total += length;
                parts.push((canonical, length));
            }
            total += cn.value[last..].chars().count();
            let vendor = cx.words().mdm();
            let mut breakdown: Vec<String> = parts
                .iter()
                .map(|(token, length)| format!("{token} {length}"))
                .collect();
            let mut appended_length = 0;
            if let Some(token) = suffix {
                appended_length = 1 + worst_case(options, cx, token);
                total += appended_length;
                let plus = if parts.is_empty() { "" } else { "plus " };
                breakdown.push(format!(
                    "{plus}{appended_length} for the space and {token} that {vendor} appends"
                ));
            }
            if total <= options.max_length {
                continue;
            }
            let max = options.max_length;
            let (message, help) = match parts.iter().max_by_key(|(_, length)| *length) {
                Some((dominant, longest)) => (
                    format!(
                        "the common name `{}` can reach {total} characters once {vendor} expands it (worst cases: {}); X.509 allows {max}",
                        cn.value,
                        breakdown.join(", ")
                    ),
                    format!(
                        "shorten the common name: replace or drop {dominant} (up to {longest} characters); or, if its values are shorter in your fleet, set its length under [rules.subject-expanded-length] lengths"
                    ),
                ),
                None => (
                    format!(
                        "the common name `{}` becomes {total} characters once {vendor} appends a space and {} ({appended_length} in all); X.509 allows {max}",
                        cn.value,
                        suffix.unwrap_or_default()
                    ),
                    format!(
                        "shorten the common name to {} characters or fewer",
                        max.saturating_sub(appended_length)
                    ),
                ),
            };
            out.push(Finding::new(
                message,
                help,
                Label::new(&cn.origin, format!("up to {total} characters")),
            ));
        }
    }
}

/// A token's worst-case length: the configured one, else the table's, else the fallback.
fn worst_case(options: &SubjectExpandedLengthOptions, cx: &Context<'_>, canonical: &str) -> usize {
    options
        .lengths
        .get(canonical)
        .copied()
        .or_else(|| {
            variables::resolve(cx.profile.vendor, cx.profile.platform, canonical).map(|k| k.max_len)
        })
        .unwrap_or(options.unknown_length)
}
