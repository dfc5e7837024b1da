//! SCEP002 subject-length: the Subject still fits once the MDM appends its identifier.

use super::{Context, Finding, Label, Rule, RuleMeta, Severity};
use serde::{Deserialize, Serialize};

use crate::model::{Fix, Redistribution, ScepPayload};

pub struct SubjectLength;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct SubjectLengthOptions {
    /// Longest Subject the MDM's field holds, the appended identifier included (and, for
    /// Intune and generic profiles, the longest common name).
    pub max_length: usize,
}

impl Default for SubjectLengthOptions {
    fn default() -> Self {
        SubjectLengthOptions { max_length: 64 }
    }
}

pub static META: RuleMeta = RuleMeta {
    code: "SCEP002",
    name: "subject-length",
    severity: Severity::Error,
    summary: "The Subject, with the identifier the MDM appends, fits in 64 characters",
    docs: include_str!("../../docs/rules/subject-length.md"),
};

impl Rule for SubjectLength {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_payload(&self, cx: &Context<'_>, payload: &ScepPayload, out: &mut Vec<Finding>) {
        let Some(subject) = &payload.subject.value else {
            return;
        };
        let limit = cx.options.subject_length.max_length;
        let words = cx.words();
        let Some(field) = cx.profile.subject_field else {
            // No Subject field limit is documented for these MDMs: what must fit is each
            // common name, which X.509 caps at 64 characters (RFC 5280, ub-common-name).
            for cn in subject.common_names() {
                let length = cn.value.chars().count();
                if length > limit {
                    out.push(Finding::new(
                        format!(
                            "the common name is {length} characters before the MDM expands any variable (`{}`); X.509 allows {limit}",
                            cn.value
                        ),
                        format!("shorten the common name to {limit} characters or fewer, keeping a device identifier"),
                        Label::new(&cn.origin, format!("{length} characters")),
                    ));
                }
            }
            return;
        };
        let token = field.appended;
        let redistribution_off = cx.profile.redistribution.value == Redistribution::Days(0);
        let appended = !redistribution_off && !subject.text.contains(token);
        let own = subject.text.chars().count();
        let added = if appended {
            token.chars().count() + 1
        } else {
            0
        };
        if own + added <= limit {
            return;
        }
        let message = if appended {
            format!(
                "the Subject is {own} characters and {vendor} appends {added} more (a space and `{token}`) when it redistributes the profile: {}, over the {limit} its Subject field holds (`{}`)",
                own + added,
                subject.text,
                vendor = words.mdm(),
            )
        } else {
            format!(
                "the Subject is {own} characters, over the {limit} {}'s Subject field holds (`{}`)",
                words.mdm(),
                subject.text
            )
        };
        let budget = limit.saturating_sub(added);
        let help = words.fix(Fix::ShortenSubject { to: budget }, cx.profile.platform);
        let origin = match subject.common_names().next() {
            Some(cn) if subject.rdns.len() == 1 => &cn.origin,
            _ => &payload.subject.origin,
        };
        out.push(Finding::new(
            message,
            help,
            Label::new(origin, format!("Subject: {own} characters")),
        ));
    }
}
