//! SCEP008 subject-expanded-length: each common name still fits X.509's 64 characters once the
//! MDM expands its variables: at typical lengths by default (a computer name can be 63
//! characters, most are under 20), or at worst-case lengths with the identifier the MDM
//! appends, when `strictness = "worst-case"`. Okta's own examples fit the default.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Context, Finding, Label, Rule, RuleMeta, Severity};
use crate::model::{Redistribution, ScepPayload};
use crate::variables;

pub struct SubjectExpandedLength;

pub static META: RuleMeta = RuleMeta {
    code: "SCEP008",
    name: "subject-expanded-length",
    severity: Severity::Info,
    summary: "Each common name fits in 64 characters once the MDM expands its variables",
    docs: include_str!("../../docs/rules/subject-expanded-length.md"),
};

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct SubjectExpandedLengthOptions {
    /// The longest common name (X.509's ub-common-name is 64).
    pub max_length: usize,
    /// Worst-case lengths by token, replacing the built-in table's (`"$COMPUTERNAME" = 15`).
    pub lengths: BTreeMap<String, usize>,
    /// Length assumed for a variable sceplint has no figure for.
    pub unknown_length: usize,
    /// How long expanded values are taken to be.
    pub strictness: Strictness,
}

/// How long variables are taken to expand to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Strictness {
    /// Typical lengths (names of about 20 characters; identifiers at their fixed length); the
    /// identifier the MDM appends is not counted, as Okta's own examples exceed 64 with it and
    /// its CA issues them.
    #[default]
    Typical,
    /// Realistic worst cases (a 63-character computer name, a 113-character UPN), and the
    /// identifier the MDM appends.
    WorstCase,
}

/// A name's typical length, where the worst case is far from usual: identifiers have a fixed
/// length, names and addresses are mostly short.
const TYPICAL_NAME_LENGTH: usize = 20;

impl Default for SubjectExpandedLengthOptions {
    fn default() -> Self {
        SubjectExpandedLengthOptions {
            max_length: 64,
            lengths: BTreeMap::new(),
            unknown_length: 64,
            strictness: Strictness::Typical,
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
        let strict = options.strictness == Strictness::WorstCase;
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
                    strict
                        && n + 1 == names.len()
                        && !redistribution_off
                        && !cn.value.contains(token)
                });
            if found.is_empty() && suffix.is_none() {
                continue; // A literal name as it stands is subject-length's (SCEP002).
            }
            let mut total = 0usize;
            let mut worst_total = 0usize;
            let mut last = 0usize;
            let mut parts: Vec<(String, usize)> = Vec::new();
            let mut widest: Option<(String, usize)> = None;
            for variable in &found {
                let literal = cn.value[last..variable.range.start].chars().count();
                total += literal;
                worst_total += literal;
                last = variable.range.end;
                let canonical = variable.canonical();
                let worst = worst_case(options, cx, &canonical);
                let length = if strict {
                    worst
                } else {
                    typical(options, cx, &canonical, worst)
                };
                total += length;
                worst_total += worst;
                // The variable whose values vary most is the one to replace, not a fixed-size
                // device identifier.
                if widest.as_ref().is_none_or(|(_, w)| worst > *w) {
                    widest = Some((canonical.clone(), worst));
                }
                parts.push((canonical, length));
            }
            let tail = cn.value[last..].chars().count();
            total += tail;
            worst_total += tail;
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
                Some(_) if !strict => {
                    let (dominant, worst) = widest.clone().unwrap_or_default();
                    (
                        format!(
                            "the common name `{}` typically reaches {total} characters once {vendor} expands it ({}), and up to {worst_total} at worst; X.509 allows {max}",
                            cn.value,
                            breakdown.join(", ")
                        ),
                        format!(
                            "shorten the common name: drop words around the variables, or replace {dominant} (up to {worst} characters); if its values are shorter in your fleet, set its length under [rules.subject-expanded-length] lengths"
                        ),
                    )
                }
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
                Label::new(
                    &cn.origin,
                    if strict {
                        format!("up to {total} characters")
                    } else {
                        format!("about {total} characters")
                    },
                ),
            ));
        }
    }
}

/// A token's typical length: the configured one, else its fixed length for an identifier, else
/// a name's typical length.
fn typical(
    options: &SubjectExpandedLengthOptions,
    cx: &Context<'_>,
    canonical: &str,
    worst: usize,
) -> usize {
    if let Some(length) = options.lengths.get(canonical) {
        return *length;
    }
    match variables::resolve(cx.profile.vendor, cx.profile.platform, canonical) {
        Some(known) if known.device_unique || known.max_len <= 40 => known.max_len,
        _ => worst.min(TYPICAL_NAME_LENGTH),
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
