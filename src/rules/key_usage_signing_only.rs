//! SCEP004 key-usage-signing-only: the key is for signing only, not for encryption.

use super::{
    Context, Finding, Label, Rule, RuleMeta, Severity, effective, label_text, unknown_until_deploy,
};
use crate::model::{Fix, Provenance, Rewrite, ScepPayload, Setting};

pub struct KeyUsageSigningOnly;

pub static META: RuleMeta = RuleMeta {
    code: "SCEP004",
    name: "key-usage-signing-only",
    severity: Severity::Error,
    summary: "The effective key usage is signing only",
    docs: include_str!("../../docs/rules/key-usage-signing-only.md"),
};

impl Rule for KeyUsageSigningOnly {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_payload(&self, cx: &Context<'_>, payload: &ScepPayload, out: &mut Vec<Finding>) {
        let field = &payload.key_usage;
        if field.is_deferred() {
            let words = cx.words();
            out.extend(unknown_until_deploy(
                words.key(Setting::KeyUsage),
                field,
                "Okta's device certificate must be for signing only",
                words.fix(Fix::SigningOnly, cx.profile.platform),
            ));
            return;
        }
        if field.value.is_some_and(|usage| usage.is_signing_only()) {
            return;
        }
        let words = cx.words();
        let key = words.key(Setting::KeyUsage);
        let shown = field
            .value
            .map_or_else(|| "unknown".to_owned(), |usage| usage.shown());
        let what = match (&field.provenance, field.value) {
            (Provenance::Missing, _) => format!("`{key}` is not set"),
            (Provenance::Misspelt { found }, None) => format!(
                "`{found}` is not a key the device reads (it reads `{key}`), so `{key}` is not set"
            ),
            (Provenance::Invalid { found }, None) => format!("`{key}` holds {found}"),
            (provenance, _) => effective(key, provenance, &shown),
        };
        let help = words.fix(Fix::SigningOnly, cx.profile.platform);
        let mut finding = Finding::new(
            format!("{what}; Okta's device certificate must be for signing only, not encryption"),
            help,
            Label::new(
                &field.origin,
                label_text(&field.provenance, key, &shown, &shown),
            ),
        );
        finding = finding.with_setting_fix(
            field,
            key,
            payload,
            Rewrite::SigningOnly,
            format!("Set {key} to signing only"),
        );
        out.push(finding);
    }
}
